export * from './clock.js';
export * from './context.js';
export * from './excel.js';
export * from './transaction.js';
