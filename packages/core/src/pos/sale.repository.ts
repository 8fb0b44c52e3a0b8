import { DomainError } from '@erp/contracts';
import { type DB, sql, type Transaction } from '@erp/db';
import type { Ctx } from '../platform/context.js';
import type { PreparedSale, SaleDto } from './sale.models.js';

/** Advisory lock class of a store's business day: sales hold it shared, the daily close exclusively. */
export const DAY_LOCK = 7001;
/** Advisory lock class of a sale's client id: whoever books a client id holds it (uploads, the full checkout). */
export const CLIENT_ID_LOCK = 7002;

// SQL of the checkout, the hottest path of the product: a sale (header, lines, tenders, audit, payment
// links) is written in ONE statement of data-modifying CTEs over unnest() arrays, for any number of sales.

export interface SaleContextRow {
  user_id: number;
  store_id: number;
  terminal_id: number;
  terminal_code: string;
  status: string;
  token_hash: string | null;
  receipt_prefix: string;
  rounding_unit: '0' | '0.1' | '1';
  rounding_mode: 'down' | 'half_up';
  sell_expired: boolean;
  business_mode: 'supermarket' | 'wholesale';
  warehouse_id: number | null;
  last_closed: string | null;
  existing: {
    id: number;
    status: string;
    store_id: number;
    receipt_no: string;
    kind: string;
    fingerprint: string | null;
  } | null;
  receipt_ok: boolean;
  shift: { status: string; terminal_id: number; cashier_id: number } | null;
  sale_id: number;
  line_ids: number[];
}

/**
 * Everything the checkout needs before writing, in one round trip: the till session and its till, store
 * settings and mode, the default warehouse, the last closed day, whether the client id was seen, whether the
 * receipt number is in the till's blocks, the shift, and ids for the new sale and its lines.
 */
export async function saleContext(
  db: Transaction<DB>,
  q: { sessionId: number; clientId: string; receiptNo: string; shiftId: string | null; lineCount: number },
): Promise<SaleContextRow | undefined> {
  const r = await sql<SaleContextRow>`
    select s.user_id, s.store_id, t.id as terminal_id, t.code as terminal_code, t.status, t.token_hash, t.receipt_prefix,
           coalesce(ps.rounding_unit, '0') as rounding_unit, coalesce(ps.rounding_mode, 'down') as rounding_mode,
           coalesce(ps.sell_expired, false) as sell_expired,
           coalesce(op.business_mode, 'supermarket') as business_mode,
           (select w.id from warehouse w where w.org_id = s.store_id and w.is_default and w.active) as warehouse_id,
           (select max(b.day) from business_day b where b.org_id = s.store_id)::text as last_closed,
           (select json_build_object('id', x.id, 'status', x.status, 'store_id', x.store_id, 'receipt_no', x.receipt_no, 'kind', x.kind,
                                     'fingerprint', x.client_fingerprint)
              from pos_sale x where x.client_id = ${q.clientId}::uuid) as existing,
           exists (select 1 from pos_receipt_block rb
                    where rb.terminal_id = t.id
                      and left(${q.receiptNo}::text, length(t.receipt_prefix)) = t.receipt_prefix
                      and (case when substr(${q.receiptNo}::text, length(t.receipt_prefix) + 1) ~ '^[0-9]{8}$'
                                then substr(${q.receiptNo}::text, length(t.receipt_prefix) + 1)::bigint end)
                          between rb.first_no and rb.last_no) as receipt_ok,
           (select json_build_object('status', sh.status, 'terminal_id', sh.terminal_id, 'cashier_id', sh.cashier_id)
              from pos_shift sh where sh.id = ${q.shiftId}::uuid) as shift,
           nextval('pos_sale_seq') as sale_id,
           array(select nextval('pos_sale_line_seq') from generate_series(1, ${q.lineCount}::int)) as line_ids,
           pg_advisory_xact_lock_shared(${DAY_LOCK}::int, s.store_id) as day_locked
      from pos_till_session s
      join pos_terminal t on t.id = s.terminal_id
      left join pos_store_settings ps on ps.store_id = s.store_id
      left join org_params op on op.org_id = s.store_id
     where s.session_id = ${q.sessionId}`.execute(db);
  const row = r.rows[0];
  if (row) {
    row.sale_id = Number(row.sale_id);
    row.line_ids = row.line_ids.map(Number);
  }
  return row;
}

