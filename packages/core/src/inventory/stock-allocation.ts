import { type Dec, dec } from '@erp/contracts';
import type { StockStatus } from './inventory.models.js';

// The one allocator (GUIDE "Do this, not that"): every outbound that does not name its exact stock key —
// a sale, a loss, a move, a return to the supplier — takes its quantity across the keys the product really
// sits under (batch, lot, shelf), earliest expiry first, then oldest arrival (FEFO). Pure functions: the
// ledger service reads the balances under its locks, calls these, and writes what they decide.

/** One balance row of a (warehouse, product), as the allocator sees and updates it. */
export interface BalanceState {
  batchNo: string;
  lotNo: string;
  shelfId: number;
  status: StockStatus;
  qty: Dec;
  expiryDate: string | null;
  /** Epoch ms of the latest arrival under the key from zero or below. */
  receivedAt: number;
}

/** What an outbound asks for: fixed fields are filters, null ones are the allocator's to choose. */
export interface PickRequest {
  status: StockStatus;
  batchNo: string | null;
  lotNo: string | null;
  shelfId: number | null;
  /** Positive quantity to take. */
  qty: Dec;
  /** A lot to take first (a scanned GS1 code named it), then the rest by FEFO. */
  preferLotNo?: string | null | undefined;
}

export interface PickPolicy {
  /** Stock whose expiry is before this day is expired. Only sales pass it. */
  expiredBefore?: string | null | undefined;
  /** Sales where the store does not sell expired lots: expired stock only after all the rest. */
  expiredLast?: boolean | undefined;
}

export interface Pick {
  state: BalanceState;
  qty: Dec;
  expired: boolean;
}

export interface PickResult {
  picks: Pick[];
  /** What could not be taken from stock on hand (stock debt or a refusal, the caller decides). */
  short: Dec;
  /** What the request could take at most: the "available" a refusal names. */
  available: Dec;
}

function matches(b: BalanceState, r: PickRequest): boolean {
  return (
    b.status === r.status &&
    (r.batchNo === null || b.batchNo === r.batchNo) &&
    (r.lotNo === null || b.lotNo === r.lotNo) &&
    (r.shelfId === null || b.shelfId === r.shelfId)
  );
}

function isExpired(b: BalanceState, policy: PickPolicy): boolean {
  return !!policy.expiredBefore && b.expiryDate !== null && b.expiryDate < policy.expiredBefore;
}

const cmpText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** FEFO: earliest expiry (none last), then oldest arrival, then the key, so the order is total. */
export function fefoOrder(a: BalanceState, b: BalanceState): number {
  if (a.expiryDate !== b.expiryDate) {
    if (a.expiryDate === null) return 1;
    if (b.expiryDate === null) return -1;
    return cmpText(a.expiryDate, b.expiryDate);
  }
  return a.receivedAt - b.receivedAt || cmpText(a.batchNo, b.batchNo) || cmpText(a.lotNo, b.lotNo) || a.shelfId - b.shelfId;
}

/**
 * Takes `req.qty` from the balances (updating them) and says what came from where. A request that fixes no
 * field may take at most the net stock of its status — keys below zero (stock debt) count against it — so
 * what a screen calls available is exactly what a document can take.
 */
export function pickStock(balances: BalanceState[], req: PickRequest, policy: PickPolicy = {}): PickResult {
  const candidates = balances.filter((b) => matches(b, req) && b.qty.greaterThan(0));
  let available = candidates.reduce((s, b) => s.plus(b.qty), dec(0));
  const unfiltered = req.batchNo === null && req.lotNo === null && req.shelfId === null;
  if (unfiltered) {
    const net = balances.filter((b) => b.status === req.status).reduce((s, b) => s.plus(b.qty), dec(0));
    if (net.lessThan(available)) available = net.greaterThan(0) ? net : dec(0);
  }
  const rank = (b: BalanceState) =>
    (req.preferLotNo && b.lotNo === req.preferLotNo ? 0 : 2) + (policy.expiredLast && isExpired(b, policy) ? 1 : 0);
  candidates.sort((a, b) => rank(a) - rank(b) || fefoOrder(a, b));
  const picks: Pick[] = [];
  let left = req.qty.lessThan(available) ? req.qty : available;
  for (const b of candidates) {
    if (!left.greaterThan(0)) break;
    const take = b.qty.lessThan(left) ? b.qty : left;
    b.qty = b.qty.minus(take);
    left = left.minus(take);
    picks.push({ state: b, qty: take, expired: isExpired(b, policy) });
  }
  const taken = picks.reduce((s, p) => s.plus(p.qty), dec(0));
  return { picks, short: req.qty.minus(taken), available };
}

/**
 * Goods arriving under `into` first settle the keys of the same status that stand below zero (a sale booked
 * as stock debt): the debt moves onto the arriving stock, so the negative key returns to zero and the stock
 * screen shows what is really on the shelf. Returns how much each negative key receives (updating both).
 */
export function settleDebts(balances: BalanceState[], into: BalanceState, qty: Dec): { to: BalanceState; qty: Dec }[] {
  const out: { to: BalanceState; qty: Dec }[] = [];
  let left = qty;
  const debts = balances
    .filter((b) => b !== into && b.status === into.status && b.qty.lessThan(0))
    .sort((a, b) => fefoOrder(a, b));
  for (const d of debts) {
    if (!left.greaterThan(0)) break;
    const owed = d.qty.negated();
    const give = owed.lessThan(left) ? owed : left;
    d.qty = d.qty.plus(give);
    into.qty = into.qty.minus(give);
    left = left.minus(give);
    out.push({ to: d, qty: give });
  }
  return out;
}
