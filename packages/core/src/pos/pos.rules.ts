import { createHash } from 'node:crypto';
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

/**
 * A sale made on `saleDay` that reaches the server now is late when its day has closed (POS-8): it lands on
 * the open day (see `offlineBusinessDay`) and carries the mark, in the journal and the daily report.
 */
export function isLateSale(saleDay: string, lastClosed: string | null): boolean {
  return lastClosed !== null && saleDay <= lastClosed;
}

/** The day a close may act on (POS-8): the day after the last closed one; with none closed, the first day with sales. */
export function earliestUnclosedDay(lastClosed: string | null, firstActivity: string | null, today: string): string {
  if (lastClosed) return addDays(lastClosed, 1);
  return firstActivity && firstActivity < today ? firstActivity : today;
}

/**
 * Expected cash in the drawer at hand-over (POS-7): float + cash sales (booked, and paid sales still waiting
 * in the upload-error queue: the customer paid them) − cash refunds − paid-outs + paid-ins.
 */
export function expectedCash(p: {
  float: string;
  cashSales: string;
  queuedCash?: string | undefined;
  cashRefunds: string;
  paidOut: string;
  paidIn: string;
}): string {
  return money(
    dec(p.float)
      .plus(p.cashSales)
      .plus(p.queuedCash ?? 0)
      .minus(p.cashRefunds)
      .minus(p.paidOut)
      .plus(p.paidIn),
  );
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

// ---- what a sale's client id means (issue 9: keys mean one thing)

/** The parts of a sale body that make it this sale (the envelope — till, cashier, offline authorisation — aside). */
export interface FingerprintedSale {
  clientId: string;
  receiptNo: string;
  status?: string | undefined;
  soldAt?: string | undefined;
  shiftId?: string | undefined;
  memberId?: number | undefined;
  lines: readonly {
    productId: number;
    qty: string;
    unitPrice?: string | undefined;
    discount?: { kind: string; value: string } | undefined;
    barcode?: string | undefined;
    lotNo?: string | undefined;
  }[];
  saleDiscount?: { kind: string; value: string } | undefined;
  tenders?: readonly { method: string; amount: string; reference?: string | undefined; paymentIntentId?: string | undefined }[];
  expectedTotal?: string | undefined;
  authorizationId?: string | undefined;
  remarks?: string | undefined;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * The fingerprint of a (validated) sale body: the same sale sent again — by the checkout or the upload, with
 * "1" or "1.000" — has the same one; any other sale under the same client id has another. Numbers are
 * compared as numbers, times as instants.
 */
export function saleFingerprint(s: FingerprintedSale): string {
  const n = (v: string | undefined) => (v === undefined ? null : dec(v).toString());
  const canonical = [
    s.clientId,
    s.receiptNo,
    s.status ?? 'formal',
    s.soldAt === undefined ? null : new Date(s.soldAt).toISOString(),
    s.shiftId ?? null,
    s.memberId ?? null,
    s.lines.map((l) => [
      l.productId,
      n(l.qty),
      n(l.unitPrice),
      l.discount ? [l.discount.kind, n(l.discount.value)] : null,
      l.barcode ?? null,
      l.lotNo ?? null,
    ]),
    s.saleDiscount ? [s.saleDiscount.kind, n(s.saleDiscount.value)] : null,
    (s.tenders ?? []).map((t) => [t.method, n(t.amount), t.reference ?? null, t.paymentIntentId ?? null]),
    n(s.expectedTotal),
    s.authorizationId ?? null,
    s.remarks ?? null,
  ];
  return sha256(JSON.stringify(canonical));
}

const ENVELOPE = new Set(['terminalId', 'cashierId', 'offlineAuthorization']);

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v as object).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** The fingerprint of a sale body that does not validate (kept in the queue as sent): its exact content. */
export function rawSaleFingerprint(raw: Record<string, unknown>): string {
  const body = Object.fromEntries(Object.entries(raw).filter(([k]) => !ENVELOPE.has(k)));
  return `raw:${sha256(stableJson(body))}`;
}

// ---- text PostgreSQL cannot keep

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what this looks for (PostgreSQL text cannot hold it)
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above
const UNSTORABLE_ALL = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The path of the first string (or key) in `value` that a database text or jsonb cannot hold (NUL, a lone surrogate). */
export function unstorableTextPath(value: unknown, path: (string | number)[] = []): (string | number)[] | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const p = unstorableTextPath(v, [...path, i]);
      if (p) return p;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (UNSTORABLE.test(k)) return [...path, k];
      const p = unstorableTextPath(v, [...path, k]);
      if (p) return p;
    }
  }
  return null;
}

