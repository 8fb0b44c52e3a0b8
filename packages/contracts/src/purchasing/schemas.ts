import { z } from 'zod';
import { createPartnerBody } from '../catalog/partners.js';
import { idListString } from '../catalog/pricing.js';
import { createProductBody } from '../catalog/products.js';
import { queryBool } from '../catalog/shared.js';
import { costString, id, isNonNegativeDecimal, isoDate, isPositiveDecimal, pageQuery, qtyString } from '../common.js';
import { dec } from '../decimal.js';
import { DOC_STATUSES, type DocStatus } from '../documents.js';
import { entity } from '../fields.js';
import { text as cleanText, jsonObject, rule } from '../validation.js';

// ---- shared pieces

const text = (max: number) => cleanText().trim().max(max);
const stockStatus = z.enum(['sellable', 'unsellable', 'pending_check']);

/** A quantity that must be greater than zero. */
const positiveQty = qtyString.refine(isPositiveDecimal, rule('positive'));
/** A quantity that may be zero (a fully rejected receipt line accepts 0). */
const nonNegativeQty = qtyString.refine(isNonNegativeDecimal, rule('non_negative'));
const nonNegativePrice = costString.refine(isNonNegativeDecimal, rule('non_negative'));

/** Quantities are entered in the base unit or in one of the product's pack units (unitId), converted exactly. */
const lineUnit = {
  productId: id,
  /** Omitted or null: the product's base unit. Otherwise one of its pack units; qty and price are per that unit. */
  unitId: id.nullable().optional(),
  /** Price per unit entered; omitted: the order's price, else the master-data purchase price. */
  unitPrice: nonNegativePrice.optional(),
  remarks: text(500).optional(),
};

// ---- purchase settings (per org; null = inherit from the org above)

export const tolerancePct = z
  .union([cleanText(), z.number()])
  .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
  .refine((v) => /^\d{1,3}(\.\d{1,2})?$/.test(v) && dec(v).lessThanOrEqualTo(100), rule('percent', { max: 100 }));

export const purchasingSettingsBody = z.object({
  /** Receipts must follow a purchase order (default: yes at a DC, no at a store). */
  requirePurchaseOrder: z.boolean().nullable().optional(),
  /** Over-receipt tolerance in percent of the open order quantity (default 0). */
  overReceiptTolerancePct: tolerancePct.nullable().optional(),
  /** The store may buy for itself (门店自行采购) and file first-operation applications (default no). */
  selfPurchaseAllowed: z.boolean().nullable().optional(),
});
export type PurchasingSettingsCommand = z.input<typeof purchasingSettingsBody>;

export const orgIdParams = z.object({ orgId: id });

// ---- purchase orders (PUR-1)

export const purchaseOrderLineInput = z.object({ ...lineUnit, qty: positiveQty });
export type PurchaseOrderLineInput = z.infer<typeof purchaseOrderLineInput>;

export const createPurchaseOrderBody = z.object({
  orgId: id,
  warehouseId: id,
  supplierId: id,
  businessDate: isoDate.optional(),
  /** Expected delivery date (预计到货日期). */
  expectedDate: isoDate.optional(),
  remarks: text(1000).optional(),
  lines: z.array(purchaseOrderLineInput).min(1).max(2000),
});
export type CreatePurchaseOrderCommand = z.input<typeof createPurchaseOrderBody>;

export const updatePurchaseOrderBody = z.object({
  version: z.number().int().positive(),
  warehouseId: id.optional(),
  supplierId: id.optional(),
  expectedDate: isoDate.nullable().optional(),
  remarks: text(1000).nullable().optional(),
  lines: z.array(purchaseOrderLineInput).min(1).max(2000).optional(),
});
export type UpdatePurchaseOrderCommand = z.input<typeof updatePurchaseOrderBody>;

export const closePurchaseOrderBody = z.object({ reason: text(500).min(1) });

