import {
  type Dec,
  DomainError,
  dec,
  isDomainError,
  money,
  type PricingResult,
  type RoundingRule,
  type SaleCommand,
  saleBody,
  saleStatusLabels,
  sum,
  type TenderInput,
} from '@erp/contracts';
import { type DB, sql, type Transaction } from '@erp/db';
import { recordAudit } from '../audit/audit.service.js';
import type { StockMove } from '../inventory/inventory.models.js';
import { type LedgerPiece, ledgerPiecesOf, postStockMoves } from '../inventory/stock-ledger.service.js';
import { addDays, calendarDay, maxDay } from '../platform/clock.js';
import { authorize, type Ctx } from '../platform/context.js';
import { authorizeOffline } from './authorization.service.js';
import { reconcilePayments } from './payment.service.js';
import { discountLimit } from './pos.access.js';
import { isLateSale, parseReceiptNumber, saleFingerprint } from './pos.rules.js';
import { cachedBasePrices, forgetTillPrices } from './price-cache.js';
import { basePrices, type PriceTypeName, runPricing } from './pricing.pipeline.js';
import type { PreparedSale, PreparedTender, SaleDto } from './sale.models.js';
import { preparedToDto } from './sale.models.js';
import {
  clearSaleContent,
  IdempotencyKeyTaken,
  insertSales,
  loadSale,
  loadSales,
  lockClientIds,
  saleContext,
} from './sale.repository.js';
import { checkTillRow, resolveTill, type TillAuth } from './terminal.service.js';
import { type CachedTill, cachedTill, forgetTill, takeIds } from './till-cache.js';

// Sales at the till (POS-2…5): temporary, formal, held; prices, manual discounts and limits, tenders,
// stock at once (supermarket) or after the outbound review (wholesale).

/** Where a sale is being made and under which rules; read once per request (or per upload batch). */
export interface SaleEnv {
  storeId: number;
  terminalId: number;
  terminalCode: string;
  cashierId: number;
  warehouseId: number;
  businessMode: 'supermarket' | 'wholesale';
  rounding: RoundingRule;
  /** Expired lots are sold in plain FEFO order; otherwise after every other and flagged. */
  sellExpired: boolean;
  businessDay: string;
  /** The sale's own day had closed when it reached the server: it lands on `businessDay`, marked late. */
  late: boolean;
  saleId: number;
  lineIds: number[];
  offline: boolean;
  allowOfflineAuthorization: boolean;
  /** The id of the temporary/held sale this one finishes, if any. */
  replaceSaleId: number | null;
  prices: Map<number, Partial<Record<PriceTypeName, string>>>;
}

export type SaleInput = ReturnType<typeof saleBody.parse> & {
  offlineAuthorization?: { supervisorId: number; purpose: string; at: string; maxDiscountRate?: string | undefined } | undefined;
};

/** The current open business day of a store: today, unless today is closed already. */
export function openDay(lastClosed: string | null, now = new Date()): string {
  const today = calendarDay(now);
  return lastClosed ? maxDay(today, addDays(lastClosed, 1)) : today;
}

/** A sale made at the till at `soldAt` reaching the server now is late when that day has closed. */
function lateOnline(soldAt: string | undefined, lastClosed: string | null): boolean {
  return soldAt !== undefined && isLateSale(calendarDay(new Date(soldAt)), lastClosed);
}

/** Refuses a client id reused for another sale: the stored sale's fingerprint must be this body's. */
export function assertSameSale(
  existing: { fingerprint: string | null; receipt_no: string },
  clientId: string,
  fingerprint: string,
): void {
  // Sales stored before fingerprints were kept (null) replay as they always did.
  if (existing.fingerprint !== null && existing.fingerprint !== fingerprint) {
    throw new DomainError('POS_CLIENT_ID_REUSED', { clientId, receiptNo: existing.receipt_no });
  }
}

function pricedLines(env: SaleEnv, cmd: SaleInput, priceType: PriceTypeName) {
  let variance = false;
  const lines = cmd.lines.map((l, i) => {
    const p = env.prices.get(l.productId);
    const server = (priceType === 'member' ? (p?.member ?? p?.retail) : p?.retail) ?? null;
    let base: string;
    if (env.offline) {
      // Offline, the till priced the sale with the prices of its last sync and the customer paid them.
      base = l.unitPrice ?? server ?? '';
      if (server === null || (l.unitPrice !== undefined && !dec(l.unitPrice).equals(server))) variance = true;
    } else {
      if (server === null) throw new DomainError('POS_PRICE_MISSING', { product: l.productId, priceType });
      if (l.unitPrice !== undefined && !dec(l.unitPrice).equals(server)) {
        throw new DomainError('POS_PRICE_CHANGED', {
          product: l.productId,
          productId: l.productId,
          price: server,
          tillPrice: l.unitPrice,
        });
      }
      base = server;
    }
    if (base === '') throw new DomainError('POS_PRICE_MISSING', { product: l.productId, priceType });
    return {
      input: { key: i + 1, productId: l.productId, qty: l.qty, basePrice: base, discount: l.discount ?? null },
      listPrice: server,
    };
  });
  return { lines, variance };
}

