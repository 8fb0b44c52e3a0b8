import { isReachable, NetworkError, TILL, TillApiError, till } from './api';
import { type CartLine, db, KV, kvGet, type LocalStock, type OutboxSale } from './db';
import { committedQty, offlineShortages, onlineShortages, type Shortage, type StockCheckAnswer, stockNeeds } from './stock.rules';
import { tillStore } from './store';

/**
 * The stock check before payment (see stock.rules.ts for the rule). `blocked`: online and short, payment does
 * not open. `warn`: offline and short by the till's copy, the cashier may sell anyway. An older server (no
 * stock-check route, no stock in the sync) means no check at all.
 */
export type StockVerdict = { kind: 'ok' } | { kind: 'blocked'; shortages: Shortage[] } | { kind: 'warn'; shortages: Shortage[] };

export async function checkStockBeforePay(lines: readonly CartLine[]): Promise<StockVerdict> {
  const needs = stockNeeds(lines);
  if (!needs.length) return { kind: 'ok' };
  if (tillStore.get().cashier?.token && isReachable()) {
    try {
      const answer = await till.post<StockCheckAnswer>(
        TILL.stockCheck,
        { lines: needs.map((n) => ({ productId: n.productId, qty: n.qty, ...(n.lotNo ? { lotNo: n.lotNo } : {}) })) },
        { timeoutMs: 5000 },
      );
      const short = onlineShortages(needs, answer);
      return short.length ? { kind: 'blocked', shortages: short } : { kind: 'ok' };
    } catch (e) {
      // A server without the check: none online. Unreachable (or failing): the offline rule below.
      if (e instanceof TillApiError && e.status === 404) return { kind: 'ok' };
      if (!(e instanceof NetworkError) && !(e instanceof TillApiError)) throw e;
    }
  }
  const short = await offlineCheck(lines);
  return short.length ? { kind: 'warn', shortages: short } : { kind: 'ok' };
}

async function offlineCheck(lines: readonly CartLine[]): Promise<Shortage[]> {
  const stockAt = await kvGet<string>(KV.stockAt);
  const settings = tillStore.get().settings;
  if (!stockAt || settings?.negativeAllowed !== false) return [];
  const needs = stockNeeds(lines);
  const ids = [...new Set(needs.map((n) => n.productId))];
  const rows = await db.stock.bulkGet(ids);
  const stock = new Map(rows.filter((r): r is LocalStock => !!r).map((r) => [r.productId, r]));
  return offlineShortages(needs, stock, committedQty(await soldSince(stockAt)), settings);
}

/** Sales the stock copy cannot include: not booked yet (pending, refused), or booked after the copy was taken. */
async function soldSince(stockAt: string): Promise<OutboxSale[]> {
  const [open, later] = await Promise.all([
    db.outbox.where('status').anyOf(['pending', 'refused']).toArray(),
    db.outbox.where('syncedAt').above(stockAt).toArray(),
  ]);
  const by = new Map<string, OutboxSale>();
  for (const s of [...open, ...later]) by.set(s.clientId, s);
  return [...by.values()];
}
