import type { DecimalInput } from '@erp/contracts';

export const STOCK_STATUSES = ['sellable', 'unsellable', 'pending_check'] as const;
export type StockStatus = (typeof STOCK_STATUSES)[number];

export const stockStatusLabels: Record<StockStatus, { zh: string; en: string }> = {
  sellable: { zh: '合格', en: 'Sellable' },
  unsellable: { zh: '不合格', en: 'Unsellable' },
  pending_check: { zh: '待查', en: 'Pending check' },
};

/** One movement to post. `qty` is signed: positive in, negative out. */
export interface StockMove {
  warehouseId: number;
  productId: number;
  qty: DecimalInput;
  /**
   * Inbound: the cost of the goods (purchase price, transfer cost). Omitted: the batch's cost if the batch
   * is known, else the current moving average. Outbound: omitted = batch cost or moving average.
   */
  unitCost?: DecimalInput;
  /** Take the unit cost of another (outbound) move of this same call, e.g. the out-leg of a transfer. */
  costFromMove?: number;
  batchNo?: string;
  lotNo?: string;
  expiryDate?: string | null;
  shelfId?: number | null;
  status?: StockStatus;
  sourceLineId?: number | null;
}

export interface StockSource {
  /** 'document', 'sale', … */
  type: string;
  id: number;
  businessDate: string;
}

export interface PostedMove {
  warehouseId: number;
  productId: number;
  batchNo: string;
  lotNo: string;
  shelfId: number;
  status: StockStatus;
  qty: string;
  unitCost: string;
  amount: string;
  sourceLineId: number | null;
}

export interface BalanceKey {
  warehouseId: number;
  productId: number;
  batchNo: string;
  lotNo: string;
  shelfId: number;
  status: string;
}

export function balanceKeyString(k: BalanceKey): string {
  return `${k.warehouseId}|${k.productId}|${k.batchNo}|${k.lotNo}|${k.shelfId}|${k.status}`;
}

/** The fixed order every posting locks rows in, so two postings never wait on each other in a cycle. */
export function compareBalanceKeys(a: BalanceKey, b: BalanceKey): number {
  return (
    a.warehouseId - b.warehouseId ||
    a.productId - b.productId ||
    (a.batchNo < b.batchNo ? -1 : a.batchNo > b.batchNo ? 1 : 0) ||
    (a.lotNo < b.lotNo ? -1 : a.lotNo > b.lotNo ? 1 : 0) ||
    a.shelfId - b.shelfId ||
    (a.status < b.status ? -1 : a.status > b.status ? 1 : 0)
  );
}