/** Checks manual discounts against the cashier's limit; beyond it, a supervisor's authorisation (AUTH-4). */
async function checkDiscountLimit(
  ctx: Ctx,
  env: SaleEnv,
  cmd: SaleInput,
  result: PricingResult,
): Promise<{ consume: string | null; authorizationId: string | null; detail: Record<string, unknown> | null }> {
  const rate = dec(result.maxLineManualRate).greaterThan(result.manualRate)
    ? dec(result.maxLineManualRate)
    : dec(result.manualRate);
  const percent = rate.times(100).toDecimalPlaces(2);
  if (percent.isZero()) return { consume: null, authorizationId: null, detail: null };
  const limit = await discountLimit(ctx.db, env.cashierId, env.storeId);
  if (percent.lessThanOrEqualTo(limit)) return { consume: null, authorizationId: null, detail: null };
  if (cmd.authorizationId) {
    const a = await ctx.db
      .selectFrom('pos_authorization')
      .selectAll()
      .where('id', '=', cmd.authorizationId)
      .forUpdate()
      .executeTakeFirst();
    const valid =
      a &&
      a.store_id === env.storeId &&
      a.purpose === 'discount' &&
      (a.used_at === null || (a.used_by_sale_id !== null && Number(a.used_by_sale_id) === env.replaceSaleId)) &&
      (env.offline || a.expires_at > new Date()) &&
      (a.client_sale_id === null || a.client_sale_id === cmd.clientId) &&
      a.max_discount_rate !== null &&
      percent.lessThanOrEqualTo(a.max_discount_rate);
    if (!valid) throw new DomainError('POS_AUTHORIZATION_INVALID', { id: cmd.authorizationId });
    return {
      consume: a.id,
      authorizationId: a.id,
      detail: { authorizationId: a.id, supervisorId: a.supervisor_id, rate: percent.toFixed(2), limit },
    };
  }
  if (env.offline && cmd.offlineAuthorization && cmd.offlineAuthorization.purpose === 'discount') {
    const id = await authorizeOffline(ctx, env, cmd.clientId, cmd.offlineAuthorization, percent.toFixed(2));
    return {
      consume: id,
      authorizationId: id,
      detail: {
        authorizationId: id,
        supervisorId: cmd.offlineAuthorization.supervisorId,
        offline: true,
        rate: percent.toFixed(2),
        limit,
      },
    };
  }
  throw new DomainError('POS_DISCOUNT_BEYOND_LIMIT', { rate: percent.toFixed(2), limit });
}

interface IntentRef {
  id: string;
  store_id: number;
  client_sale_id: string;
  amount: string;
  status: string;
  sale_id: number | null;
}

/**
 * Tenders (POS-4): several per sale; only cash gives change; card and mobile never exceed what is due;
 * mobile tenders must name a payment that succeeded, for this sale and exactly this amount.
 */
