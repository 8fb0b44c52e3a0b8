// Contracts of the pos module: Zod schemas shared by server and till, its error codes and its grantable functions.
export * from './pos/day.js';
export * from './pos/errors.js';
export * from './pos/gs1.js';
export * from './pos/pricing.js';
export * from './pos/sale.js';
export * from './pos/till.js';