/** Takes the shared day lock of stores (sales and uploads), before reading their last closed day. */
export async function lockStoreDays(db: Transaction<DB>, storeIds: readonly number[], exclusive = false): Promise<void> {
  const ids = [...new Set(storeIds)].sort((a, b) => a - b);
  if (!ids.length) return;
  if (exclusive) await sql`select pg_advisory_xact_lock(${DAY_LOCK}::int, id) from unnest(${ids}::int[]) as t(id)`.execute(db);
  else await sql`select pg_advisory_xact_lock_shared(${DAY_LOCK}::int, id) from unnest(${ids}::int[]) as t(id)`.execute(db);
}

/**
 * Serialises everyone booking the same client ids (two tabs, two devices, a retry racing the first try):
 * transaction-scoped locks taken in one fixed order (no deadlocks), BEFORE the caller looks for the sales,
 * so the second one waits and then finds the first one's sale instead of booking its stock a second time.
 */
export async function lockClientIds(db: Transaction<DB>, clientIds: readonly string[]): Promise<void> {
  if (!clientIds.length) return;
  await sql`select pg_advisory_xact_lock(${CLIENT_ID_LOCK}::int, t.h)
              from (select distinct hashtext(c) as h from unnest(${[...new Set(clientIds)]}::text[]) as u(c) order by 1) as t`.execute(
    db,
  );
}

