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
  /**
   * The stock key. Inbound: where the goods land ('' / none when omitted). Outbound: a named field is a filter
   * and an omitted one ('' for batch and lot, null for shelf) is chosen by the allocator — FEFO across the
   * product's batches, lots and shelves (see stock-allocation.ts) — unless the posting is `exact`.
   */
  batchNo?: string;
  lotNo?: string;
  /** Inbound only; an in-leg with costFromMove keeps each out-piece's expiry unless this is given. */
  expiryDate?: string | null;
  shelfId?: number | null;
  status?: StockStatus;
  /** Outbound: take this lot first (a scanned GS1 code named it), then the rest by FEFO. */
  preferLotNo?: string | null;
  sourceLineId?: number | null;
}

export interface PostOptions {
  /**
   * What an outbound short of stock does: 'refuse' (default: INSUFFICIENT_STOCK unless the store allows
   * negative stock), 'never' (refused even there: relabelling or moving stock that is not there), 'debt' (a
   * paid sale is a fact: booked below zero, and where the store forbids that, a stock-debt exception).
   */
  shortage?: 'refuse' | 'never' | 'debt';
  /** The moves name exact keys: no allocation and no debt settlement (stocktake results). */
  exact?: boolean;
  /** Sales: the business day; stock expiring before it is expired. */
  saleDay?: string;
  /** Sales: the store sells expired lots in plain FEFO order; otherwise they come last and are flagged. */
  sellExpired?: boolean;
}

/** What a ledger row may stand on; the database keeps a foreign key per kind (see migration 0006). */
export const STOCK_SOURCE_TYPES = ['document', 'pos_sale'] as const;

export interface StockSource {
  /** A document (any type) or a till sale/return; the row must exist when the transaction commits. */
  type: (typeof STOCK_SOURCE_TYPES)[number];
  id: number;
  businessDate: string;
}

/** Where one move's quantity was really taken from or put: one per stock key (one ledger row each). */
export interface PostedPiece {
  batchNo: string;
  lotNo: string;
  shelfId: number;
  status: StockStatus;
  expiryDate: string | null;
  qty: string;
  unitCost: string;
  amount: string;
  /** Taken below zero as stock debt. */
  debt: boolean;
}

/** A move as posted: its total (amount at the pieces' costs, unit cost their average) and its pieces. */
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
  pieces: PostedPiece[];
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