async function settleTenders(
  ctx: Ctx,
  env: SaleEnv,
  cmd: SaleInput,
  total: string,
): Promise<{ tenders: PreparedTender[]; paid: string; change: string; intentIds: string[] }> {
  const tenders: TenderInput[] = cmd.tenders ?? [];
  if (cmd.status === 'held' && tenders.length)
    throw new DomainError('POS_TENDER_INVALID', { reason: 'a held sale takes no payment' });
  const amounts = tenders.map((t) => dec(t.amount));
  const tendered = sum(amounts);
  const nonCash = sum(tenders.filter((t) => t.method !== 'cash').map((t) => t.amount));
  if (nonCash.greaterThan(total))
    throw new DomainError('POS_TENDER_INVALID', { reason: 'card and mobile tenders exceed the amount due' });
  if (cmd.status === 'formal' && tendered.lessThan(total)) {
    throw new DomainError('POS_TENDER_SHORT', { paid: money(tendered), due: money(total) });
  }
  let change = tendered.greaterThan(total) && cmd.status === 'formal' ? tendered.minus(total) : dec(0);
  if (cmd.status === 'temporary' && tendered.greaterThan(total)) {
    throw new DomainError('POS_TENDER_INVALID', { reason: 'a temporary sale is not fully paid; settle it as formal' });
  }
  const mobile = tenders.filter((t) => t.method === 'mobile');
  for (const t of mobile)
    if (!t.paymentIntentId) throw new DomainError('POS_TENDER_INVALID', { reason: 'a mobile tender needs its payment' });
  for (const t of tenders) {
    if (t.method !== 'mobile' && t.paymentIntentId)
      throw new DomainError('POS_TENDER_INVALID', { reason: 'only mobile tenders carry a payment' });
  }
  const intentIds = mobile.map((t) => t.paymentIntentId as string);
  if (new Set(intentIds).size !== intentIds.length)
    throw new DomainError('POS_TENDER_INVALID', { reason: 'a payment is used twice' });
  if (intentIds.length) {
    const rows = (await ctx.db
      .selectFrom('pos_payment_intent')
      .select(['id', 'store_id', 'client_sale_id', 'amount', 'status', 'sale_id'])
      .where('id', 'in', intentIds)
      .where('kind', '=', 'payment')
      .forUpdate()
      .execute()) as IntentRef[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const t of mobile) {
      const i = byId.get(t.paymentIntentId as string);
      if (!i || i.store_id !== env.storeId)
        throw new DomainError('NOT_FOUND', { entity: 'payment', id: t.paymentIntentId as string });
      if (i.status !== 'succeeded') throw new DomainError('POS_PAYMENT_NOT_SETTLED', { intent: i.id, status: i.status });
      const mine = i.sale_id === null || Number(i.sale_id) === env.replaceSaleId;
      if (i.client_sale_id !== cmd.clientId || !dec(i.amount).equals(t.amount) || !mine) {
        throw new DomainError('POS_PAYMENT_MISMATCH', { intent: i.id });
      }
    }
  }
  // Change comes out of the cash tenders, the last one first.
  const prepared: PreparedTender[] = tenders.map((t, i) => ({
    seq: i + 1,
    method: t.method,
    amount: money(t.amount),
    tendered: money(t.amount),
    change: '0.00',
    reference: t.reference ?? null,
    paymentIntentId: t.paymentIntentId ?? null,
    originalSeq: null,
  }));
  for (const t of [...prepared].reverse()) {
    if (change.isZero()) break;
    if (t.method !== 'cash') continue;
    const take: Dec = change.greaterThan(t.tendered) ? dec(t.tendered) : change;
    t.change = money(take);
    t.amount = money(dec(t.tendered).minus(take));
    change = change.minus(take);
  }
  const totalChange = sum(prepared.map((t) => t.change));
  return { tenders: prepared, paid: money(tendered), change: money(totalChange), intentIds };
}

/** Prices, checks and settles a sale; the result is ready for stock and writing. */
export async function prepareSale(ctx: Ctx, env: SaleEnv, cmd: SaleInput, receiptNo = cmd.receiptNo): Promise<PreparedSale> {
  const priceType: PriceTypeName = cmd.memberId ? 'member' : 'retail';
  const { lines, variance } = pricedLines(env, cmd, priceType);
  const soldAt = cmd.soldAt ? new Date(cmd.soldAt) : new Date();
  const result = runPricing(
    lines.map((l) => l.input),
    cmd.saleDiscount ?? null,
    env.rounding,
    { storeId: env.storeId, priceType, memberId: cmd.memberId ?? null, at: soldAt.toISOString() },
  );
  if (!env.offline && cmd.expectedTotal !== undefined && !dec(cmd.expectedTotal).equals(result.total)) {
    throw new DomainError('POS_TOTAL_MISMATCH', { expected: money(cmd.expectedTotal), computed: result.total });
  }
  const auth = await checkDiscountLimit(ctx, env, cmd, result);
  const settled = await settleTenders(ctx, env, cmd, result.total);
  const formal = cmd.status === 'formal';
  const fulfilment = !formal ? 'none' : env.businessMode === 'wholesale' ? 'awaiting_review' : 'posted';
  const sale: PreparedSale = {
    id: env.replaceSaleId ?? env.saleId,
    clientId: cmd.clientId,
    storeId: env.storeId,
    terminalId: env.terminalId,
    cashierId: env.cashierId,
    shiftId: cmd.shiftId ?? null,
    kind: 'sale',
    status: cmd.status,
    receiptNo,
    businessDay: env.businessDay,
    soldAt,
    completedAt: formal ? new Date() : null,
    memberId: cmd.memberId ?? null,
    priceType,
    originalSaleId: null,
    gross: result.gross,
    strategyDiscount: result.strategyDiscount,
    lineDiscount: result.lineDiscount,
    saleDiscount: result.saleDiscount,
    rounding: result.rounding,
    total: result.total,
    paid: settled.paid,
    change: settled.change,
    cogs: null,
    warehouseId: env.warehouseId,
    sellExpired: env.sellExpired,
    fulfilment,
    offline: env.offline,
    priceVariance: variance,
    authorizationId: auth.authorizationId,
    saleDiscountKind: cmd.saleDiscount?.kind ?? null,
    saleDiscountValue: cmd.saleDiscount?.value ?? null,
    remarks: cmd.remarks ?? null,
    fingerprint: saleFingerprint(cmd),
    late: env.late,
    lines: result.lines.map((l, i) => ({
      id: env.lineIds[i] as number,
      lineNo: i + 1,
      productId: l.productId,
      qty: dec(l.qty).toFixed(3),
      basePrice: l.basePrice,
      listPrice: lines[i]?.listPrice ?? null,
      gross: l.gross,
      strategyDiscount: l.strategyDiscount,
      lineDiscount: l.lineDiscount,
      saleDiscount: l.saleDiscount,
      rounding: l.rounding,
      amount: l.amount,
      discountKind: cmd.lines[i]?.discount?.kind ?? null,
      discountValue: cmd.lines[i]?.discount?.value ?? null,
      unitCost: null,
      costAmount: null,
      originalLineId: null,
      barcode: cmd.lines[i]?.barcode ?? null,
      lotNo: cmd.lines[i]?.lotNo ?? null,
    })),
    tenders: settled.tenders,
    intentIds: settled.intentIds,
    consumeAuthorizationId: auth.consume,
    auditDetail: {
      receiptNo,
      terminal: env.terminalCode,
      businessDay: env.businessDay,
      total: result.total,
      lines: cmd.lines.length,
      tenders: settled.tenders.map((t) => `${t.method}:${t.amount}`),
      ...(env.offline ? { offline: true } : {}),
      ...(env.late ? { late: true } : {}),
      ...(auth.detail ? { authorization: auth.detail } : {}),
    },
  };
  return sale;
}

