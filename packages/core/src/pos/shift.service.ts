import { DomainError, dec, money } from '@erp/contracts';
import { type DB, sql, type Transaction } from '@erp/db';
import { recordAudit } from '../audit/audit.service.js';
import { lastClosedDay } from '../org/business-day.service.js';
import { calendarDay } from '../platform/clock.js';
import { authorize, type Ctx } from '../platform/context.js';
import { expectedCash, offlineBusinessDay } from './pos.rules.js';
import { openDay } from './sale.service.js';
import { resolveTill, type Till, type TillAuth } from './terminal.service.js';

// POS-7: shifts (班次) opened with a float, handed over (交班) with the cash deposit (零售缴款) against the
// expected cash; over/short recorded; reconciliation per cashier and tender (收银对账).

export interface ShiftTotals {
  float: string;
  cashSales: string;
  /** Cash of the shift's paid sales still in the upload-error queue (counted in the expected cash). */
  queuedCash: string;
  /** How many of the shift's sales are in the queue. */
  queuedSales: number;
  cashRefunds: string;
  paidOut: string;
  paidIn: string;
  expectedCash: string;
  byTender: { method: string; sales: string; refunds: string; net: string }[];
  saleCount: number;
  returnCount: number;
}

export interface ShiftDto {
  id: string;
  storeId: number;
  terminalId: number;
  cashierId: number;
  businessDay: string;
  openedAt: Date;
  float: string;
  status: 'open' | 'handed_over';
  offline: boolean;
  handedOverAt: Date | null;
  expectedCash: string | null;
  deposit: string | null;
  overShort: string | null;
  denominations: Record<string, number> | null;
  remarks: string | null;
}

type ShiftRow = {
  id: string;
  store_id: number;
  terminal_id: number;
  cashier_id: number;
  business_day: string;
  opened_at: Date;
  float_amount: string;
  status: 'open' | 'handed_over';
  offline: boolean;
  handed_over_at: Date | null;
  expected_cash: string | null;
  deposit: string | null;
  over_short: string | null;
  denominations: unknown;
  remarks: string | null;
};

export function toShiftDto(r: ShiftRow): ShiftDto {
  return {
    id: r.id,
    storeId: r.store_id,
    terminalId: r.terminal_id,
    cashierId: r.cashier_id,
    businessDay: r.business_day,
    openedAt: r.opened_at,
    float: money(r.float_amount),
    status: r.status,
    offline: r.offline,
    handedOverAt: r.handed_over_at,
    expectedCash: r.expected_cash,
    deposit: r.deposit,
    overShort: r.over_short,
    denominations: (r.denominations as Record<string, number> | null) ?? null,
    remarks: r.remarks,
  };
}

/** What went through a shift's drawer, set-based: tenders of its formal sales and returns, paid-outs and -ins. */
export async function shiftTotals(db: Transaction<DB>, shiftId: string): Promise<ShiftTotals> {
  const r = await sql<{
    float_amount: string;
    tenders: { method: string; sales: string; refunds: string }[] | null;
    paid_out: string;
    paid_in: string;
    sale_count: number;
    return_count: number;
    queued_cash: string;
    queued_count: number;
  }>`
    select sh.float_amount,
           (select json_agg(json_build_object('method', x.method, 'sales', x.sales, 'refunds', x.refunds) order by x.method)
              from (select t.method,
                           coalesce(sum(t.amount) filter (where s.kind = 'sale'), 0) as sales,
                           coalesce(-sum(t.amount) filter (where s.kind = 'return'), 0) as refunds
                      from pos_sale s join pos_sale_tender t on t.sale_id = s.id
                     where s.shift_id = sh.id and s.status = 'formal'
                     group by t.method) x) as tenders,
           (select coalesce(sum(amount), 0) from pos_cash_movement m where m.shift_id = sh.id and m.kind = 'paid_out') as paid_out,
           (select coalesce(sum(amount), 0) from pos_cash_movement m where m.shift_id = sh.id and m.kind = 'paid_in') as paid_in,
           (select count(*) from pos_sale s where s.shift_id = sh.id and s.status = 'formal' and s.kind = 'sale')::int as sale_count,
           (select count(*) from pos_sale s where s.shift_id = sh.id and s.status = 'formal' and s.kind = 'return')::int as return_count,
           (select coalesce(sum(e.cash_net), 0) from pos_upload_error e
             where e.shift_id = sh.id and e.terminal_id = sh.terminal_id and e.status = 'open') as queued_cash,
           (select count(*) from pos_upload_error e
             where e.shift_id = sh.id and e.terminal_id = sh.terminal_id and e.status = 'open')::int as queued_count
      from pos_shift sh where sh.id = ${shiftId}::uuid`.execute(db);
  const row = r.rows[0];
  if (!row) throw new DomainError('NOT_FOUND', { entity: 'shift', id: shiftId });
  const byTender = (row.tenders ?? []).map((t) => ({
    method: t.method,
    sales: money(t.sales),
    refunds: money(t.refunds),
    net: money(dec(t.sales).minus(t.refunds)),
  }));
  const cash = byTender.find((t) => t.method === 'cash');
  const p = {
    float: money(row.float_amount),
    cashSales: cash?.sales ?? '0.00',
    queuedCash: money(row.queued_cash),
    cashRefunds: cash?.refunds ?? '0.00',
    paidOut: money(row.paid_out),
    paidIn: money(row.paid_in),
  };
  return {
    ...p,
    expectedCash: expectedCash(p),
    byTender,
    saleCount: row.sale_count,
    returnCount: row.return_count,
    queuedSales: row.queued_count,
  };
}