export const purchaseOrderListQuery = pageQuery.extend({
  orgId: id.optional(),
  supplierId: id.optional(),
  status: z.enum(DOC_STATUSES).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  /** Only confirmed orders with something left to receive. */
  openOnly: queryBool.optional(),
});
export type PurchaseOrderListQuery = z.infer<typeof purchaseOrderListQuery>;

// ---- receiving (PUR-2) and self-purchase (PUR-4)

const receivedLine = {
  ...lineUnit,
  /** Accepted quantity (实收合格数量): what goes into stock and counts against the order. */
  qty: nonNegativeQty,
  /** Quantity refused at acceptance (拒收), sent back with the carrier; not stocked. */
  rejectedQty: nonNegativeQty.optional(),
  rejectReason: text(200).optional(),
  lotNo: text(50).optional(),
  expiryDate: isoDate.nullable().optional(),
  shelfId: id.nullable().optional(),
  stockStatus: stockStatus.optional(),
};

export const receiptLineInput = z.object({ ...receivedLine, purchaseOrderLineId: id.optional() });
export type ReceiptLineInput = z.infer<typeof receiptLineInput>;

export const createReceiptBody = z.object({
  orgId: id,
  /** Omitted: the order's warehouse. */
  warehouseId: id.optional(),
  /** Omitted: the order's supplier. */
  supplierId: id.optional(),
  purchaseOrderId: id.optional(),
  businessDate: isoDate.optional(),
  /** Inspector (验收员) named on the acceptance records; omitted: the user who posts. */
  inspector: text(50).optional(),
  remarks: text(1000).optional(),
  /** Omitted with a purchase order: every open line of the order at its open quantity and order price. */
  lines: z.array(receiptLineInput).max(2000).optional(),
});
export type CreateReceiptCommand = z.input<typeof createReceiptBody>;

export const updateReceiptBody = z.object({
  version: z.number().int().positive(),
  warehouseId: id.optional(),
  supplierId: id.optional(),
  inspector: text(50).nullable().optional(),
  remarks: text(1000).nullable().optional(),
  lines: z.array(receiptLineInput).min(1).max(2000).optional(),
});
export type UpdateReceiptCommand = z.input<typeof updateReceiptBody>;

export const selfPurchaseLineInput = z.object(receivedLine);
export const createSelfPurchaseBody = z.object({
  orgId: id,
  warehouseId: id,
  supplierId: id,
  businessDate: isoDate.optional(),
  inspector: text(50).optional(),
  remarks: text(1000).optional(),
  lines: z.array(selfPurchaseLineInput).min(1).max(2000),
  /** Save and execute at once (保存即执行): confirm, which posts stock and writes the acceptance records. */
  confirm: z.boolean().optional(),
});
export type CreateSelfPurchaseCommand = z.input<typeof createSelfPurchaseBody>;

export const updateSelfPurchaseBody = z.object({
  version: z.number().int().positive(),
  warehouseId: id.optional(),
  supplierId: id.optional(),
  inspector: text(50).nullable().optional(),
  remarks: text(1000).nullable().optional(),
  lines: z.array(selfPurchaseLineInput).min(1).max(2000).optional(),
});
export type UpdateSelfPurchaseCommand = z.input<typeof updateSelfPurchaseBody>;

export const voidSelfPurchaseLinesBody = z.object({
  lineIds: z.array(id).min(1).max(2000),
  reason: text(500).min(1),
});

// ---- purchase returns (PUR-3)

export const purchaseReturnLineInput = z.object({
  /** The receipt or self-purchase line the goods came in on. */
  receiptLineId: id,
  qty: positiveQty,
  unitId: id.nullable().optional(),
  /** Where the goods are now, when they moved since receiving; omitted: the receipt line's shelf/status. */
  shelfId: id.nullable().optional(),
  stockStatus: stockStatus.optional(),
  remarks: text(500).optional(),
});
export type PurchaseReturnLineInput = z.infer<typeof purchaseReturnLineInput>;