/** What posting a sale's stock needs to know about it (a prepared sale, or a stored one at the outbound review). */
export interface SaleForStock {
  id: number;
  kind: 'sale' | 'return';
  businessDay: string;
  warehouseId: number;
  originalSaleId: number | null;
  /** The store sells expired lots (pos_store_settings.sell_expired). */
  sellExpired: boolean;
  lines: { id: number; productId: number; qty: string; originalLineId: number | null; lotNo?: string | null }[];
}

/**
 * Posts a sale's or a return's stock (POS-5) through the ledger and answers each line's cost of goods.
 * The customer has paid: nothing is refused. A sale takes its lots by FEFO (a scanned lot first, expired lots
 * last and flagged); what the store does not have goes below zero as stock debt for the manager. A return
 * puts the goods back under the keys its original lines took them from, at their cost.
 */
export async function postSaleLines(
  ctx: Ctx,
  sale: SaleForStock,
): Promise<Map<number, { unitCost: string; costAmount: string }>> {
  const moves: StockMove[] = [];
  if (sale.kind === 'return') {
    moves.push(...(await returnMoves(ctx, sale)));
  } else {
    for (const l of sale.lines) {
      moves.push({
        warehouseId: sale.warehouseId,
        productId: l.productId,
        qty: dec(l.qty).negated().toFixed(3),
        sourceLineId: l.id,
        ...(l.lotNo ? { preferLotNo: l.lotNo } : {}),
      });
    }
  }
  const posted = await postStockMoves(ctx, { type: 'pos_sale', id: sale.id, businessDate: sale.businessDay }, moves, {
    shortage: 'debt',
    saleDay: sale.businessDay,
    sellExpired: sale.sellExpired,
  });
  const costs = new Map<number, { qty: Dec; amount: Dec }>();
  for (const m of posted) {
    const c = costs.get(m.sourceLineId as number) ?? { qty: dec(0), amount: dec(0) };
    costs.set(m.sourceLineId as number, { qty: c.qty.plus(m.qty), amount: c.amount.plus(m.amount) });
  }
  const out = new Map<number, { unitCost: string; costAmount: string }>();
  for (const [lineId, c] of costs) {
    out.set(lineId, {
      unitCost: c.amount.dividedBy(c.qty).toDecimalPlaces(4).toFixed(4),
      costAmount: c.amount.negated().toFixed(4),
    });
  }
  return out;
}

/**
 * A return's inbound moves: each line with an original line goes back under the keys (batch, lot, shelf)
 * that line was taken from, less what earlier returns already put back there, at the cost it went out at.
 * A manual return (no original line) comes back at the moving average, under no lot.
 */
