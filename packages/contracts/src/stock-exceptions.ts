import { z } from 'zod';
import { id, pageQuery } from './common.js';
import type { DocType } from './doc-types.js';
import { entity } from './fields.js';
import { text } from './validation.js';

// Stock exceptions (issue 9): what a paid sale could not take by the rules — stock debt (sold below zero
// where the store forbids it) and expired lots a sale had to take. The store manager's list.

export const STOCK_EXCEPTION_KINDS = ['stock_debt', 'expired_sold'] as const;
export type StockExceptionKind = (typeof STOCK_EXCEPTION_KINDS)[number];

export const stockExceptionKindLabels: Record<StockExceptionKind, { zh: string; en: string }> = {
  stock_debt: { zh: '负库存销售（库存欠账）', en: 'Sold below zero (stock debt)' },
  expired_sold: { zh: '售出过期批次', en: 'Expired lot sold' },
};

export const stockExceptionResolutionLabels = {
  stock_arrived: { zh: '到货冲抵', en: 'Settled by arriving stock' },
  acknowledged: { zh: '已确认处理', en: 'Acknowledged' },
} as const;

export const stockExceptionQuery = entity(
  'stockException',
  pageQuery.extend({
    orgId: id.optional(),
    status: z.enum(['open', 'resolved']).optional(),
    kind: z.enum(STOCK_EXCEPTION_KINDS).optional(),
  }),
);
export type StockExceptionQuery = z.infer<typeof stockExceptionQuery>;

export const acknowledgeStockExceptionBody = z.object({ note: text().trim().min(1).max(200) });
export const stockExceptionParams = z.object({ id });

/** What a business day's sales raised (the daily report). */
export interface DayStockExceptions {
  stockDebts: number;
  stockDebtQty: string;
  expiredSold: number;
  /** Of those, how many are still open. */
  open: number;
}

export interface StockExceptionDto {
  id: number;
  kind: StockExceptionKind;
  status: 'open' | 'resolved';
  orgId: number;
  orgName: string;
  warehouseId: number;
  warehouseCode: string;
  productId: number;
  productCode: string;
  productName: string;
  lotNo: string | null;
  expiryDate: string | null;
  qty: string;
  businessDate: string;
  /** The sale (receipt number) or document (its number) that caused it. */
  sourceType: 'document' | 'pos_sale';
  sourceId: number;
  sourceNumber: string | null;
  /** The source document's type (null for a till sale). */
  sourceDocType: DocType | null;
  /** The product's sellable stock in that warehouse now (negative while the debt stands). */
  stockNow: string;
  resolution: 'stock_arrived' | 'acknowledged' | null;
  resolvedAt: Date | null;
  resolvedSourceNumber: string | null;
  note: string | null;
  createdAt: Date;
}
