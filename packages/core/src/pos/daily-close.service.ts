import { type DailyReport, DomainError, dec, money } from '@erp/contracts';
import { type DB, sql, type Transaction } from '@erp/db';
import { recordAudit } from '../audit/audit.service.js';
import { stockExceptionsOfDay } from '../inventory/index.js';
import { lastClosedDay } from '../org/business-day.service.js';
import { getVisibleOrg } from '../org/org.service.js';
import { calendarDay } from '../platform/clock.js';
import { authorize, type Ctx } from '../platform/context.js';
import { reconcilePayments } from './payment.service.js';
import { earliestUnclosedDay } from './pos.rules.js';
import { lockStoreDays } from './sale.repository.js';
import { clearTemporarySales } from './sale.service.js';
import { forgetStore } from './till-cache.js';
import { openUploadErrors, uploadErrorsBlocking } from './upload.service.js';

// POS-8 / ORG-4: the daily close (零售日结) of a store's earliest unclosed business day, its report, and
// reopening (日结回填) the latest closed day while finance has not started on it.

export type { DailyReport } from '@erp/contracts';

interface RawReport {
  store_code: string;
  store_name: string;
  kinds:
    | {
        kind: string;
        n: number;
        gross: string;
        strategy: string;
        line: string;
        sale: string;
        rounding: string;
        total: string;
        cogs: string;
      }[]
    | null;
  tenders: { method: string; sales: string; refunds: string }[] | null;
  cashiers:
    | { cashier_id: number; login: string; name: string; sales: number; amount: string; returns: number; refunds: string }[]
    | null;
  categories:
    | { category_id: number | null; code: string | null; name: string | null; qty: string; amount: string; cogs: string }[]
    | null;
  shifts:
    | {
        id: string;
        cashier_id: number;
        status: string;
        float_amount: string;
        expected_cash: string | null;
        deposit: string | null;
        over_short: string | null;
      }[]
    | null;
  offline: number;
  variance: number;
  review: number;
  late: number;
}

/**
 * The day's report from the sales themselves, in one set-based statement: by kind, tender, cashier and
 * category (from the line amounts and the costs stored at sale time), plus the day's shifts.
 */
