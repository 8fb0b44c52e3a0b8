import { allocate, dec, money, sum } from '@erp/contracts';
import { addDays, maxDay } from '../platform/clock.js';

// Pure rules of the till and the store day: unit-tested without a database.

const PAIRING_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A pairing code (传输密码) as the admin reads it out: 8 unambiguous characters, "K7QM-9XPA". */
export function formatPairingCode(randomBytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < 8; i++) out += PAIRING_ALPHABET[(randomBytes[i] ?? 0) % PAIRING_ALPHABET.length];
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}

/** What the device typed, normalised (case, dashes and spaces do not matter). */
export function normalizePairingCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

/** Till PIN policy: 6–12 digits, not one repeated digit, not an ascending or descending run. */
export function pinProblems(pin: string): string[] {
  const problems: string[] = [];
  if (!/^\d{6,12}$/.test(pin)) problems.push('format');
  if (/^(\d)\1+$/.test(pin)) problems.push('repeated');
  const digits = [...pin].map(Number);
  const steps = digits.slice(1).map((d, i) => d - (digits[i] as number));
  if (steps.length && (steps.every((s) => s === 1) || steps.every((s) => s === -1))) problems.push('run');
  return problems;
}

export const RECEIPT_DIGITS = 8;

export function receiptNumber(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(RECEIPT_DIGITS, '0')}`;
}

/** The sequence number of a receipt number issued with `prefix`, or null if it is not one of the till's. */
export function parseReceiptNumber(prefix: string, receiptNo: string): number | null {
  if (!receiptNo.startsWith(prefix)) return null;
  const rest = receiptNo.slice(prefix.length);
  if (!new RegExp(`^\\d{${RECEIPT_DIGITS}}$`).test(rest)) return null;
  const n = Number(rest);
  return n > 0 ? n : null;
}

/**
 * The business day an offline sale lands on (POS-9): the calendar day it was made, if that day is still open
 * (after the last closed day and not in the future); otherwise the store's current open day.
 */
export function offlineBusinessDay(saleDay: string, lastClosed: string | null, today: string): string {
  const current = lastClosed ? maxDay(today, addDays(lastClosed, 1)) : today;
  if (lastClosed !== null && saleDay <= lastClosed) return current;
  if (saleDay > current) return current;
  return saleDay;
}

/** The day a close may act on (POS-8): the day after the last closed one; with none closed, the first day with sales. */
export function earliestUnclosedDay(lastClosed: string | null, firstActivity: string | null, today: string): string {
  if (lastClosed) return addDays(lastClosed, 1);
  return firstActivity && firstActivity < today ? firstActivity : today;
}

/** Expected cash in the drawer at hand-over (POS-7): float + cash sales − cash refunds − paid-outs + paid-ins. */
export function expectedCash(p: {
  float: string;
  cashSales: string;
  cashRefunds: string;
  paidOut: string;
  paidIn: string;
}): string {
  return money(dec(p.float).plus(p.cashSales).minus(p.cashRefunds).minus(p.paidOut).plus(p.paidIn));
}

/**
 * The refund of returning `qty` of a sold line: in proportion to the line's amount, and on the last return of
 * the line exactly what is left, so a line returned in parts refunds its amount to the cent.
 */
export function lineRefund(p: {
  soldQty: string;
  soldAmount: string;
  returnedQty: string;
  returnedAmount: string;
  qty: string;
}): string {
  const after = dec(p.returnedQty).plus(p.qty);
  if (after.greaterThanOrEqualTo(p.soldQty)) return money(dec(p.soldAmount).minus(p.returnedAmount));
  return money(dec(p.soldAmount).times(p.qty).dividedBy(p.soldQty));
}

/** Splits a refund over the original tenders, in proportion to what each still has to give back (POS-6). */
export function refundToTenders(
  refund: string,
  tenders: readonly { seq: number; refundable: string }[],
): { seq: number; amount: string }[] {
  const refundable = sum(tenders.map((t) => t.refundable));
  if (dec(refund).greaterThan(refundable)) throw new RangeError('refund exceeds what the tenders took');
  const parts = allocate(
    refund,
    tenders.map((t) => t.refundable),
  );
  // Largest remainder can push a part a cent over its tender; move such cents to tenders with room.
  const out = tenders.map((t, i) => ({ seq: t.seq, amount: dec(parts[i] as string), cap: dec(t.refundable) }));
  let excess = dec(0);
  for (const o of out) {
    if (o.amount.greaterThan(o.cap)) {
      excess = excess.plus(o.amount.minus(o.cap));
      o.amount = o.cap;
    }
  }
  for (const o of out) {
    if (excess.isZero()) break;
    const room = o.cap.minus(o.amount);
    const take = room.lessThan(excess) ? room : excess;
    o.amount = o.amount.plus(take);
    excess = excess.minus(take);
  }
  return out.filter((o) => !o.amount.isZero()).map((o) => ({ seq: o.seq, amount: money(o.amount) }));
}

/** A UUID derived from a name (for ids that must be the same on every retry, e.g. a return's refunds). */
export function uuidFromHashHex(hex: string): string {
  const h = hex.slice(0, 32).split('');
  h[12] = '5';
  h[16] = ((Number.parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}