async function returnMoves(ctx: Ctx, sale: SaleForStock): Promise<StockMove[]> {
  const earlier = sale.originalSaleId
    ? await ctx.db
        .selectFrom('pos_sale as r')
        .innerJoin('pos_sale_line as rl', 'rl.sale_id', 'r.id')
        .select(['r.id', 'rl.id as line_id', 'rl.original_line_id'])
        .where('r.original_sale_id', '=', sale.originalSaleId)
        .where('r.status', '=', 'formal')
        .where('r.id', '<>', sale.id)
        .execute()
    : [];
  const pieces = sale.originalSaleId
    ? await ledgerPiecesOf(ctx, 'pos_sale', [sale.originalSaleId, ...new Set(earlier.map((e) => Number(e.id)))])
    : [];
  const originalOf = new Map(earlier.map((e) => [Number(e.line_id), Number(e.original_line_id)]));
  // Per original line and key: what went out, less what came back since; its cost per unit.
  const open = new Map<number, { key: (typeof pieces)[number]; left: Dec; unitCost: Dec }[]>();
  for (const p of pieces) {
    if (p.sourceId !== sale.originalSaleId || p.sourceLineId === null || !dec(p.qty).isNegative()) continue;
    const list = open.get(p.sourceLineId) ?? [];
    list.push({ key: p, left: dec(p.qty).negated(), unitCost: dec(p.amount).dividedBy(p.qty).toDecimalPlaces(4) });
    open.set(p.sourceLineId, list);
  }
  for (const p of pieces) {
    const original = p.sourceLineId === null ? undefined : originalOf.get(p.sourceLineId);
    if (p.sourceId === sale.originalSaleId || original === undefined) continue;
    const back = open.get(original)?.find((o) => sameKey(o.key, p));
    if (back) back.left = back.left.minus(p.qty);
  }
  const moves: StockMove[] = [];
  for (const l of sale.lines) {
    let left = dec(l.qty).negated();
    for (const o of (l.originalLineId !== null ? open.get(l.originalLineId) : undefined) ?? []) {
      if (!left.greaterThan(0)) break;
      if (!o.left.greaterThan(0)) continue;
      const qty = o.left.lessThan(left) ? o.left : left;
      o.left = o.left.minus(qty);
      left = left.minus(qty);
      moves.push({
        warehouseId: sale.warehouseId,
        productId: l.productId,
        qty: qty.toFixed(3),
        unitCost: o.unitCost.toFixed(4),
        batchNo: o.key.batchNo,
        lotNo: o.key.lotNo,
        shelfId: o.key.shelfId,
        status: o.key.status,
        expiryDate: o.key.expiryDate,
        sourceLineId: l.id,
      });
    }
    if (left.greaterThan(0))
      moves.push({ warehouseId: sale.warehouseId, productId: l.productId, qty: left.toFixed(3), sourceLineId: l.id });
  }
  return moves;
}

const sameKey = (a: LedgerPiece, b: LedgerPiece) =>
  a.batchNo === b.batchNo && a.lotNo === b.lotNo && a.shelfId === b.shelfId && a.status === b.status;

/** Posts a formal supermarket-mode sale's stock and stores each line's cost of goods sold. */
export async function postSaleStock(ctx: Ctx, sale: PreparedSale): Promise<void> {
  if (sale.fulfilment !== 'posted' || sale.lines.length === 0) return;
  const costs = await postSaleLines(ctx, {
    id: sale.id,
    kind: sale.kind,
    businessDay: sale.businessDay,
    warehouseId: sale.warehouseId,
    originalSaleId: sale.originalSaleId,
    sellExpired: sale.sellExpired,
    lines: sale.lines,
  });
  let cogs = dec(0);
  for (const line of sale.lines) {
    const c = costs.get(line.id);
    if (!c) continue;
    line.unitCost = c.unitCost;
    line.costAmount = c.costAmount;
    cogs = cogs.plus(c.costAmount);
  }
  sale.cogs = cogs.toFixed(4);
}

/**
 * The checkout (POS-2…5): records a sale made at the caller's till. The sale's client id is its
 * idempotency key: a replay returns the stored sale; a client id of a temporary or held sale finishes it.
 * Hot path: one context query, one price query, two stock statements, one write.
 */