export async function buildDailyReport(db: Transaction<DB>, storeId: number, day: string): Promise<DailyReport> {
  const r = await sql<RawReport>`
    with s as (
      select * from pos_sale where store_id = ${storeId} and business_day = ${day}::date and status = 'formal'
    )
    select o.code as store_code, o.name as store_name,
      (select json_agg(k) from (
         select kind, count(*)::int as n, sum(gross) as gross, sum(strategy_discount) as strategy, sum(line_discount) as line,
                sum(sale_discount) as sale, sum(rounding) as rounding, sum(total) as total, coalesce(sum(cogs), 0) as cogs
           from s group by kind) k) as kinds,
      (select json_agg(t order by t.method) from (
         select tn.method, coalesce(sum(tn.amount) filter (where s.kind = 'sale'), 0) as sales,
                coalesce(-sum(tn.amount) filter (where s.kind = 'return'), 0) as refunds
           from s join pos_sale_tender tn on tn.sale_id = s.id group by tn.method) t) as tenders,
      (select json_agg(c order by c.login) from (
         select s.cashier_id, u.login, u.name,
                count(*) filter (where s.kind = 'sale')::int as sales, coalesce(sum(s.total) filter (where s.kind = 'sale'), 0) as amount,
                count(*) filter (where s.kind = 'return')::int as returns, coalesce(-sum(s.total) filter (where s.kind = 'return'), 0) as refunds
           from s join app_user u on u.id = s.cashier_id group by s.cashier_id, u.login, u.name) c) as cashiers,
      (select json_agg(g order by g.code nulls last) from (
         select p.category_id, cat.code, cat.name, sum(l.qty) as qty, sum(l.amount) as amount, coalesce(sum(l.cost_amount), 0) as cogs
           from s join pos_sale_line l on l.sale_id = s.id
           join product p on p.id = l.product_id
           left join category cat on cat.id = p.category_id
          group by p.category_id, cat.code, cat.name) g) as categories,
      (select json_agg(sh order by sh.opened_at) from (
         select id, cashier_id, status, float_amount, expected_cash, deposit, over_short, opened_at
           from pos_shift where store_id = ${storeId} and business_day = ${day}::date) sh) as shifts,
      (select count(*) from s where offline)::int as offline,
      (select count(*) from s where price_variance)::int as variance,
      (select count(*) from s where fulfilment = 'awaiting_review')::int as review,
      (select count(*) from s where late)::int as late
    from org o where o.id = ${storeId}`.execute(db);
  const raw = r.rows[0] as RawReport;
  const kind = (k: string) => raw.kinds?.find((x) => x.kind === k);
  const sale = kind('sale');
  const ret = kind('return');
  const salesAmount = dec(sale?.total ?? 0);
  const returnsAmount = dec(ret?.total ?? 0).negated();
  const netAmount = salesAmount.minus(returnsAmount);
  const netCogs = dec(sale?.cogs ?? 0).plus(ret?.cogs ?? 0);
  const margin = netAmount.minus(netCogs);
  const discountTotal = dec(sale?.strategy ?? 0)
    .plus(sale?.line ?? 0)
    .plus(sale?.sale ?? 0);
  return {
    storeId,
    storeCode: raw.store_code,
    storeName: raw.store_name,
    day,
    generatedAt: new Date().toISOString(),
    sales: {
      count: sale?.n ?? 0,
      gross: money(sale?.gross ?? 0),
      strategyDiscount: money(sale?.strategy ?? 0),
      lineDiscount: money(sale?.line ?? 0),
      saleDiscount: money(sale?.sale ?? 0),
      rounding: money(sale?.rounding ?? 0),
      amount: money(salesAmount),
      cogs: money(sale?.cogs ?? 0),
    },
    returns: { count: ret?.n ?? 0, amount: money(returnsAmount), cogs: money(dec(ret?.cogs ?? 0).negated()) },
    net: {
      amount: money(netAmount),
      cogs: money(netCogs),
      grossMargin: money(margin),
      marginRate: netAmount.isZero() ? null : margin.dividedBy(netAmount).times(100).toDecimalPlaces(2).toFixed(2),
    },
    discounts: {
      strategy: money(sale?.strategy ?? 0),
      line: money(sale?.line ?? 0),
      sale: money(sale?.sale ?? 0),
      total: money(discountTotal),
      rounding: money(sale?.rounding ?? 0),
    },
    byTender: (raw.tenders ?? []).map((t) => ({
      method: t.method,
      sales: money(t.sales),
      refunds: money(t.refunds),
      net: money(dec(t.sales).minus(t.refunds)),
    })),
    byCashier: (raw.cashiers ?? []).map((c) => ({
      cashierId: c.cashier_id,
      login: c.login,
      name: c.name,
      sales: c.sales,
      amount: money(c.amount),
      returns: c.returns,
      refunds: money(c.refunds),
      net: money(dec(c.amount).minus(c.refunds)),
    })),
    byCategory: (raw.categories ?? []).map((g) => ({
      categoryId: g.category_id,
      code: g.code,
      name: g.name,
      qty: dec(g.qty).toFixed(3),
      amount: money(g.amount),
      cogs: money(g.cogs),
      grossMargin: money(dec(g.amount).minus(g.cogs)),
    })),
    shifts: (raw.shifts ?? []).map((s) => ({
      id: s.id,
      cashierId: s.cashier_id,
      status: s.status,
      float: money(s.float_amount),
      expectedCash: s.expected_cash === null ? null : money(s.expected_cash),
      deposit: s.deposit === null ? null : money(s.deposit),
      overShort: s.over_short === null ? null : money(s.over_short),
    })),
    offlineSales: raw.offline,
    lateSales: raw.late,
    stockExceptions: await stockExceptionsOfDay(db, storeId, day),
    priceVarianceSales: raw.variance,
    awaitingReview: raw.review,
  };
}

async function assertStore(ctx: Ctx, storeId: number) {
  const org = await getVisibleOrg(ctx, storeId);
  if (org.kind !== 'store') throw new DomainError('ORG_NOT_A_STORE', { org: org.code });
  return org;
}

/**
 * Takes the store's settings row (waiting for fast-path sales that share-locked it) and changes its
 * sequence, so a sale that races the close fails its write guard and runs the full path on the new day.
 */
async function bumpStoreDay(db: Transaction<DB>, storeId: number): Promise<void> {
  await sql`insert into pos_store_settings (store_id) values (${storeId})
            on conflict (store_id) do update set sync_seq = nextval('pos_sync_seq')`.execute(db);
  forgetStore(storeId);
}

