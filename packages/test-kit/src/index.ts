export * from './database.js';
export * from './chain.js';
export * from './ledger.js';