export async function recordSale(ctx: Ctx, auth: TillAuth, input: SaleCommand): Promise<SaleDto & { replayed: boolean }> {
  const cmd = saleBody.parse(input) as SaleInput;
  authorize(ctx, 'pos.sale', 'create');
  // Whoever else is booking this client id (an upload, another tab) finishes first; then we see its sale.
  await lockClientIds(ctx.db, [cmd.clientId]);
  const row = await saleContext(ctx.db, {
    sessionId: auth.sessionId,
    clientId: cmd.clientId,
    receiptNo: cmd.receiptNo,
    shiftId: cmd.shiftId ?? null,
    lineCount: cmd.lines.length,
  });
  checkTillRow(ctx, auth, row);
  const ctxRow = row as NonNullable<typeof row>;
  let replaceSaleId: number | null = null;
  if (ctxRow.existing) {
    const ex = ctxRow.existing;
    if (ex.store_id !== ctxRow.store_id || ex.kind !== 'sale')
      throw new DomainError('POS_SALE_CONFLICT', { clientId: cmd.clientId });
    if (ex.status === 'formal') {
      assertSameSale(ex, cmd.clientId, saleFingerprint(cmd));
      const stored = (await loadSale(ctx.db, { ids: [ex.id] })) as SaleDto;
      return { ...stored, replayed: true };
    }
    if (ex.status === 'void') {
      throw new DomainError('POS_SALE_STATE', { receiptNo: ex.receipt_no, status: saleStatusLabels.void.en, action: 'finish' });
    }
    replaceSaleId = Number(ex.id);
  }
  if (!ctxRow.receipt_ok)
    throw new DomainError('POS_RECEIPT_OUT_OF_RANGE', { receiptNo: cmd.receiptNo, terminal: ctxRow.terminal_code });
  if (cmd.status !== 'held') {
    const sh = ctxRow.shift;
    if (
      !cmd.shiftId ||
      !sh ||
      sh.status !== 'open' ||
      sh.terminal_id !== ctxRow.terminal_id ||
      sh.cashier_id !== ctx.actor.userId
    ) {
      throw new DomainError('POS_SHIFT_REQUIRED');
    }
  }
  if (!ctxRow.warehouse_id) throw new DomainError('ORG_HOLDS_NO_GOODS', { org: String(ctxRow.store_id) });
  const soldAt = cmd.soldAt ? new Date(cmd.soldAt) : new Date();
  const env: SaleEnv = {
    storeId: ctxRow.store_id,
    terminalId: ctxRow.terminal_id,
    terminalCode: ctxRow.terminal_code,
    cashierId: ctx.actor.userId,
    warehouseId: ctxRow.warehouse_id,
    businessMode: ctxRow.business_mode,
    rounding: { unit: ctxRow.rounding_unit, mode: ctxRow.rounding_mode },
    sellExpired: ctxRow.sell_expired,
    businessDay: openDay(ctxRow.last_closed),
    late: lateOnline(cmd.soldAt, ctxRow.last_closed),
    saleId: ctxRow.sale_id,
    lineIds: ctxRow.line_ids,
    offline: false,
    allowOfflineAuthorization: false,
    replaceSaleId,
    prices: await basePrices(ctx.db, {
      storeId: ctxRow.store_id,
      productIds: [...new Set(cmd.lines.map((l) => l.productId))],
      priceTypes: cmd.memberId ? ['retail', 'member'] : ['retail'],
      at: soldAt,
    }),
  };
  const sale = await prepareSale(ctx, env, cmd);
  await postSaleStock(ctx, sale);
  if (replaceSaleId !== null) await clearSaleContent(ctx.db, replaceSaleId);
  await ensureStoreSettingsRow(ctx.db, ctxRow.store_id);
  const written = await insertSales(ctx, [sale]);
  if (!written.has(sale.id)) throw new DomainError('POS_SALE_CONFLICT', { clientId: cmd.clientId });
  return { ...preparedToDto(sale), replayed: false };
}

/** The fast checkout could not finish on its own (a replay, a held sale, a racing close…): run the full path. */
export class RestartSale extends Error {
  constructor(readonly reason: string) {
    super(`checkout restarts on the full path: ${reason}`);
    this.name = 'RestartSale';
  }
}

/**
 * The checkout's fast path for the common case — a new, paid sale at a till whose context is cached:
 * no context read (the till cache), no id round trip (ids reserved in advance), the business day, the
 * shift and the client id checked inside the one write. Round trips: prices, two stock statements, the
 * write. Anything unusual (a replay, finishing a held sale, a close racing the sale, a receipt number the
 * cache has not seen) throws RestartSale; the caller then runs `recordSale` in a new transaction.
 */
export async function recordSaleFast(
  ctx: Ctx,
  auth: TillAuth,
  input: SaleCommand,
  idempotency?: FastIdempotency,
): Promise<SaleDto & { replayed: boolean }> {
  const cmd = saleBody.parse(input) as SaleInput;
  if (cmd.status !== 'formal') throw new RestartSale('not a formal sale');
  authorize(ctx, 'pos.sale', 'create');
  if (!auth.terminalToken) throw new RestartSale('no till token: the full path says why');
  const till = await cachedTill(ctx.db, auth.sessionId, auth.terminalToken);
  checkTillRow(
    ctx,
    auth,
    till && { user_id: till.userId, store_id: till.storeId, status: till.status, token_hash: till.tokenHash },
  );
  const t = till as CachedTill;
  if (t.settingsSeq === null || !t.warehouseId || !cmd.shiftId) {
    forgetTill(t);
    throw new RestartSale('store not ready');
  }
  const n = parseReceiptNumber(t.receiptPrefix, cmd.receiptNo);
  if (n === null || !t.blocks.some(([a, b]) => n >= a && n <= b)) {
    forgetTill(t); // a block issued since the cache was filled: the next sale reads them again
    throw new RestartSale('receipt number');
  }
  const ids = await takeIds(ctx.db, t, cmd.lines.length);
  const at = cmd.soldAt ? new Date(cmd.soldAt) : new Date();
  const priceQuery = {
    storeId: t.storeId,
    productIds: [...new Set(cmd.lines.map((l) => l.productId))],
    priceTypes: (cmd.memberId ? ['retail', 'member'] : ['retail']) as PriceTypeName[],
    at,
  };
  const priceKey = `${t.tokenHash}:${t.storeId}`;
  const cached = await cachedBasePrices(ctx.db, priceKey, priceQuery);
  const env: SaleEnv = {
    storeId: t.storeId,
    terminalId: t.terminalId,
    terminalCode: t.terminalCode,
    cashierId: ctx.actor.userId,
    warehouseId: t.warehouseId,
    businessMode: t.businessMode,
    rounding: { unit: t.roundingUnit, mode: t.roundingMode },
    sellExpired: t.sellExpired,
    businessDay: openDay(t.lastClosed),
    late: lateOnline(cmd.soldAt, t.lastClosed),
    saleId: ids.saleId,
    lineIds: ids.lineIds,
    offline: false,
    allowOfflineAuthorization: false,
    replaceSaleId: null,
    prices: cached ? cached.prices : await basePrices(ctx.db, priceQuery),
  };
  let sale: PreparedSale;
  try {
    sale = await prepareSale(ctx, env, cmd);
  } catch (e) {
    // The till disagrees with cached prices: they may be the stale ones. The full path reads them afresh.
    if (cached && isDomainError(e) && PRICE_REFUSALS.has(e.code)) {
      forgetTillPrices(priceKey);
      throw new RestartSale('prices');
    }
    // An authorisation or a payment already tied to a sale may be tied to this very sale's temporary copy,
    // which only the full path looks up (it replaces that copy): it gives the answer.
    if (isDomainError(e) && REFERENCE_REFUSALS.has(e.code)) throw new RestartSale('authorisation or payment in use');
    throw e;
  }
  await postSaleStock(ctx, sale);
  const answer = { ...preparedToDto(sale), replayed: false };
  let written: Set<number>;
  try {
    written = await insertSales(ctx, [sale], {
      storeId: t.storeId,
      settingsSeq: t.settingsSeq,
      shiftId: cmd.shiftId,
      terminalId: t.terminalId,
      cashierId: ctx.actor.userId,
      priceSeq: cached?.seq,
      idempotency: idempotency && { ...idempotency, response: JSON.stringify(answer) },
    });
  } catch (e) {
    if (e instanceof IdempotencyKeyTaken) throw new RestartSale('idempotency key taken');
    throw e;
  }
  if (!written.has(sale.id)) {
    forgetTill(t);
    forgetTillPrices(priceKey); // a price may have changed: the full path reads them afresh
    throw new RestartSale('client id seen, idempotency key seen, shift or day changed');
  }
  return answer;
}