/** Ids for sales written outside the checkout's context query (uploads, returns). */
export async function allocateSaleIds(
  db: Transaction<DB>,
  sales: number,
  lines: number,
): Promise<{ saleIds: number[]; lineIds: number[] }> {
  const r = await sql<{ s: number[]; l: number[] }>`
    select array(select nextval('pos_sale_seq') from generate_series(1, ${sales}::int)) as s,
           array(select nextval('pos_sale_line_seq') from generate_series(1, ${lines}::int)) as l`.execute(db);
  const row = r.rows[0] as { s: number[]; l: number[] };
  return { saleIds: row.s.map(Number), lineIds: row.l.map(Number) };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * The checks of the fast checkout, made inside its one write instead of a read before it: the store's
 * settings row is share-locked and must still carry the sequence the till cache saw (a daily close bumps
 * it first, so a sale racing a close waits for it and then fails the check — read committed re-reads a
 * row it waited for), and the sale's shift must be open at this till for this cashier.
 */
export interface WriteGuard {
  storeId: number;
  settingsSeq: number;
  shiftId: string | null;
  terminalId: number;
  cashierId: number;
  /** The price table's highest change number the sale's prices were read at (the checkout's price cache). */
  priceSeq?: number | undefined;
  /**
   * The request's Idempotency-Key, recorded with its answer in the same write (the fast checkout folds the
   * route's idempotency record into its one statement): a key already recorded writes nothing.
   */
  idempotency?: { userId: number; key: string; requestHash: string; response: string } | undefined;
}

/**
 * Writes sales in one statement. Without a guard, a sale whose client id already exists replaces it only
 * while that one is temporary or held (finishing a held/temporary sale). With a guard (the fast checkout),
 * an existing client id or a failed check writes nothing. Either way the caller learns from the returned ids.
 */
export async function insertSales(ctx: Ctx, sales: readonly PreparedSale[], guard?: WriteGuard): Promise<Set<number>> {
  if (sales.length === 0) return new Set();
  const lines = sales.flatMap((s) => s.lines.map((l) => ({ s, l })));
  const tenders = sales.flatMap((s) => s.tenders.map((t) => ({ s, t })));
  const intents = sales.flatMap((s) => s.intentIds.map((i) => ({ s, i })));
  const auths = sales.filter((s) => s.consumeAuthorizationId);
  const userId = ctx.actor.userId > 0 ? ctx.actor.userId : null;
  const guardCte = guard
    ? sql`g as (select sync_seq from pos_store_settings where store_id = ${guard.storeId} for share),`
    : sql``;
  const where = guard
    ? sql`where exists (select 1 from g where g.sync_seq = ${guard.settingsSeq})
            and exists (select 1 from pos_shift sh where sh.id = ${guard.shiftId}::uuid and sh.status = 'open'
                           and sh.terminal_id = ${guard.terminalId} and sh.cashier_id = ${guard.cashierId})
            ${guard.priceSeq === undefined ? sql`` : sql`and coalesce((select max(change_seq) from price), 0) = ${guard.priceSeq}`}
            ${
              guard.idempotency
                ? sql`and not exists (select 1 from idempotency_record ir
                                       where ir.user_id = ${guard.idempotency.userId} and ir.key = ${guard.idempotency.key})`
                : sql``
            }
          on conflict (client_id) do nothing`
    : sql`-- Nothing lands on a closed day (POS-8): checked here, under the day lock taken before.
        where not exists (select 1 from business_day b where b.org_id = t.store_id and b.day >= t.business_day)
        on conflict (client_id) do update set
          terminal_id = excluded.terminal_id, cashier_id = excluded.cashier_id, shift_id = excluded.shift_id,
          status = excluded.status, receipt_no = excluded.receipt_no, business_day = excluded.business_day,
          sold_at = excluded.sold_at, completed_at = excluded.completed_at, member_id = excluded.member_id,
          price_type = excluded.price_type, gross = excluded.gross, strategy_discount = excluded.strategy_discount,
          line_discount = excluded.line_discount, sale_discount = excluded.sale_discount, rounding = excluded.rounding,
          total = excluded.total, paid = excluded.paid, change_amount = excluded.change_amount, cogs = excluded.cogs,
          warehouse_id = excluded.warehouse_id, fulfilment = excluded.fulfilment, offline = excluded.offline,
          price_variance = excluded.price_variance, authorization_id = excluded.authorization_id,
          sale_discount_kind = excluded.sale_discount_kind, sale_discount_value = excluded.sale_discount_value,
          remarks = excluded.remarks, client_fingerprint = excluded.client_fingerprint, late = excluded.late
          where pos_sale.status in ('temporary', 'held') and pos_sale.id = excluded.id`;
  const tenderCte = tenders.length
    ? sql`,
      tn as (
        insert into pos_sale_tender (sale_id, seq, method, amount, tendered, change_amount, reference, payment_intent_id, original_seq)
        select t.* from unnest(
          ${tenders.map((x) => x.s.id)}::bigint[], ${tenders.map((x) => x.t.seq)}::int[], ${tenders.map((x) => x.t.method)}::text[],
          ${tenders.map((x) => x.t.amount)}::numeric[], ${tenders.map((x) => x.t.tendered)}::numeric[],
          ${tenders.map((x) => x.t.change)}::numeric[], ${tenders.map((x) => x.t.reference)}::text[],
          ${tenders.map((x) => x.t.paymentIntentId)}::uuid[], ${tenders.map((x) => x.t.originalSeq)}::int[]
        ) as t(sale_id, seq, method, amount, tendered, change_amount, reference, payment_intent_id, original_seq)
        where t.sale_id in (select id from h)
        returning 1
      )`
    : sql``;
  const intentCte = intents.length
    ? sql`,
      p as (
        update pos_payment_intent i set sale_id = t.sale_id, updated_at = now()
          from unnest(${intents.map((x) => x.i)}::uuid[], ${intents.map((x) => x.s.id)}::bigint[]) as t(intent_id, sale_id)
         where i.id = t.intent_id and t.sale_id in (select id from h)
        returning 1
      )`
    : sql``;
  const authCte = auths.length
    ? sql`,
      z as (
        update pos_authorization z set used_at = now(), used_by_sale_id = t.sale_id
          from unnest(${auths.map((s) => s.consumeAuthorizationId)}::uuid[], ${auths.map((s) => s.id)}::bigint[]) as t(auth_id, sale_id)
         where z.id = t.auth_id and t.sale_id in (select id from h)
        returning 1
      )`
    : sql``;
  const idem = guard?.idempotency;
  const idemCte = idem
    ? sql`,
      ik as (
        insert into idempotency_record (user_id, key, request_hash, status_code, response)
        select ${idem.userId}::int, ${idem.key}, ${idem.requestHash}, 200, ${idem.response}::jsonb
         where exists (select 1 from h)
        on conflict do nothing
        returning 1
      )`
    : sql``;
  const closedCheck = guard
    ? sql`null::bigint[]`
    : sql`(select array_agg(t.id) from unnest(${sales.map((s) => s.id)}::bigint[], ${sales.map((s) => s.storeId)}::int[],
                                               ${sales.map((s) => s.businessDay)}::date[]) as t(id, store_id, day)
             where exists (select 1 from business_day b where b.org_id = t.store_id and b.day >= t.day))`;
  try {
    const r = await sql<{ ids: number[] | null; closed: number[] | null; idempotent: number | null }>`
      with ${guardCte}
      h as (
        insert into pos_sale (id, client_id, store_id, terminal_id, cashier_id, shift_id, kind, status, receipt_no, business_day,
                              sold_at, completed_at, member_id, price_type, original_sale_id, gross, strategy_discount, line_discount,
                              sale_discount, rounding, total, paid, change_amount, cogs, warehouse_id, fulfilment, offline,
                              price_variance, authorization_id, sale_discount_kind, sale_discount_value, remarks,
                              client_fingerprint, late)
        select t.* from unnest(
          ${sales.map((s) => s.id)}::bigint[], ${sales.map((s) => s.clientId)}::uuid[], ${sales.map((s) => s.storeId)}::int[],
          ${sales.map((s) => s.terminalId)}::int[], ${sales.map((s) => s.cashierId)}::int[], ${sales.map((s) => s.shiftId)}::uuid[],
          ${sales.map((s) => s.kind)}::text[], ${sales.map((s) => s.status)}::text[], ${sales.map((s) => s.receiptNo)}::text[],
          ${sales.map((s) => s.businessDay)}::date[], ${sales.map((s) => s.soldAt.toISOString())}::timestamptz[],
          ${sales.map((s) => iso(s.completedAt))}::timestamptz[], ${sales.map((s) => s.memberId)}::int[],
          ${sales.map((s) => s.priceType)}::text[], ${sales.map((s) => s.originalSaleId)}::bigint[],
          ${sales.map((s) => s.gross)}::numeric[], ${sales.map((s) => s.strategyDiscount)}::numeric[],
          ${sales.map((s) => s.lineDiscount)}::numeric[], ${sales.map((s) => s.saleDiscount)}::numeric[],
          ${sales.map((s) => s.rounding)}::numeric[], ${sales.map((s) => s.total)}::numeric[], ${sales.map((s) => s.paid)}::numeric[],
          ${sales.map((s) => s.change)}::numeric[], ${sales.map((s) => s.cogs)}::numeric[], ${sales.map((s) => s.warehouseId)}::int[],
          ${sales.map((s) => s.fulfilment)}::text[], ${sales.map((s) => s.offline)}::boolean[],
          ${sales.map((s) => s.priceVariance)}::boolean[], ${sales.map((s) => s.authorizationId)}::uuid[],
          ${sales.map((s) => s.saleDiscountKind)}::text[], ${sales.map((s) => s.saleDiscountValue)}::numeric[],
          ${sales.map((s) => s.remarks)}::text[], ${sales.map((s) => s.fingerprint ?? null)}::text[],
          ${sales.map((s) => s.late ?? false)}::boolean[])
          as t(id, client_id, store_id, terminal_id, cashier_id, shift_id, kind, status, receipt_no, business_day, sold_at,
               completed_at, member_id, price_type, original_sale_id, gross, strategy_discount, line_discount, sale_discount,
               rounding, total, paid, change_amount, cogs, warehouse_id, fulfilment, offline, price_variance, authorization_id,
               sale_discount_kind, sale_discount_value, remarks, client_fingerprint, late)
        ${where}
        returning id
      ),
      l as (
        insert into pos_sale_line (id, sale_id, line_no, product_id, qty, base_price, list_price, gross, strategy_discount,
                                   line_discount, sale_discount, rounding, amount, discount_kind, discount_value, unit_cost,
                                   cost_amount, original_line_id, barcode)
        select t.* from unnest(
          ${lines.map((x) => x.l.id)}::bigint[], ${lines.map((x) => x.s.id)}::bigint[], ${lines.map((x) => x.l.lineNo)}::int[],
          ${lines.map((x) => x.l.productId)}::int[], ${lines.map((x) => x.l.qty)}::numeric[], ${lines.map((x) => x.l.basePrice)}::numeric[],
          ${lines.map((x) => x.l.listPrice)}::numeric[], ${lines.map((x) => x.l.gross)}::numeric[],
          ${lines.map((x) => x.l.strategyDiscount)}::numeric[], ${lines.map((x) => x.l.lineDiscount)}::numeric[],
          ${lines.map((x) => x.l.saleDiscount)}::numeric[], ${lines.map((x) => x.l.rounding)}::numeric[],
          ${lines.map((x) => x.l.amount)}::numeric[], ${lines.map((x) => x.l.discountKind)}::text[],
          ${lines.map((x) => x.l.discountValue)}::numeric[], ${lines.map((x) => x.l.unitCost)}::numeric[],
          ${lines.map((x) => x.l.costAmount)}::numeric[], ${lines.map((x) => x.l.originalLineId)}::bigint[],
          ${lines.map((x) => x.l.barcode)}::text[]
        ) as t(id, sale_id, line_no, product_id, qty, base_price, list_price, gross, strategy_discount, line_discount,
               sale_discount, rounding, amount, discount_kind, discount_value, unit_cost, cost_amount, original_line_id, barcode)
        where t.sale_id in (select id from h)
        returning 1
      ),
      a as (
        insert into audit_log (user_id, login, org_id, ip, request_id, action, entity, entity_id, after)
        select ${userId}::int, ${ctx.actor.login}, t.org_id, ${ctx.ip}, ${ctx.requestId}, t.action, 'pos_sale', t.id::text, t.after
          from unnest(${sales.map((s) => s.id)}::bigint[], ${sales.map((s) => s.storeId)}::int[],
                      ${sales.map((s) => `pos.${s.kind}_${s.status}`)}::text[],
                      ${sales.map((s) => JSON.stringify(s.auditDetail))}::jsonb[]) as t(id, org_id, action, after)
         where t.id in (select id from h)
        returning 1
      )${tenderCte}${intentCte}${authCte}${idemCte}
      select (select array_agg(id) from h) as ids, ${closedCheck} as closed,
             (select count(*) from l) + (select count(*) from a) as written,
             ${idem ? sql`(select count(*) from ik)::int` : sql`null::int`} as idempotent`.execute(ctx.db);
    const closed = (r.rows[0]?.closed ?? []).map(Number);
    if (closed.length) {
      const day = sales.find((x) => x.id === closed[0])?.businessDay;
      throw new DomainError('BUSINESS_DAY_CLOSED', { day: day ?? '-' });
    }
    const ids = new Set((r.rows[0]?.ids ?? []).map(Number));
    // The key was recorded by a concurrent request between our check and our insert: write nothing.
    if (idem && ids.size > 0 && r.rows[0]?.idempotent === 0) throw new IdempotencyKeyTaken();
    return ids;
  } catch (e) {
    const pg = e as { code?: string; constraint?: string };
    if (pg.code === '23505' && pg.constraint === 'pos_sale_store_id_receipt_no_key') {
      throw new DomainError('POS_RECEIPT_DUPLICATE', { receiptNo: sales.length === 1 ? sales[0]?.receiptNo : '-' });
    }
    throw e;
  }
}

/** The fast checkout's Idempotency-Key was taken concurrently: its transaction must roll back (the caller restarts). */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('the idempotency key was recorded by a concurrent request');
    this.name = 'IdempotencyKeyTaken';
  }
}

