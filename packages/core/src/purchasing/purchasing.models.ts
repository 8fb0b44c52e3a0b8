/** The document types this module registers. */
export const PURCHASING_DOC_TYPES = [
  'purchase_order',
  'purchase_receipt',
  'purchase_return',
  'self_purchase',
  'first_operation',
] as const;
export type PurchasingDocType = (typeof PURCHASING_DOC_TYPES)[number];

/** Documents whose posting brings goods in from a supplier and writes acceptance records. */
export type InboundDocType = 'purchase_receipt' | 'self_purchase';

export interface PurchasingSettings {
  requirePurchaseOrder: boolean;
  overReceiptTolerancePct: string;
  selfPurchaseAllowed: boolean;
}

export interface OwnPurchasingSettings {
  requirePurchaseOrder: boolean | null;
  overReceiptTolerancePct: string | null;
  selfPurchaseAllowed: boolean | null;
}

/** A product as purchasing needs it. */
export interface ProductFacts {
  id: number;
  code: string;
  name: string;
  active: boolean;
  batchTracked: boolean;
  /** Pack unit id → factor (base units per pack). */
  units: Map<number, string>;
}

export interface PartnerFacts {
  id: number;
  kind: 'supplier' | 'customer' | 'manufacturer';
  code: string;
  name: string;
  active: boolean;
  orgId: number;
}

export interface PurchaseOrderLineProgress {
  lineId: number;
  lineNo: number;
  productId: number;
  productCode: string;
  productName: string;
  orderedQty: string;
  receivedQty: string;
  openQty: string;
  unitPrice: string;
  amount: string;
  status: 'active' | 'void';
  attrs: Record<string, unknown>;
}