export const createReturnBody = z.object({
  orgId: id,
  /** Omitted: the supplier of the referenced receipts. */
  supplierId: id.optional(),
  businessDate: isoDate.optional(),
  reason: text(200).optional(),
  remarks: text(1000).optional(),
  lines: z.array(purchaseReturnLineInput).min(1).max(2000),
});
export type CreateReturnCommand = z.input<typeof createReturnBody>;

export const updateReturnBody = z.object({
  version: z.number().int().positive(),
  reason: text(200).nullable().optional(),
  remarks: text(1000).nullable().optional(),
  lines: z.array(purchaseReturnLineInput).min(1).max(2000).optional(),
});
export type UpdateReturnCommand = z.input<typeof updateReturnBody>;

// ---- first-time-operation applications (MD-5)

export const FIRST_OPERATION_KINDS = ['product', 'supplier', 'manufacturer'] as const;
export type FirstOperationKind = (typeof FIRST_OPERATION_KINDS)[number];
export const firstOperationKindLabels = {
  product: { zh: '首营商品', en: 'New product' },
  supplier: { zh: '首营供应商', en: 'New supplier' },
  manufacturer: { zh: '首营厂家', en: 'New manufacturer' },
} as const;

/** Proposed partner master data; the company owns the record HQ creates. */
export const partnerProposal = entity('partner', createPartnerBody.omit({ orgId: true }));
export const productProposal = createProductBody;

/** What a first-operation document keeps in its header attrs. */
export const firstOperationAttrs = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('product'), proposal: productProposal, reason: text(500).optional() }),
  z.object({ kind: z.literal('supplier'), proposal: partnerProposal, reason: text(500).optional() }),
  z.object({ kind: z.literal('manufacturer'), proposal: partnerProposal, reason: text(500).optional() }),
]);
export type FirstOperationAttrs = z.output<typeof firstOperationAttrs>;

export const createFirstOperationBody = entity(
  'firstOperation',
  z.object({
    orgId: id,
    kind: z.enum(FIRST_OPERATION_KINDS),
    /** A product (code, name, units, barcodes, prices…) or a partner (code, name, licence…), as master data takes it. */
    proposal: jsonObject(),
    reason: text(500).optional(),
    remarks: text(1000).optional(),
  }),
);
export type CreateFirstOperationCommand = z.input<typeof createFirstOperationBody>;

export const firstOperationDecisionBody = z.object({
  decision: z.enum(['approve', 'reject']),
  /** Required for a rejection. */
  comment: text(1000).optional(),
});

// ---- queries

const PURCHASE_DETAIL_TYPES = ['purchase_receipt', 'self_purchase', 'purchase_return'] as const;