async function openShiftOf(db: Transaction<DB>, till: Till): Promise<ShiftRow | undefined> {
  return (await db
    .selectFrom('pos_shift')
    .selectAll()
    .where('terminal_id', '=', till.terminalId)
    .where('cashier_id', '=', till.cashierId)
    .where('status', '=', 'open')
    .executeTakeFirst()) as ShiftRow | undefined;
}

/** Opens a shift at the caller's till with a float (idempotent on the till-generated id). */
export async function openShift(ctx: Ctx, auth: TillAuth, cmd: { id: string; float: string }): Promise<ShiftDto> {
  const till = await resolveTill(ctx, auth);
  authorize(ctx, 'pos.shift', 'create');
  const same = (await ctx.db.selectFrom('pos_shift').selectAll().where('id', '=', cmd.id).executeTakeFirst()) as
    | ShiftRow
    | undefined;
  if (same) {
    if (same.terminal_id !== till.terminalId) throw new DomainError('NOT_FOUND', { entity: 'shift', id: cmd.id });
    return toShiftDto(same);
  }
  const open = await openShiftOf(ctx.db, till);
  if (open) throw new DomainError('POS_SHIFT_ALREADY_OPEN', { shift: open.id });
  const day = openDay(await lastClosedDay(ctx.db, till.storeId));
  const row = (await ctx.db
    .insertInto('pos_shift')
    .values({
      id: cmd.id,
      store_id: till.storeId,
      terminal_id: till.terminalId,
      cashier_id: till.cashierId,
      business_day: day,
      float_amount: money(cmd.float),
    })
    .returningAll()
    .executeTakeFirstOrThrow()) as ShiftRow;
  const dto = toShiftDto(row);
  await recordAudit(ctx, { action: 'pos.shift_opened', entity: 'pos_shift', entityId: row.id, after: dto, orgId: till.storeId });
  return dto;
}

/**
 * Shifts opened while the till was offline, uploaded before their sales. Idempotent; a shift that would
 * make a second open shift for the cashier at the till is skipped (its sales then go to the error queue).
 */
export async function applyOfflineShifts(
  ctx: Ctx,
  till: Till,
  shifts: readonly { id: string; float: string; openedAt?: string | undefined; cashierId?: number | undefined }[],
): Promise<string[]> {
  if (!shifts.length) return [];
  const last = await lastClosedDay(ctx.db, till.storeId);
  const today = calendarDay();
  const r = await sql<{ id: string }>`
    insert into pos_shift (id, store_id, terminal_id, cashier_id, business_day, opened_at, float_amount, offline)
    select t.id, ${till.storeId}, ${till.terminalId}, t.cashier_id, t.day, t.opened_at, t.float, true
      from unnest(${shifts.map((s) => s.id)}::uuid[], ${shifts.map((s) => s.cashierId ?? till.cashierId)}::int[],
                  ${shifts.map((s) => offlineBusinessDay(calendarDay(new Date(s.openedAt ?? Date.now())), last, today))}::date[],
                  ${shifts.map((s) => s.openedAt ?? new Date().toISOString())}::timestamptz[],
                  ${shifts.map((s) => money(s.float))}::numeric[]) as t(id, cashier_id, day, opened_at, float)
    on conflict do nothing
    returning id`.execute(ctx.db);
  const created = r.rows.map((x) => x.id);
  if (created.length) {
    await recordAudit(ctx, {
      action: 'pos.shift_opened_offline',
      entity: 'pos_shift',
      detail: { shifts: created, terminal: till.terminalCode },
      orgId: till.storeId,
    });
  }
  return created;
}

