export * from './inventory.documents.js';
export * from './inventory.models.js';
export * from './inventory.rules.js';
export * from './recalculation.service.js';
export * from './stock-ledger.service.js';
export * from './stock-query.service.js';
