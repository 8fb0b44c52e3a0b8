import { calendarDay } from '@erp/core';
import { sql } from '@erp/db';
import type { BenchContext, Benchmark, Figure } from '../model.js';
import { round } from '../stats.js';
import { type BenchTill, benchTills } from '../tills.js';

/** The store whose day is closed: its own till, apart from the checkout benchmarks' eight lanes. */
const CLOSE_STORE_INDEX = 9;

/**
 * The store-day's sales, generated set-based in one statement (a day of checkouts through the API would
 * take longer than the whole quick run): exactly the rows a checkout writes — header, 5 lines, 2 tenders,
 * audit entry, ledger rows — with balances and moving-average costs decremented to match, on the till's
 * open shift and today's business day.
 */
async function writeDaySales(ctx: BenchContext, till: BenchTill, count: number): Promise<void> {
  const products = ctx.chain.productIds;
  const pfirst = products[0] as number;
  const pspan = Math.floor(products.length / 5);
  const day = calendarDay();
  await sql`
    with g as (
      select i, (i * 7919) % ${pspan}::int as r from generate_series(1, ${count}::int) as i
    ), sales as (
      select i, nextval('pos_sale_seq') as id from g
    ), priced as (
      select g.i, j as line_no, nextval('pos_sale_line_seq') as line_id, p.id as product_id, q.qty, c.avg_cost, pr.price,
             round(pr.price * q.qty, 2) as amount, round(c.avg_cost * q.qty, 4) as cost_amount
        from g cross join generate_series(1, 5) as j
        join product p on p.id = ${pfirst}::int + g.r + (j - 1) * ${pspan}::int
        cross join lateral (select (1 + (g.i + j) % 3)::numeric(18,3) as qty) q
        join stock_cost c on c.warehouse_id = ${till.store.warehouseId}::int and c.product_id = p.id
        cross join lateral (select x.price from price x where x.product_id = p.id and x.price_type = 'retail' and x.scope = 'all'
                              and not x.cancelled and x.effective_from <= now() order by x.effective_from desc limit 1) pr
    ), tot as (
      select i, sum(amount) as total, round(sum(amount) * 0.6, 2) as card, sum(cost_amount) as cogs from priced group by i
    ), s as (
      insert into pos_sale (id, client_id, store_id, terminal_id, cashier_id, shift_id, kind, status, receipt_no, business_day,
                            sold_at, completed_at, price_type, gross, total, paid, change_amount, cogs, warehouse_id, fulfilment)
      select sales.id, gen_random_uuid(), ${till.store.id}::int, ${till.terminalId}::int, ${till.cashierId}::int,
             ${till.shiftId}::uuid, 'sale', 'formal', 'DAY-' || lpad(sales.i::text, 8, '0'), ${day}::date, now(), now(),
             'retail', tot.total, tot.total, tot.card + ceil(tot.total - tot.card), ceil(tot.total - tot.card) - (tot.total - tot.card),
             tot.cogs, ${till.store.warehouseId}::int, 'posted'
        from sales join tot using (i)
      returning id
    ), sl as (
      insert into pos_sale_line (id, sale_id, line_no, product_id, qty, base_price, list_price, gross, amount, unit_cost, cost_amount)
      select p.line_id, sales.id, p.line_no, p.product_id, p.qty, p.price, p.price, p.amount, p.amount, p.avg_cost, p.cost_amount
        from priced p join sales using (i)
      returning 1
    ), st as (
      insert into pos_sale_tender (sale_id, seq, method, amount, tendered, change_amount)
      select sales.id, x.seq, x.method, x.amount, x.tendered, x.tendered - x.amount
        from sales join tot using (i),
             lateral (values (1, 'bank_card', tot.card, tot.card),
                             (2, 'cash', tot.total - tot.card, ceil(tot.total - tot.card))) as x(seq, method, amount, tendered)
      returning 1
    ), a as (
      insert into audit_log (user_id, login, org_id, ip, request_id, action, entity, entity_id, after)
      select ${till.cashierId}::int, ${till.login}, ${till.store.id}::int, '127.0.0.1', 'bench-day', 'pos.sale_formal', 'pos_sale',
             sales.id::text, jsonb_build_object('total', tot.total, 'lines', 5)
        from sales join tot using (i)
      returning 1
    ), led as (
      insert into stock_ledger (org_id, warehouse_id, product_id, qty, unit_cost, amount, source_type, source_id, source_line_id,
                                business_date, created_by)
      select ${till.store.id}::int, ${till.store.warehouseId}::int, p.product_id, -p.qty, p.avg_cost, -p.cost_amount, 'pos_sale',
             sales.id, p.line_id, ${day}::date, ${till.cashierId}::int
        from priced p join sales using (i)
      returning 1
    ), moved as (
      select product_id, sum(qty) as qty from priced group by product_id
    ), b as (
      update stock_balance b set qty = b.qty - m.qty, updated_at = now()
        from moved m
       where b.warehouse_id = ${till.store.warehouseId}::int and b.product_id = m.product_id and b.batch_no = '' and b.lot_no = ''
         and b.shelf_id = 0 and b.status = 'sellable'
      returning 1
    ), c as (
      update stock_cost c set qty = c.qty - m.qty, updated_at = now()
        from moved m where c.warehouse_id = ${till.store.warehouseId}::int and c.product_id = m.product_id
      returning 1
    )
    select (select count(*) from s) as sales, (select count(*) from sl) as lines, (select count(*) from st) as tenders,
           (select count(*) from a) as audits, (select count(*) from led) as ledger, (select count(*) from b) as balances,
           (select count(*) from c) as costs`.execute(ctx.engine.database.db);
}

