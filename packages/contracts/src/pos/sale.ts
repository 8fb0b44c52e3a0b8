import { z } from 'zod';
import { idListString } from '../catalog/pricing.js';
import { queryBool } from '../catalog/shared.js';
import { costString, id, isoDate, isPositiveDecimal, moneyString, pageQuery, qtyString } from '../common.js';
import { entity, labelled } from '../fields.js';
import { bilingual, rule, text } from '../validation.js';
import { DISCOUNT_KINDS, SALE_DISCOUNT_KINDS } from './pricing.js';
import { AUTHORIZATION_PURPOSES } from './till.js';

// Sales, tenders, mobile payments and returns (POS-2…6, POS-9).

export const SALE_STATUSES = ['temporary', 'formal', 'held', 'void'] as const;
export type SaleStatus = (typeof SALE_STATUSES)[number];
export const saleStatusLabels = {
  temporary: { zh: '临时', en: 'Temporary' },
  formal: { zh: '正式', en: 'Formal' },
  held: { zh: '挂单', en: 'Held' },
  void: { zh: '已清除', en: 'Cleared' },
} as const;

export const SALE_KINDS = ['sale', 'return'] as const;
export type SaleKind = (typeof SALE_KINDS)[number];

/** Stock for a sale: posted at once (supermarket), or waiting for picking and outbound review (wholesale). */
export const FULFILMENT_STATUSES = ['none', 'posted', 'awaiting_review', 'reviewed'] as const;
export type FulfilmentStatus = (typeof FULFILMENT_STATUSES)[number];

export const TENDER_METHODS = ['cash', 'bank_card', 'mobile'] as const;
export type TenderMethod = (typeof TENDER_METHODS)[number];
export const tenderMethodLabels = {
  cash: { zh: '现金', en: 'Cash' },
  bank_card: { zh: '银行卡', en: 'Bank card' },
  mobile: { zh: '移动支付', en: 'Mobile payment' },
} as const;

export const MOBILE_CHANNELS = ['wechat', 'alipay', 'unionpay'] as const;
export type MobileChannel = (typeof MOBILE_CHANNELS)[number];

export const manualDiscount = entity('lineDiscount', z.object({ kind: z.enum(DISCOUNT_KINDS), value: costString }));
export const saleDiscount = entity('saleDiscount', z.object({ kind: z.enum(SALE_DISCOUNT_KINDS), value: moneyString }));

export const saleLineInput = z.object({
  productId: id,
  qty: qtyString.refine(isPositiveDecimal, rule('positive')),
  /** The unit price the till showed before discounts; checked against master data (online) or kept (offline). */
  unitPrice: costString.optional(),
  discount: manualDiscount.optional(),
  /** What was scanned (weighed-goods barcodes included), kept for the journal. */
  barcode: text().trim().max(64).optional(),
  /**
   * The lot (批号) a scanned GS1 code named: the sale takes that lot first, then the rest by FEFO. Without it
   * the server picks the lots itself (earliest expiry first).
   */
  lotNo: text().trim().max(50).optional(),
});
export type SaleLineInput = z.input<typeof saleLineInput>;

export const tenderInput = z.object({
  method: z.enum(TENDER_METHODS),
  /** Cash: what the customer handed over (change is computed). Others: the amount charged. */
  amount: moneyString.refine(isPositiveDecimal, rule('positive')),
  /** Card slip / terminal reference. */
  reference: text().trim().max(100).optional(),
  /** Mobile payments: the payment intent that took the money. */
  paymentIntentId: z.uuid().optional(),
});
export type TenderInput = z.input<typeof tenderInput>;

/** An authorisation the till checked itself while offline (supervisor PIN verified locally). */
export const offlineAuthorization = z.object({
  supervisorId: id,
  purpose: z.enum(AUTHORIZATION_PURPOSES),
  at: z.iso.datetime({ offset: true }),
  maxDiscountRate: text().max(10).optional(),
});

/**
 * A sale as the till sends it. `clientId` (a UUID the till generates) is the sale's idempotency key: a
 * replay returns the stored sale. Amounts are computed by the server with the same pricing pipeline the
 * till runs; `expectedTotal` lets the server refuse when the till's total differs (stale prices).
 */
export const saleBody = z.object({
  clientId: z.uuid(),
  receiptNo: text().trim().min(1).max(40),
  /** formal = paid; temporary = settled, not fully paid; held = parked (挂单). */
  status: z.enum(['formal', 'temporary', 'held']).default('formal'),
  /** The till's clock when the sale was made; defaults to now. */
  soldAt: z.iso.datetime({ offset: true }).optional(),
  shiftId: z.uuid().optional(),
  memberId: id.optional(),
  lines: z.array(saleLineInput).min(1).max(500),
  saleDiscount: saleDiscount.optional(),
  tenders: z.array(tenderInput).max(10).default([]),
  expectedTotal: moneyString.optional(),
  authorizationId: z.uuid().optional(),
  remarks: text().trim().max(200).optional(),
});
export type SaleCommand = z.input<typeof saleBody>;

/** One sale of an offline batch (脱机上传): made while the server was unreachable. */
export const uploadSale = saleBody.extend({
  soldAt: z.iso.datetime({ offset: true }),
  terminalId: id,
  cashierId: id,
  offlineAuthorization: offlineAuthorization.optional(),
});
export type UploadSaleCommand = z.input<typeof uploadSale>;

