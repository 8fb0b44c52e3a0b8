// Public API of the purchasing module: other modules import only this file. Importing it registers the
// purchase order, receipt, return, self-purchase and first-operation document types with the engine.
export * from './first-operation.service.js';
export * from './purchase-order.service.js';
export type { PartnerFacts, ProductFacts, PurchaseOrderLineProgress, PurchasingSettings } from './purchasing.models.js';
export * from './purchasing.queries.js';
export * from './purchasing.rules.js';
export {
  getPurchasingSettings,
  loadPurchasingSettings,
  type PurchasingSettingsDto,
  updatePurchasingSettings,
} from './purchasing.settings.js';
export * from './receipt.service.js';
export * from './return.service.js';
export * from './self-purchase.service.js';
