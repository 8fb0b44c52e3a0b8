export * from './chain.js';
export * from './database.js';
export * from './ledger.js';