export const shiftOpenInput = z.object({
  id: z.uuid(),
  float: moneyString,
  openedAt: z.iso.datetime({ offset: true }).optional(),
  cashierId: id.optional(),
});

/**
 * One sale of an upload as the batch carries it: only its client id is checked with the batch. The rest is
 * checked sale by sale against `uploadSale` (one bad sale is queued with its reason; it never fails the batch).
 */
export const uploadSaleEnvelope = z.looseObject({ clientId: z.uuid() });

export const uploadBody = z.object({
  /** Shifts opened while offline, applied before the sales (idempotent on id). */
  shifts: z.array(shiftOpenInput).max(50).default([]),
  /** Each an `uploadSale`, validated on its own. */
  sales: z.array(uploadSaleEnvelope).min(1).max(500),
});
export type UploadCommand = z.input<typeof uploadBody>;

export const UPLOAD_RESULTS = ['accepted', 'duplicate', 'queued'] as const;

export const uploadErrorListQuery = pageQuery.extend({
  storeId: id.optional(),
  status: z.enum(['open', 'resolved', 'discarded']).optional(),
});

/** A supervisor's correction of a failed upload before retrying it (e.g. quantity or product). */
export const uploadErrorEditBody = z.object({
  lines: z.array(saleLineInput).min(1).max(500).optional(),
  tenders: z.array(tenderInput).max(10).optional(),
  saleDiscount: saleDiscount.nullable().optional(),
  remarks: text().trim().max(200).optional(),
});

export const uploadErrorDiscardBody = z.object({ reason: text().trim().min(2).max(200) });

export const PAYMENT_STATUSES = ['pending', 'succeeded', 'failed', 'unknown', 'cancelled', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** Starts a mobile payment: the till scanned the customer's payment code (付款码). */
export const paymentBody = z.object({
  /** Generated by the till: the payment's idempotency key and the provider's out-trade-no. */
  intentId: z.uuid(),
  clientSaleId: z.uuid(),
  channel: z.enum(MOBILE_CHANNELS).default('wechat'),
  amount: moneyString.refine(isPositiveDecimal, rule('positive')),
  authCode: text().trim().min(6).max(64),
});
export type PaymentCommand = z.input<typeof paymentBody>;

export const returnLineInput = z.object({
  /** The original sale line (returns from a receipt). */
  originalLineId: id.optional(),
  /** Manual returns: the product and the refund amount. */
  productId: id.optional(),
  qty: qtyString.refine(isPositiveDecimal, rule('positive')),
  amount: moneyString.optional(),
});

/** A return (零售退货): from the original receipt number, or manual with a supervisor's authorisation. */
export const returnBody = z
  .object({
    clientId: z.uuid(),
    receiptNo: text().trim().min(1).max(40),
    originalReceiptNo: text().trim().max(40).optional(),
    shiftId: z.uuid().optional(),
    lines: z.array(returnLineInput).min(1).max(500),
    /** Manual returns only: how the money goes back (cash or card). Receipt returns go to the original tenders. */
    refundMethod: z.enum(['cash', 'bank_card']).optional(),
    authorizationId: z.uuid().optional(),
    reason: text().trim().max(200).optional(),
  })
  .refine(
    (r) =>
      r.originalReceiptNo
        ? r.lines.every((l) => l.originalLineId !== undefined)
        : r.lines.every((l) => l.productId !== undefined && l.amount !== undefined),
    bilingual(
      '按原小票退货须指明原明细；无小票退货须填写商品和金额',
      'Receipt returns name the original lines; manual returns name product and amount',
    ),
  );
export type ReturnCommand = z.input<typeof returnBody>;

export const journalQuery = pageQuery.extend({
  /** Newest first unless asked otherwise. */
  order: z.enum(['asc', 'desc']).default('desc'),
  storeId: id.optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  cashierId: id.optional(),
  terminalId: id.optional(),
  receiptNo: text().trim().max(40).optional(),
  productId: id.optional(),
  status: z.enum(SALE_STATUSES).optional(),
  kind: labelled('sale.kind', z.enum(SALE_KINDS)).optional(),
  /** Only sales that reached the server after their day had closed (landed on a later day). */
  late: queryBool.optional(),
});
export type JournalQuery = z.infer<typeof journalQuery>;

export const invoiceBody = z.object({
  invoiceNo: text().trim().min(1).max(50),
  invoiceAt: z.iso.datetime({ offset: true }).optional(),
});

export const reviewBody = z.object({ saleIds: z.array(id).min(1).max(500) });

export const cleanupBody = z.object({
  storeId: id,
  /** Only temporary sales older than this many minutes (a till may still be finishing one). */
  olderThanMinutes: z.number().int().min(0).max(100_000).default(30),
});

/**
 * The till asks, before payment, whether the store has the goods (库存不够不允许销售 is enforced here, at the
 * till, never by refusing a paid sale afterwards). Read-only.
 */
export const stockCheckBody = z.object({
  lines: z
    .array(
      z.object({
        productId: id,
        qty: qtyString.refine(isPositiveDecimal, rule('positive')),
        /** The lot a scanned GS1 code named; availability is per product (the sale takes that lot first). */
        lotNo: text().trim().max(50).optional(),
      }),
    )
    .min(1)
    .max(500),
});
export type StockCheckCommand = z.input<typeof stockCheckBody>;

export const priceTagQuery = z.object({
  storeId: id,
  productIds: idListString(500),
});
