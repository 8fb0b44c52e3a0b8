// Public API of the pos module: other modules import only this file.
export * from './authorization.service.js';
export * from './daily-close.service.js';
export * from './payment.provider.js';
export * from './payment.service.js';
export * from './pos.access.js';
export * from './pos.pins.js';
export * from './pos.rules.js';
export * from './pricing.pipeline.js';
export * from './sale.models.js';
export { DAY_LOCK, loadSale, loadSales } from './sale.repository.js';
export * from './sale.service.js';
export * from './settings.service.js';
export * from './shift.service.js';
export * from './terminal.service.js';
