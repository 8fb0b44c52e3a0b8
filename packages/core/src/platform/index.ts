export * from './context.js';
export * from './transaction.js';
export * from './clock.js';
