export * from './catalog.js';
export * from './chain.js';
export * from './database.js';
export * from './inventory.js';
export * from './ledger.js';
export * from './pos.js';
export * from './purchasing.js';
export * from './refusal.js';