/** The request's Idempotency-Key as the fast checkout records it with the sale (see `WriteGuard`). */
export interface FastIdempotency {
  userId: number;
  key: string;
  requestHash: string;
}

const PRICE_REFUSALS: ReadonlySet<string> = new Set(['POS_PRICE_CHANGED', 'POS_PRICE_MISSING', 'POS_TOTAL_MISMATCH']);
const REFERENCE_REFUSALS: ReadonlySet<string> = new Set(['POS_AUTHORIZATION_INVALID', 'POS_PAYMENT_MISMATCH']);

/** Runs `fn` in a transaction of its own (the route's, or a test's). */
export type TxRunner = <T>(fn: (ctx: Ctx) => Promise<T>) => Promise<T>;

/**
 * The checkout as the till's API runs it: the fast path in one transaction, and if it cannot finish on
 * its own, the full path (`recordSale`) in a second one. The first transaction leaves nothing behind.
 */
export function checkout(run: TxRunner, auth: TillAuth, cmd: SaleCommand): Promise<SaleDto & { replayed: boolean }>;
export function checkout(run: TxRunner, auth: TillAuth, cmd: SaleCommand, key: CheckoutKey): Promise<unknown>;
export async function checkout(run: TxRunner, auth: TillAuth, cmd: SaleCommand, key?: CheckoutKey): Promise<unknown> {
  try {
    return await run((ctx) => recordSaleFast(ctx, auth, cmd, key?.fast));
  } catch (e) {
    if (!(e instanceof RestartSale)) throw e;
    return run((ctx) => (key ? key.full(ctx, () => recordSale(ctx, auth, cmd)) : recordSale(ctx, auth, cmd)));
  }
}

/**
 * How the checkout honours the request's Idempotency-Key (the route knows the key): the fast path records it
 * with its answer inside the sale's one write (no extra round trip); the full path runs under `full`, which
 * claims the key (or answers the first request's stored response) and stores the answer in its transaction.
 */
export interface CheckoutKey {
  fast: FastIdempotency;
  full: (ctx: Ctx, book: () => Promise<SaleDto & { replayed: boolean }>) => Promise<unknown>;
}

/** The fast path's guard share-locks the store's settings row; make sure it exists. */
export async function ensureStoreSettingsRow(db: Transaction<DB>, storeId: number): Promise<void> {
  await sql`insert into pos_store_settings (store_id) values (${storeId}) on conflict (store_id) do nothing`.execute(db);
}

// ---- open sales: temporary (crash-left) and held (挂单)

/**
 * Temporary and held sales of the caller's store: what a till shows at sign-in (POS-2: temporary sales
 * left by a crash are listed for that cashier) and on "resume held sale".
 */
