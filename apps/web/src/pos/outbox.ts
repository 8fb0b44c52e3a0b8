import { dec, money } from '@erp/contracts';
import { NetworkError, TILL, TillApiError, till } from './api';
import type { CartTotals } from './cart';
import { type Cart, db, KV, type LocalReceipt, type OutboxSale, type TenderEntry } from './db';
import { tillStore } from './store';

/**
 * The outbox (POS-9): a finished sale is committed here — in one IndexedDB transaction, with its client id
 * and its receipt number — BEFORE the receipt prints. Uploads go out in commit order and are idempotent on
 * the client id, so a sale is on the server exactly once however often it is sent:
 *   - a sale made online by the signed-in cashier goes through the checkout (the server re-prices it);
 *   - everything else (made offline, refused by the checkout, another cashier's) goes through the offline
 *     upload, which assigns the business day and puts what it cannot apply in the supervisor's error queue.
 */

export interface CommitInput {
  cart: Cart;
  totals: CartTotals;
  tenders: TenderEntry[];
  change: string;
  cashier: { id: number; name: string };
  shiftId: string;
  terminal: { id: number; code: string };
  madeOnline: boolean;
}

export function buildReceipt(input: CommitInput, receiptNo: string, soldAt: string): LocalReceipt {
  const priced = input.totals.result?.lines ?? [];
  const paid = money(input.tenders.reduce((s, t) => s.plus(t.amount), dec(0)));
  return {
    receiptNo,
    kind: 'sale',
    soldAt,
    cashierName: input.cashier.name,
    terminalCode: input.terminal.code,
    lines: input.cart.lines.map((l, i) => {
      const p = priced[i];
      const amount = p?.amount ?? money(dec(l.qty).times(l.unitPrice));
      return {
        name: `${l.name}${l.spec ? ` ${l.spec}` : ''}`,
        qty: dec(l.qty).toString(),
        unitPrice: money(l.unitPrice),
        amount,
        discount: p ? money(dec(p.gross).minus(p.amount).plus(p.rounding)) : '0.00',
      };
    }),
    gross: input.totals.gross,
    discount: input.totals.discount,
    rounding: input.totals.rounding,
    total: input.totals.total,
    tenders: input.tenders.map((t) => ({ method: t.method, amount: money(t.amount) })),
    paid,
    change: input.change,
    savings: money(dec(input.totals.gross).minus(input.totals.total)),
    offline: !input.madeOnline,
  };
}

/** Commits a finished sale to the outbox (and clears the saved cart) in one transaction. */
export async function commitSale(input: CommitInput): Promise<OutboxSale> {
  const { cart } = input;
  if (!cart.receiptNo) throw new Error('receipt number missing');
  const soldAt = new Date().toISOString();
  const receipt = buildReceipt(input, cart.receiptNo, soldAt);
  const record: OutboxSale = {
    clientId: cart.clientId,
    receiptNo: cart.receiptNo,
    seq: 0,
    status: 'pending',
    kind: 'sale',
    madeOnline: input.madeOnline,
    createdAt: soldAt,
    cashierId: input.cashier.id,
    cashierName: input.cashier.name,
    shiftId: input.shiftId,
    payload: {
      clientId: cart.clientId,
      receiptNo: cart.receiptNo,
      status: 'formal',
      soldAt,
      shiftId: input.shiftId,
      ...(cart.memberId ? { memberId: cart.memberId } : {}),
      lines: cart.lines.map((l) => ({
        productId: l.productId,
        qty: dec(l.qty).toFixed(3),
        unitPrice: l.unitPrice,
        ...(l.discount ? { discount: l.discount } : {}),
        ...(l.barcode ? { barcode: l.barcode } : {}),
      })),
      ...(cart.saleDiscount ? { saleDiscount: cart.saleDiscount } : {}),
      tenders: input.tenders.map((t) => ({
        method: t.method,
        amount: money(t.amount),
        ...(t.reference ? { reference: t.reference } : {}),
        ...(t.paymentIntentId ? { paymentIntentId: t.paymentIntentId } : {}),
      })),
      expectedTotal: input.totals.total,
      ...(cart.authorizationId ? { authorizationId: cart.authorizationId } : {}),
      terminalId: input.terminal.id,
      cashierId: input.cashier.id,
      ...(cart.offlineAuthorization ? { offlineAuthorization: cart.offlineAuthorization } : {}),
    },
    receipt,
    attempts: 0,
    lastError: null,
  };
  await db.transaction('rw', db.outbox, db.kv, db.held, async () => {
    const seq = (((await db.kv.get(KV.outboxSeq))?.value as number | undefined) ?? 0) + 1;
    record.seq = seq;
    await db.kv.put({ key: KV.outboxSeq, value: seq });
    await db.outbox.add(record);
    await db.kv.put({ key: KV.lastReceipt, value: receipt });
    await db.kv.delete(KV.cart);
    await db.held.delete(cart.clientId);
  });
  await refreshOutboxCounts();
  return record;
}

export async function refreshOutboxCounts(): Promise<void> {
  const [unsynced, queued] = await Promise.all([
    db.outbox.where('status').equals('pending').count(),
    db.outbox.where('status').equals('queued').count(),
  ]);
  tillStore.set({ unsynced, queued });
}