export const purchaseDetailQuery = pageQuery.extend({
  orgId: id.optional(),
  supplierId: id.optional(),
  productId: id.optional(),
  docType: z.enum(PURCHASE_DETAIL_TYPES).optional(),
  lotNo: text(50).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
export type PurchaseDetailQuery = z.infer<typeof purchaseDetailQuery>;

export const ACCEPTANCE_CONCLUSIONS = ['accepted', 'partly_rejected', 'rejected'] as const;
export const acceptanceConclusionLabels = {
  accepted: { zh: '合格', en: 'Accepted' },
  partly_rejected: { zh: '部分拒收', en: 'Partly rejected' },
  rejected: { zh: '拒收', en: 'Rejected' },
} as const;

export const acceptanceRecordQuery = pageQuery.extend({
  orgId: id.optional(),
  supplierId: id.optional(),
  productId: id.optional(),
  lotNo: text(50).optional(),
  conclusion: z.enum(ACCEPTANCE_CONCLUSIONS).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
export type AcceptanceRecordQuery = z.infer<typeof acceptanceRecordQuery>;

export const purchasePayableQuery = pageQuery.extend({
  orgId: id.optional(),
  supplierId: id.optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
export type PurchasePayableQuery = z.infer<typeof purchasePayableQuery>;

/** Default purchase prices (进价) of products at a buying org, for the line grids of the purchasing screens. */
export const purchasePriceQuery = z.object({
  orgId: id,
  productIds: idListString(500).transform((ids) => [...new Set(ids)]),
});
export type PurchasePriceQuery = z.infer<typeof purchasePriceQuery>;

// ---- attrs kept on purchasing documents (checked by the type handlers)

/**
 * What a purchasing line keeps in its attrs beyond the engine's columns. `qty`/`unit_price` of the line are
 * always in the base unit; a line entered in a pack unit remembers the unit, the quantity and the price as
 * entered and the factor used, so the document shows what the user typed and the books stay in base units.
 */
export const purchaseLineAttrs = z
  .object({
    unitId: id.optional(),
    unitQty: qtyString.optional(),
    unitPrice: costString.optional(),
    factor: cleanText().max(30).optional(),
    /** Receipts and self-purchases: quantity refused at acceptance, in base units. */
    rejectedQty: nonNegativeQty.optional(),
    rejectReason: text(200).optional(),
    /** A self-purchase line voided after posting (its posting reversed). */
    voidReason: text(500).optional(),
    voidedBy: z.number().optional(),
    voidedAt: cleanText().max(40).optional(),
  })
  .loose();
export type PurchaseLineAttrs = z.infer<typeof purchaseLineAttrs>;

/** Header attrs of purchase orders, receipts, returns and self-purchases. */
export const purchaseHeaderAttrs = z
  .object({
    expectedDate: isoDate.optional(),
    inspector: text(50).optional(),
    reason: text(200).optional(),
  })
  .loose();
export type PurchaseHeaderAttrs = z.infer<typeof purchaseHeaderAttrs>;

// ---- response shapes (the server's; the web reads them as Wire<T>)

export interface PurchaseOrderListItem {
  id: number;
  number: string;
  status: DocStatus;
  businessDate: string;
  orgId: number;
  orgCode: string;
  orgName: string;
  warehouseId: number | null;
  warehouseName: string | null;
  supplierId: number | null;
  supplierCode: string | null;
  supplierName: string | null;
  expectedDate: string | null;
  totalAmount: string;
  orderedQty: string;
  receivedQty: string;
  openQty: string;
  closedShort: boolean;
  createdAt: Date;
}

export interface AcceptanceRecordRow {
  id: number;
  orgId: number;
  orgName: string;
  warehouseName: string;
  documentId: number;
  number: string;
  docType: string;
  supplierName: string | null;
  productId: number;
  productCode: string;
  productName: string;
  batchNo: string;
  lotNo: string;
  expiryDate: string | null;
  receivedQty: string;
  acceptedQty: string;
  rejectedQty: string;
  conclusion: 'accepted' | 'partly_rejected' | 'rejected';
  rejectReason: string | null;
  inspector: string;
  inspectedAt: Date;
  businessDate: string;
  voided: boolean;
}

export interface PurchaseDetailRow {
  documentId: number;
  number: string;
  docType: string;
  businessDate: string;
  orgId: number;
  orgName: string;
  warehouseName: string | null;
  supplierId: number | null;
  supplierCode: string | null;
  supplierName: string | null;
  lineId: number;
  lineNo: number;
  productId: number;
  productCode: string;
  productName: string;
  batchNo: string;
  lotNo: string;
  expiryDate: string | null;
  /** Signed: returns are negative. */
  qty: string;
  unitPrice: string;
  amount: string;
  lineStatus: string;
}

export interface PayableRow {
  id: number;
  orgId: number;
  orgName: string;
  supplierId: number;
  supplierCode: string | null;
  supplierName: string | null;
  documentId: number;
  number: string;
  docType: string;
  amount: string;
  businessDate: string;
}
