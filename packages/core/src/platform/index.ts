export * from './clock.js';
export * from './context.js';
export * from './excel.js';
export * from './ledger.js';
export * from './module.js';
export * from './transaction.js';