async function firstActivity(db: Transaction<DB>, storeId: number): Promise<string | null> {
  const r = await sql<{
    d: string | null;
  }>`select min(business_day)::text as d from pos_sale where store_id = ${storeId}`.execute(db);
  return r.rows[0]?.d ?? null;
}

/** Where a store's day stands: the last closed day, the day a close would act on, and what is still open. */
export async function dayStatus(ctx: Ctx, storeId: number) {
  authorize(ctx, 'pos.daily_close', 'view');
  await assertStore(ctx, storeId);
  const last = await lastClosedDay(ctx.db, storeId);
  const today = calendarDay();
  const earliest = earliestUnclosedDay(last, await firstActivity(ctx.db, storeId), today);
  const counts = await sql<{
    temporary: number;
    held: number;
    open_shifts: number;
    upload_errors: number;
    open_payments: number;
    review: number;
    finance_started: boolean | null;
  }>`
    select (select count(*) from pos_sale where store_id = ${storeId} and status = 'temporary' and business_day <= ${earliest}::date)::int as temporary,
           (select count(*) from pos_sale where store_id = ${storeId} and status = 'held')::int as held,
           (select count(*) from pos_shift where store_id = ${storeId} and status = 'open' and business_day <= ${earliest}::date)::int as open_shifts,
           (select count(*) from pos_upload_error where store_id = ${storeId} and status = 'open')::int as upload_errors,
           (select count(*) from pos_payment_intent where store_id = ${storeId} and status in ('pending', 'unknown'))::int as open_payments,
           (select count(*) from pos_sale where store_id = ${storeId} and fulfilment = 'awaiting_review')::int as review,
           (select finance_started from business_day where org_id = ${storeId} and day = ${last}::date) as finance_started`.execute(
    ctx.db,
  );
  const c = counts.rows[0];
  // The queue is listed with the day: a close waits for the sales of its day (or moves them on).
  const uploadErrors = await openUploadErrors(ctx.db, storeId, earliest);
  return {
    storeId,
    today,
    lastClosed: last,
    closableDay: earliest <= today ? earliest : null,
    uploadErrors,
    /** Open upload errors holding up the close of the closable day. */
    closeBlockedBy: await uploadErrorsBlocking(ctx.db, storeId, earliest),
    reopenableDay: last && !c?.finance_started ? last : null,
    pending: {
      temporarySales: c?.temporary ?? 0,
      heldSales: c?.held ?? 0,
      openShifts: c?.open_shifts ?? 0,
      uploadErrors: c?.upload_errors ?? 0,
      unresolvedPayments: c?.open_payments ?? 0,
      awaitingReview: c?.review ?? 0,
    },
  };
}

/**
 * Closes a store's business day (POS-8). Only the earliest unclosed day, never a future one. Under the
 * store's exclusive day lock (sales hold it shared), so no sale can land on the day while or after it
 * closes. Clears the day's temporary sales (refunding any payment they took), reconciles open payments,
 * writes the daily report and marks the day closed.
 */