type UploadResult =
  | { clientId: string; result: 'accepted' | 'duplicate'; saleId: number; businessDay: string }
  | { clientId: string; result: 'queued'; errorId: number; error: { code: string; messages: { 'zh-CN': string; en: string } } };

interface UploadResponse {
  accepted: number;
  duplicate: number;
  queued: number;
  results: UploadResult[];
}

const BATCH = 200;
let flushing: Promise<void> | null = null;

/** Told when the server refuses the till session (expired, till reset): the controller decides what follows. */
export const outboxEvents: { onUnauthorized: ((e: TillApiError) => void) | null } = { onUnauthorized: null };

/**
 * Sends every pending sale; safe to call at any time (one run at a time) and never rejects: a failure
 * leaves the sales pending (they are retried) and is shown as the last upload error.
 */
export function flushOutbox(): Promise<void> {
  flushing ??= (async () => {
    tillStore.set({ uploading: true });
    try {
      await flushOnce();
      tillStore.set({ lastUploadError: null });
    } catch (e) {
      tillStore.set({ lastUploadError: e instanceof Error ? e.message : String(e) });
      if (e instanceof TillApiError && e.status === 401) outboxEvents.onUnauthorized?.(e);
      else if (!(e instanceof NetworkError)) console.warn('till upload', e);
    } finally {
      tillStore.set({ uploading: false });
      flushing = null;
      await refreshOutboxCounts();
    }
  })();
  return flushing;
}

async function markSynced(clientId: string, saleId: number) {
  await db.outbox.update(clientId, {
    status: 'synced',
    serverSaleId: saleId,
    syncedAt: new Date().toISOString(),
    lastError: null,
  });
}

async function flushOnce(): Promise<void> {
  const cashier = tillStore.get().cashier;
  if (!cashier?.token) return;
  const pending = await db.outbox.where('status').equals('pending').sortBy('seq');
  if (!pending.length) return;
  const viaUpload: OutboxSale[] = [];
  for (const sale of pending) {
    // Online-made sales of the signed-in cashier: the checkout, while nothing older waits for the upload.
    if (sale.madeOnline && sale.cashierId === cashier.id && viaUpload.length === 0) {
      try {
        const r = await till.post<{ id: number }>(TILL.sales, checkoutBody(sale), {
          idempotencyKey: sale.clientId,
          timeoutMs: 10_000,
        });
        await markSynced(sale.clientId, r.id);
        continue;
      } catch (e) {
        if (e instanceof NetworkError) throw e;
        if (!(e instanceof TillApiError) || e.status === 401) throw e;
        // Refused by the checkout's online rules (a price changed since the last sync, the shift is not on
        // the server yet…): the sale happened, so it goes through the upload, which records it or queues it.
        await db.outbox.update(sale.clientId, { lastError: e.message, attempts: sale.attempts + 1 });
      }
    }
    viaUpload.push(sale);
  }
  for (let i = 0; i < viaUpload.length; i += BATCH) await uploadBatch(viaUpload.slice(i, i + BATCH));
}

function checkoutBody(sale: OutboxSale) {
  const { terminalId: _t, cashierId: _c, offlineAuthorization: _o, ...body } = sale.payload;
  return body;
}

/** FNV-1a over the batch's client ids: the same batch always gets the same idempotency key. */
function hashIds(ids: string[]): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (const ch of ids.join(',')) {
    const c = ch.charCodeAt(0);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x811c9dc5) >>> 0;
  }
  return `${ids.length}-${h1.toString(16)}${h2.toString(16)}`;
}

async function uploadBatch(sales: OutboxSale[]): Promise<void> {
  const shiftIds = new Set(sales.map((s) => s.shiftId));
  const shifts = (await db.shifts.bulkGet([...shiftIds])).filter((s) => s && !s.uploaded);
  const body = {
    shifts: shifts.map((s) => ({ id: s!.id, float: s!.float, openedAt: s!.openedAt, cashierId: s!.cashierId })),
    sales: sales.map((s) => s.payload),
  };
  // One key per batch content: a retry of the same batch replays the server's first answer.
  const key = `upload-${hashIds(sales.map((s) => s.clientId))}`;
  const r = await till.post<UploadResponse>(TILL.upload, body, { idempotencyKey: key, timeoutMs: 60_000 });
  await db.transaction('rw', db.outbox, db.shifts, async () => {
    for (const s of shifts) await db.shifts.update(s!.id, { uploaded: true });
    for (const res of r.results) {
      if (res.result === 'queued') {
        await db.outbox.update(res.clientId, {
          status: 'queued',
          lastError: res.error.messages['zh-CN'],
          attempts: (sales.find((s) => s.clientId === res.clientId)?.attempts ?? 0) + 1,
        });
      } else {
        await db.outbox.update(res.clientId, {
          status: 'synced',
          serverSaleId: res.saleId,
          syncedAt: new Date().toISOString(),
          lastError: null,
        });
      }
    }
  });
}

/** Recent sales of this till for reprint and the sales list. */
export async function recentSales(limit = 50): Promise<OutboxSale[]> {
  return db.outbox.orderBy('seq').reverse().limit(limit).toArray();
}