/**
 * 日结 (POS-8) of one store-day: a store with its own till, a day of 5,000 sales of 5 lines and 2 tenders
 * on the till's open shift, closed through the API by HQ. The figure is the close request alone.
 */
export const dailyClose: Benchmark = {
  id: 'daily-close',
  title: '日结 Daily close of one store-day',
  figures: [{ id: 'close', engines: ['pglite', 'postgres'] }],
  async run(ctx: BenchContext): Promise<Figure[]> {
    const server = await ctx.server();
    const till = (await benchTills(ctx, CLOSE_STORE_INDEX + 1))[CLOSE_STORE_INDEX];
    if (!till) throw new Error('no till for the daily close');
    const count = ctx.scale.closeSales;

    const loadStarted = performance.now();
    await writeDaySales(ctx, till, count);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    ctx.log(`${count} sales written in ${loadSeconds.toFixed(1)} s`);

    const admin = await server.login(ctx.chain.users.hqAdmin.login, ctx.chain.users.hqAdmin.password);
    const status = await server.request('GET', `/api/pos/days/status?storeId=${till.store.id}`, admin);
    if (status.status !== 200) throw new Error(`day status: ${status.status} ${status.body.slice(0, 300)}`);
    const day = (JSON.parse(status.body) as { closableDay: string | null }).closableDay;
    if (!day) throw new Error(`no closable day: ${status.body.slice(0, 300)}`);
    const close = await server.request('POST', '/api/pos/days/close', admin, { storeId: till.store.id, day });
    if (close.status !== 200) throw new Error(`close: ${close.status} ${close.body.slice(0, 400)}`);
    const report = JSON.parse(close.body) as { sales: { count: number; amount: string } };
    if (report.sales.count !== count) throw new Error(`the daily report counts ${report.sales.count} sales, not ${count}`);
    const seconds = close.ms / 1000;
    ctx.log(`daily close of ${count} sales: ${seconds.toFixed(3)} s`);
    return [
      {
        benchmark: this.id,
        id: 'close',
        engine: ctx.engine.kind,
        name: `POST /api/pos/days/close — one store-day of ${count.toLocaleString('en')} sales (${(count * 5).toLocaleString('en')} lines)`,
        value: round(seconds),
        unit: 's',
        ...(ctx.engine.kind === 'postgres'
          ? { ratio: round(seconds / 1, 2), target: { on: 'value', op: '<=', bound: 1, text: '≤ 1 s on PostgreSQL' } as const }
          : {}),
        detail: { sales: count, amount: report.sales.amount, generateSeconds: round(loadSeconds, 1), responseBytes: close.bytes },
      },
    ];
  },
};