export async function closeDay(ctx: Ctx, cmd: { storeId: number; day: string }) {
  authorize(ctx, 'pos.daily_close', 'confirm');
  await assertStore(ctx, cmd.storeId);
  await lockStoreDays(ctx.db, [cmd.storeId], true);
  await bumpStoreDay(ctx.db, cmd.storeId);
  const last = await lastClosedDay(ctx.db, cmd.storeId);
  const today = calendarDay();
  const earliest = earliestUnclosedDay(last, await firstActivity(ctx.db, cmd.storeId), today);
  if (cmd.day > today) throw new DomainError('POS_CLOSE_FUTURE', { day: cmd.day });
  if (cmd.day !== earliest) throw new DomainError('POS_CLOSE_NOT_EARLIEST', { earliest });
  // A paid sale still in the upload-error queue would never land on its day once it closes: fix it first,
  // or a supervisor moves it on (deferUploadErrors).
  const blocking = await uploadErrorsBlocking(ctx.db, cmd.storeId, cmd.day);
  if (blocking > 0) throw new DomainError('POS_CLOSE_UPLOAD_ERRORS_OPEN', { day: cmd.day, count: blocking });
  const cleared = await clearTemporarySales(ctx, cmd.storeId, { throughDay: cmd.day, reason: 'daily_close' });
  const recon = await reconcilePayments(ctx, cmd.storeId, { minAgeSeconds: 0, orphanMinutes: 0 });
  const report: DailyReport = {
    ...(await buildDailyReport(ctx.db, cmd.storeId, cmd.day)),
    clearedTemporary: cleared.cleared,
    refundedPayments: cleared.refundedPayments + recon.refunded,
  };
  const userId = ctx.actor.userId > 0 ? ctx.actor.userId : null;
  await ctx.db.insertInto('business_day').values({ org_id: cmd.storeId, day: cmd.day, closed_by: userId }).execute();
  await ctx.db
    .insertInto('pos_daily_report')
    .values({ store_id: cmd.storeId, day: cmd.day, report: JSON.stringify(report), closed_by: userId })
    .onConflict((oc) =>
      oc.columns(['store_id', 'day']).doUpdateSet({
        report: JSON.stringify(report),
        closed_at: new Date(),
        closed_by: userId,
        reopened_at: null,
        reopened_by: null,
        reopen_reason: null,
      }),
    )
    .execute();
  await recordAudit(ctx, {
    action: 'pos.day_closed',
    entity: 'business_day',
    entityId: `${cmd.storeId}@${cmd.day}`,
    after: { day: cmd.day, sales: report.sales.count, net: report.net.amount },
    detail: { clearedTemporary: cleared.cleared, payments: recon },
    orgId: cmd.storeId,
  });
  return report;
}

/**
 * 日结回填: reopens the store's latest closed day, only while finance (HQ accounting, FIN-2) has not started on
 * it. The report is kept, marked reopened, and regenerated at the next close.
 */
export async function reopenDay(ctx: Ctx, cmd: { storeId: number; day: string; reason: string }) {
  authorize(ctx, 'pos.daily_close', 'rollback');
  await assertStore(ctx, cmd.storeId);
  await lockStoreDays(ctx.db, [cmd.storeId], true);
  await bumpStoreDay(ctx.db, cmd.storeId);
  const last = await ctx.db
    .selectFrom('business_day')
    .selectAll()
    .where('org_id', '=', cmd.storeId)
    .orderBy('day', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
  if (!last) throw new DomainError('POS_NOTHING_CLOSED');
  if (cmd.day !== last.day) throw new DomainError('POS_REOPEN_NOT_LATEST', { latest: last.day });
  if (last.finance_started) throw new DomainError('POS_REOPEN_FINANCE_STARTED', { day: last.day });
  await ctx.db.deleteFrom('business_day').where('org_id', '=', cmd.storeId).where('day', '=', cmd.day).execute();
  await ctx.db
    .updateTable('pos_daily_report')
    .set({ reopened_at: new Date(), reopened_by: ctx.actor.userId > 0 ? ctx.actor.userId : null, reopen_reason: cmd.reason })
    .where('store_id', '=', cmd.storeId)
    .where('day', '=', cmd.day)
    .execute();
  await recordAudit(ctx, {
    action: 'pos.day_reopened',
    entity: 'business_day',
    entityId: `${cmd.storeId}@${cmd.day}`,
    before: { closedAt: last.closed_at, closedBy: last.closed_by },
    detail: { reason: cmd.reason },
    orgId: cmd.storeId,
  });
  return { storeId: cmd.storeId, day: cmd.day, reopened: true, lastClosed: await lastClosedDay(ctx.db, cmd.storeId) };
}

/** The stored report of a closed day, or a live preview of an open one. */
export async function getDailyReport(ctx: Ctx, storeId: number, day: string) {
  authorize(ctx, 'pos.daily_close', 'view');
  await assertStore(ctx, storeId);
  const stored = await ctx.db
    .selectFrom('pos_daily_report')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('day', '=', day)
    .executeTakeFirst();
  const last = await lastClosedDay(ctx.db, storeId);
  const closed = last !== null && day <= last;
  if (stored && closed) {
    return { closed: true, closedAt: stored.closed_at, reopenedAt: stored.reopened_at, report: stored.report as DailyReport };
  }
  return {
    closed,
    closedAt: null,
    reopenedAt: stored?.reopened_at ?? null,
    report: await buildDailyReport(ctx.db, storeId, day),
  };
}
