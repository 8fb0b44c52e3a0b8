// Public API of the pricing module (MD-2): the price rule, price maintenance, the price-change document, till delta sync.
export * from './catalog-changes.service.js';
export { registerPriceChange, validatePriceChange } from './price-change.document.js';
export * from './pricing.service.js';