/** Removes the lines and tenders of a temporary/held sale about to be replaced. */
export async function clearSaleContent(db: Transaction<DB>, saleId: number): Promise<void> {
  await sql`with a as (delete from pos_sale_line where sale_id = ${saleId} returning 1)
            delete from pos_sale_tender where sale_id = ${saleId}`.execute(db);
}

interface SaleJsonRow {
  sale: Record<string, unknown>;
  lines: Record<string, unknown>[] | null;
  tenders: Record<string, unknown>[] | null;
}

const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
const d = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

function jsonToDto(r: SaleJsonRow): SaleDto {
  const h = r.sale;
  return {
    id: Number(h.id),
    clientId: String(h.client_id),
    storeId: Number(h.store_id),
    terminalId: Number(h.terminal_id),
    cashierId: Number(h.cashier_id),
    shiftId: s(h.shift_id),
    kind: h.kind as SaleDto['kind'],
    status: h.status as SaleDto['status'],
    receiptNo: String(h.receipt_no),
    businessDay: String(h.business_day),
    soldAt: new Date(h.sold_at as string),
    completedAt: d(h.completed_at),
    memberId: n(h.member_id),
    originalSaleId: n(h.original_sale_id),
    gross: String(h.gross),
    strategyDiscount: String(h.strategy_discount),
    lineDiscount: String(h.line_discount),
    saleDiscount: String(h.sale_discount),
    rounding: String(h.rounding),
    total: String(h.total),
    paid: String(h.paid),
    change: String(h.change_amount),
    cogs: s(h.cogs),
    fulfilment: h.fulfilment as SaleDto['fulfilment'],
    offline: Boolean(h.offline),
    priceVariance: Boolean(h.price_variance),
    invoiceNo: s(h.invoice_no),
    invoiceAt: d(h.invoice_at),
    remarks: s(h.remarks),
    late: Boolean(h.late),
    lines: (r.lines ?? []).map((l) => ({
      id: Number(l.id),
      lineNo: Number(l.line_no),
      productId: Number(l.product_id),
      qty: String(l.qty),
      basePrice: String(l.base_price),
      listPrice: s(l.list_price),
      gross: String(l.gross),
      strategyDiscount: String(l.strategy_discount),
      lineDiscount: String(l.line_discount),
      saleDiscount: String(l.sale_discount),
      rounding: String(l.rounding),
      amount: String(l.amount),
      unitCost: s(l.unit_cost),
      costAmount: s(l.cost_amount),
      originalLineId: n(l.original_line_id),
    })),
    tenders: (r.tenders ?? []).map((t) => ({
      seq: Number(t.seq),
      method: String(t.method),
      amount: String(t.amount),
      tendered: String(t.tendered),
      change: String(t.change_amount),
      reference: s(t.reference),
      paymentIntentId: s(t.payment_intent_id),
    })),
  };
}

