import { db, KV, kvGet, type ReceiptRanges } from './db';
import { TillError } from './errors';

/**
 * Receipt numbers come from ranges the server issued to this till (ORG-5), so two tills never print the same
 * number, online or offline. A number is taken inside a Dexie transaction and persisted before it is used:
 * after a crash the next sale gets the next number, never a used one.
 */

export const RECEIPT_DIGITS = 8;

export function formatReceiptNo(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(RECEIPT_DIGITS, '0')}`;
}

export function receiptsLeft(r: ReceiptRanges | undefined): number {
  if (!r) return 0;
  return r.blocks.reduce((n, b) => n + Math.max(0, b.last - Math.max(b.first, r.next) + 1), 0);
}

export class ReceiptRangeExhausted extends TillError {
  constructor() {
    super('msg.receiptsOut');
    this.name = 'ReceiptRangeExhausted';
  }
}

/** The first number at or after `from` inside one of the blocks, or null when they are used up. */
function nextInBlocks(blocks: ReceiptRanges['blocks'], from: number): number | null {
  const block = blocks.find((b) => b.last >= from);
  if (!block) return null;
  return Math.max(from, block.first);
}

/**
 * Takes the next receipt number (call inside a transaction that includes db.kv and db.outbox, or alone). A
 * number a paid sale already carries is never handed out again, whatever the counter says (a restored backup).
 */
export async function takeReceiptNo(): Promise<string> {
  return db.transaction('rw', db.kv, db.outbox, async () => {
    const r = await kvGet<ReceiptRanges>(KV.receipts);
    if (!r) throw new ReceiptRangeExhausted();
    const blocks = [...r.blocks].sort((a, b) => a.first - b.first);
    let n = nextInBlocks(blocks, r.next);
    while (n !== null && (await db.outbox.where('receiptNo').equals(formatReceiptNo(r.prefix, n)).count()) > 0) {
      n = nextInBlocks(blocks, n + 1);
    }
    if (n === null) throw new ReceiptRangeExhausted();
    await db.kv.put({ key: KV.receipts, value: { ...r, blocks, next: n + 1 } satisfies ReceiptRanges });
    return formatReceiptNo(r.prefix, n);
  });
}

export async function addReceiptBlock(first: number, last: number): Promise<ReceiptRanges | undefined> {
  return db.transaction('rw', db.kv, async () => {
    const r = await kvGet<ReceiptRanges>(KV.receipts);
    if (!r) return undefined;
    if (r.blocks.some((b) => b.first === first)) return r;
    const next: ReceiptRanges = { ...r, blocks: [...r.blocks, { first, last }].sort((a, b) => a.first - b.first) };
    await db.kv.put({ key: KV.receipts, value: next });
    return next;
  });
}