export async function listOpenSales(ctx: Ctx, auth: TillAuth, q: { status?: 'temporary' | 'held'; mine?: boolean } = {}) {
  const till = await resolveTill(ctx, auth);
  authorize(ctx, 'pos.sale', 'create');
  const rows = await ctx.db
    .selectFrom('pos_sale')
    .select('id')
    .where('store_id', '=', till.storeId)
    .where('status', 'in', q.status ? [q.status] : ['temporary', 'held'])
    .$if(q.mine !== false && q.status !== 'held', (qb) => qb.where('cashier_id', '=', till.cashierId))
    .orderBy('id')
    .limit(200)
    .execute();
  return loadSales(ctx.db, { ids: rows.map((r) => Number(r.id)) });
}

/** The crash-left temporary sales of a cashier at a store (shown at sign-in). */
export async function crashLeftSales(db: Transaction<DB>, storeId: number, cashierId: number): Promise<SaleDto[]> {
  const rows = await db
    .selectFrom('pos_sale')
    .select('id')
    .where('store_id', '=', storeId)
    .where('cashier_id', '=', cashierId)
    .where('status', '=', 'temporary')
    .orderBy('id')
    .execute();
  return rows.length ? loadSales(db, { ids: rows.map((r) => Number(r.id)) }) : [];
}

/**
 * Clears temporary sales (清理临时销售单), and refunds any mobile payment they had taken: money never stays
 * without a sale. Used by the cashier at the till for their own, by a supervisor for the store, and by the
 * daily close for everything left on the day.
 */
export async function clearTemporarySales(
  ctx: Ctx,
  storeId: number,
  opts: { olderThanMinutes?: number; cashierId?: number; saleIds?: readonly number[]; throughDay?: string; reason: string },
): Promise<{ cleared: number; receiptNos: string[]; refundedPayments: number }> {
  const rows = await sql<{ id: number; client_id: string; receipt_no: string }>`
    update pos_sale set status = 'void', voided_at = now(), voided_by = ${ctx.actor.userId > 0 ? ctx.actor.userId : null}::int,
           void_reason = ${opts.reason}
     where store_id = ${storeId} and status = 'temporary'
       ${opts.olderThanMinutes !== undefined ? sql`and created_at < now() - make_interval(mins => ${opts.olderThanMinutes})` : sql``}
       ${opts.cashierId !== undefined ? sql`and cashier_id = ${opts.cashierId}` : sql``}
       ${opts.saleIds ? sql`and id = any(${[...opts.saleIds]}::bigint[])` : sql``}
       ${opts.throughDay ? sql`and business_day <= ${opts.throughDay}::date` : sql``}
    returning id, client_id, receipt_no`.execute(ctx.db);
  const cleared = rows.rows;
  let refundedPayments = 0;
  if (cleared.length) {
    const r = await reconcilePayments(ctx, storeId, { clientSaleIds: cleared.map((c) => c.client_id) });
    refundedPayments = r.refunded;
    await recordAudit(ctx, {
      action: 'pos.temporary_cleared',
      entity: 'pos_sale',
      entityId: null,
      detail: { reason: opts.reason, saleIds: cleared.map((c) => Number(c.id)), receiptNos: cleared.map((c) => c.receipt_no) },
      orgId: storeId,
    });
  }
  return { cleared: cleared.length, receiptNos: cleared.map((c) => c.receipt_no), refundedPayments };
}

/** The cleanup function for a supervisor (POS-2). */
export async function cleanupTemporarySales(ctx: Ctx, cmd: { storeId: number; olderThanMinutes: number }) {
  authorize(ctx, 'pos.sale', 'void');
  ctx.scope.assert(cmd.storeId, 'org', cmd.storeId);
  return clearTemporarySales(ctx, cmd.storeId, { olderThanMinutes: cmd.olderThanMinutes, reason: 'cleanup' });
}

/** A cashier discards one of their own temporary or held sales at the till. */
export async function discardOpenSale(ctx: Ctx, auth: TillAuth, clientId: string) {
  const till = await resolveTill(ctx, auth);
  authorize(ctx, 'pos.sale', 'create');
  const sale = await ctx.db
    .selectFrom('pos_sale')
    .select(['id', 'status', 'receipt_no', 'store_id', 'cashier_id'])
    .where('client_id', '=', clientId)
    .forUpdate()
    .executeTakeFirst();
  if (!sale || sale.store_id !== till.storeId) throw new DomainError('NOT_FOUND', { entity: 'sale', id: clientId });
  if (sale.status === 'held') {
    await ctx.db
      .updateTable('pos_sale')
      .set({ status: 'void', voided_at: new Date(), voided_by: ctx.actor.userId, void_reason: 'discarded' })
      .where('id', '=', sale.id)
      .execute();
    await recordAudit(ctx, { action: 'pos.held_discarded', entity: 'pos_sale', entityId: sale.id, orgId: till.storeId });
    return { cleared: 1, receiptNos: [sale.receipt_no], refundedPayments: 0 };
  }
  if (sale.status !== 'temporary') {
    throw new DomainError('POS_SALE_STATE', { receiptNo: sale.receipt_no, status: sale.status, action: 'discard' });
  }
  return clearTemporarySales(ctx, till.storeId, { saleIds: [Number(sale.id)], reason: 'discarded' });
}
