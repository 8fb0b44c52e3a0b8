export * from './clock.js';
export * from './context.js';
export * from './transaction.js';