/** The caller's open shift at this till, with its running totals (expected cash only if the store shows it). */
export async function currentShift(ctx: Ctx, auth: TillAuth) {
  const till = await resolveTill(ctx, auth);
  authorize(ctx, 'pos.shift', 'view');
  const open = await openShiftOf(ctx.db, till);
  if (!open) return { shift: null, totals: null };
  const totals = await shiftTotals(ctx.db, open.id);
  const showExpected = await handoverShowsExpected(ctx.db, till.storeId);
  return { shift: toShiftDto(open), totals: showExpected ? totals : { ...totals, expectedCash: null } };
}

async function handoverShowsExpected(db: Transaction<DB>, storeId: number): Promise<boolean> {
  const p = await db
    .selectFrom('org_params')
    .select('handover_shows_expected_cash')
    .where('org_id', '=', storeId)
    .executeTakeFirst();
  return p?.handover_shows_expected_cash ?? true;
}

/** Cash paid out of (支出) or into the drawer during the caller's open shift. */
export async function recordCashMovement(
  ctx: Ctx,
  auth: TillAuth,
  cmd: { kind: 'paid_out' | 'paid_in'; amount: string; reason: string },
) {
  const till = await resolveTill(ctx, auth);
  authorize(ctx, 'pos.shift', 'create');
  const open = await openShiftOf(ctx.db, till);
  if (!open) throw new DomainError('POS_SHIFT_REQUIRED');
  const row = await ctx.db
    .insertInto('pos_cash_movement')
    .values({
      shift_id: open.id,
      store_id: till.storeId,
      kind: cmd.kind,
      amount: money(cmd.amount),
      reason: cmd.reason,
      created_by: ctx.actor.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(ctx, { action: `pos.${cmd.kind}`, entity: 'pos_shift', entityId: open.id, after: row, orgId: till.storeId });
  return { id: row.id, shiftId: open.id, kind: row.kind, amount: money(row.amount), reason: row.reason };
}

/**
 * 交班 with 零售缴款: the cashier hands over the counted cash; the server computes the expected cash (float +
 * cash sales − cash refunds − paid-outs + paid-ins) and records over/short (deposit − expected).
 */
export async function handOverShift(
  ctx: Ctx,
  auth: TillAuth,
  cmd: { deposit: string; denominations?: Record<string, number> | undefined; remarks?: string | undefined },
) {
  const till = await resolveTill(ctx, auth);
  authorize(ctx, 'pos.shift', 'complete');
  const open = await openShiftOf(ctx.db, till);
  if (!open) throw new DomainError('POS_SHIFT_REQUIRED');
  await ctx.db.selectFrom('pos_shift').select('id').where('id', '=', open.id).forUpdate().execute();
  const totals = await shiftTotals(ctx.db, open.id);
  const deposit = money(cmd.deposit);
  const overShort = money(dec(deposit).minus(totals.expectedCash));
  const row = (await ctx.db
    .updateTable('pos_shift')
    .set({
      status: 'handed_over',
      handed_over_at: new Date(),
      handed_over_by: ctx.actor.userId,
      expected_cash: totals.expectedCash,
      deposit,
      over_short: overShort,
      denominations: cmd.denominations ? JSON.stringify(cmd.denominations) : null,
      remarks: cmd.remarks ?? null,
    })
    .where('id', '=', open.id)
    .returningAll()
    .executeTakeFirstOrThrow()) as ShiftRow;
  const dto = toShiftDto(row);
  await recordAudit(ctx, {
    action: 'pos.shift_handed_over',
    entity: 'pos_shift',
    entityId: open.id,
    before: { status: 'open' },
    after: { status: 'handed_over', expectedCash: totals.expectedCash, deposit, overShort },
    orgId: till.storeId,
  });
  return { shift: dto, totals };
}

export async function getShift(ctx: Ctx, id: string) {
  authorize(ctx, 'pos.shift', 'view');
  const row = (await ctx.db.selectFrom('pos_shift').selectAll().where('id', '=', id).executeTakeFirst()) as ShiftRow | undefined;
  if (!row || !ctx.scope.has(row.store_id)) throw new DomainError('NOT_FOUND', { entity: 'shift', id });
  return { shift: toShiftDto(row), totals: await shiftTotals(ctx.db, id) };
}

export async function listShifts(
  ctx: Ctx,
  q: {
    storeId?: number | undefined;
    from?: string | undefined;
    to?: string | undefined;
    status?: 'open' | 'handed_over' | undefined;
    cashierId?: number | undefined;
    page: number;
    pageSize: number;
  },
) {
  authorize(ctx, 'pos.shift', 'view');
  if (q.storeId !== undefined) ctx.scope.assert(q.storeId, 'org', q.storeId);
  let query = ctx.db
    .selectFrom('pos_shift as s')
    .innerJoin('app_user as u', 'u.id', 's.cashier_id')
    .innerJoin('pos_terminal as t', 't.id', 's.terminal_id')
    .where('s.store_id', 'in', q.storeId !== undefined ? [q.storeId] : [...ctx.scope.ids, -1]);
  if (q.from) query = query.where('s.business_day', '>=', q.from);
  if (q.to) query = query.where('s.business_day', '<=', q.to);
  if (q.status) query = query.where('s.status', '=', q.status);
  if (q.cashierId) query = query.where('s.cashier_id', '=', q.cashierId);
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await query
    .selectAll('s')
    .select(['u.login as cashier_login', 'u.name as cashier_name', 't.code as terminal_code'])
    .orderBy('s.opened_at', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return {
    items: rows.map((r) => ({
      ...toShiftDto(r as unknown as ShiftRow),
      cashierLogin: r.cashier_login,
      cashierName: r.cashier_name,
      terminalCode: r.terminal_code,
    })),
    total: Number(total),
    page: q.page,
    pageSize: q.pageSize,
  };
}

/**
 * 收银对账: per cashier and per tender over a period — what was taken (sales), given back (returns), the net,
 * and for cash the expected, deposited and over/short of the cashier's handed-over shifts. Set-based.
 */
export async function reconciliation(ctx: Ctx, q: { storeId: number; from: string; to: string }) {
  authorize(ctx, 'pos.shift', 'view');
  ctx.scope.assert(q.storeId, 'org', q.storeId);
  const tenders = await sql<{
    cashier_id: number;
    login: string;
    name: string;
    method: string;
    sales: string;
    refunds: string;
    sale_count: number;
  }>`
    select s.cashier_id, u.login, u.name, t.method,
           coalesce(sum(t.amount) filter (where s.kind = 'sale'), 0) as sales,
           coalesce(-sum(t.amount) filter (where s.kind = 'return'), 0) as refunds,
           count(distinct s.id)::int as sale_count
      from pos_sale s
      join pos_sale_tender t on t.sale_id = s.id
      join app_user u on u.id = s.cashier_id
     where s.store_id = ${q.storeId} and s.status = 'formal' and s.business_day between ${q.from}::date and ${q.to}::date
     group by s.cashier_id, u.login, u.name, t.method
     order by u.login, t.method`.execute(ctx.db);
  const shifts = await sql<{
    cashier_id: number;
    shifts: number;
    expected: string;
    deposit: string;
    over_short: string;
    open: number;
  }>`
    select cashier_id, count(*)::int as shifts,
           coalesce(sum(expected_cash), 0) as expected, coalesce(sum(deposit), 0) as deposit,
           coalesce(sum(over_short), 0) as over_short, count(*) filter (where status = 'open')::int as open
      from pos_shift
     where store_id = ${q.storeId} and business_day between ${q.from}::date and ${q.to}::date
     group by cashier_id`.execute(ctx.db);
  const byCashier = new Map<
    number,
    { cashierId: number; login: string; name: string; tenders: { method: string; sales: string; refunds: string; net: string }[] }
  >();
  for (const r of tenders.rows) {
    let c = byCashier.get(r.cashier_id);
    if (!c) {
      c = { cashierId: r.cashier_id, login: r.login, name: r.name, tenders: [] };
      byCashier.set(r.cashier_id, c);
    }
    c.tenders.push({
      method: r.method,
      sales: money(r.sales),
      refunds: money(r.refunds),
      net: money(dec(r.sales).minus(r.refunds)),
    });
  }
  const shiftBy = new Map(shifts.rows.map((s) => [s.cashier_id, s]));
  const cashiers = [...byCashier.values()].map((c) => {
    const s = shiftBy.get(c.cashierId);
    return {
      ...c,
      net: money(c.tenders.reduce((a, t) => a.plus(t.net), dec(0))),
      shifts: s?.shifts ?? 0,
      openShifts: s?.open ?? 0,
      expectedCash: money(s?.expected ?? 0),
      deposited: money(s?.deposit ?? 0),
      overShort: money(s?.over_short ?? 0),
    };
  });
  const methods = new Map<string, { method: string; sales: Dec; refunds: Dec }>();
  for (const c of cashiers) {
    for (const t of c.tenders) {
      const m = methods.get(t.method) ?? { method: t.method, sales: dec(0), refunds: dec(0) };
      m.sales = m.sales.plus(t.sales);
      m.refunds = m.refunds.plus(t.refunds);
      methods.set(t.method, m);
    }
  }
  return {
    storeId: q.storeId,
    from: q.from,
    to: q.to,
    cashiers,
    byTender: [...methods.values()].map((m) => ({
      method: m.method,
      sales: money(m.sales),
      refunds: money(m.refunds),
      net: money(m.sales.minus(m.refunds)),
    })),
  };
}

type Dec = ReturnType<typeof dec>;