/** Sales with their lines and tenders, in one query. */
export async function loadSales(
  db: Transaction<DB>,
  where: { ids?: readonly number[]; clientIds?: readonly string[]; storeId?: number; receiptNo?: string },
): Promise<SaleDto[]> {
  const conds = [];
  if (where.ids) conds.push(sql`x.id = any(${[...where.ids]}::bigint[])`);
  if (where.clientIds) conds.push(sql`x.client_id = any(${[...where.clientIds]}::uuid[])`);
  if (where.storeId !== undefined) conds.push(sql`x.store_id = ${where.storeId}`);
  if (where.receiptNo !== undefined) conds.push(sql`x.receipt_no = ${where.receiptNo}`);
  if (!conds.length) return [];
  // Numbers as text: JSON numbers would lose the scale ("5.00" → 5) and exactness.
  const r = await sql<SaleJsonRow>`
    select json_build_object(
             'id', x.id, 'client_id', x.client_id, 'store_id', x.store_id, 'terminal_id', x.terminal_id, 'cashier_id', x.cashier_id,
             'shift_id', x.shift_id, 'kind', x.kind, 'status', x.status, 'receipt_no', x.receipt_no,
             'business_day', x.business_day::text, 'sold_at', x.sold_at, 'completed_at', x.completed_at, 'member_id', x.member_id,
             'original_sale_id', x.original_sale_id, 'gross', x.gross::text, 'strategy_discount', x.strategy_discount::text,
             'line_discount', x.line_discount::text, 'sale_discount', x.sale_discount::text, 'rounding', x.rounding::text,
             'total', x.total::text, 'paid', x.paid::text, 'change_amount', x.change_amount::text, 'cogs', x.cogs::text,
             'fulfilment', x.fulfilment, 'offline', x.offline, 'price_variance', x.price_variance, 'invoice_no', x.invoice_no,
             'invoice_at', x.invoice_at, 'remarks', x.remarks, 'late', x.late) as sale,
           (select json_agg(json_build_object(
                     'id', l.id, 'line_no', l.line_no, 'product_id', l.product_id, 'qty', l.qty::text, 'base_price', l.base_price::text,
                     'list_price', l.list_price::text, 'gross', l.gross::text, 'strategy_discount', l.strategy_discount::text,
                     'line_discount', l.line_discount::text, 'sale_discount', l.sale_discount::text, 'rounding', l.rounding::text,
                     'amount', l.amount::text, 'unit_cost', l.unit_cost::text, 'cost_amount', l.cost_amount::text,
                     'original_line_id', l.original_line_id) order by l.line_no)
              from pos_sale_line l where l.sale_id = x.id) as lines,
           (select json_agg(json_build_object(
                     'seq', t.seq, 'method', t.method, 'amount', t.amount::text, 'tendered', t.tendered::text,
                     'change_amount', t.change_amount::text, 'reference', t.reference, 'payment_intent_id', t.payment_intent_id) order by t.seq)
              from pos_sale_tender t where t.sale_id = x.id) as tenders
      from pos_sale x
     where ${sql.join(conds, sql` and `)}
     order by x.id`.execute(db);
  return r.rows.map(jsonToDto);
}

export async function loadSale(db: Transaction<DB>, where: Parameters<typeof loadSales>[1]): Promise<SaleDto | undefined> {
  return (await loadSales(db, where))[0];
}