/**
 * `value` with the characters jsonb refuses (NUL, lone surrogates) made visible as the replacement character
 * � (U+FFFD, which every font draws). For what is shown, audited or answered; the exact text is kept where it
 * is stored as text.
 */
export function visibleText<T>(value: T): T {
  if (typeof value === 'string') return value.replace(UNSTORABLE_ALL, () => '\ufffd') as T;
  if (Array.isArray(value)) return value.map((v) => visibleText(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [visibleText(k), visibleText(v)])) as T;
  }
  return value;
}

const FIELD_NAMES: Record<string, [string, string]> = {
  clientId: ['销售标识', 'sale id'],
  receiptNo: ['小票号', 'receipt number'],
  status: ['状态', 'status'],
  soldAt: ['销售时间', 'time of sale'],
  shiftId: ['班次', 'shift'],
  memberId: ['会员', 'member'],
  lines: ['商品明细', 'lines'],
  saleDiscount: ['整单折扣', 'sale discount'],
  tenders: ['付款', 'tenders'],
  expectedTotal: ['应收金额', 'amount due'],
  authorizationId: ['主管授权', 'authorisation'],
  offlineAuthorization: ['脱机授权', 'offline authorisation'],
  remarks: ['备注', 'remarks'],
  terminalId: ['收银机', 'till'],
  cashierId: ['收银员', 'cashier'],
  productId: ['商品', 'product'],
  qty: ['数量', 'quantity'],
  unitPrice: ['单价', 'unit price'],
  discount: ['折扣', 'discount'],
  barcode: ['条码', 'barcode'],
  lotNo: ['批号', 'lot number'],
  method: ['方式', 'method'],
  amount: ['金额', 'amount'],
  reference: ['参考号', 'reference'],
  paymentIntentId: ['支付单', 'payment'],
  kind: ['类型', 'kind'],
  value: ['值', 'value'],
  supervisorId: ['主管', 'supervisor'],
  purpose: ['用途', 'purpose'],
  at: ['时间', 'time'],
  maxDiscountRate: ['折扣上限', 'discount limit'],
};

/** A field of an uploaded sale named for a person, e.g. ['tenders', 0, 'reference'] → 第 1 笔付款的参考号 / tender 1 reference. */
export function saleFieldName(path: readonly (string | number)[]): { zh: string; en: string } {
  const [head, index, field, ...rest] = path;
  const name = (k: string | number | undefined) => FIELD_NAMES[String(k)] ?? [String(k), String(k)];
  if ((head === 'lines' || head === 'tenders') && typeof index === 'number') {
    const [fz, fe] = field === undefined ? ['', ''] : name(field);
    const tail = rest.length ? `.${rest.join('.')}` : '';
    return head === 'lines'
      ? { zh: `第 ${index + 1} 行${fz ? `的${fz}` : ''}${tail}`, en: `line ${index + 1}${fe ? ` ${fe}` : ''}${tail}` }
      : { zh: `第 ${index + 1} 笔付款${fz ? `的${fz}` : ''}${tail}`, en: `tender ${index + 1}${fe ? ` ${fe}` : ''}${tail}` };
  }
  if (head === undefined) return { zh: '销售', en: 'sale' };
  const [zh, en] = name(head);
  const tail = path.slice(1).map((p) => name(p));
  return tail.length
    ? { zh: `${zh}的${tail.map((t) => t[0]).join('的')}`, en: `${en} ${tail.map((t) => t[1]).join(' ')}` }
    : { zh, en };
}

// ---- the drawer (POS-7)

/**
 * What a sale left in the drawer in cash: its cash tenders less the change, change coming out of cash only
 * (as the checkout settles it). `due` unknown: no change is assumed.
 */
export function cashKept(tenders: readonly { method: string; amount: string }[], due: string | null): string {
  const cash = sum(tenders.filter((t) => t.method === 'cash').map((t) => t.amount));
  const paid = sum(tenders.map((t) => t.amount));
  const over = due === null ? dec(0) : paid.minus(due);
  const change = over.greaterThan(0) ? over : dec(0);
  return money(change.greaterThan(cash) ? dec(0) : cash.minus(change));
}
