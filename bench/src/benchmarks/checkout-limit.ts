import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Database, sql, startMaintenance } from '@erp/db';
import type { BenchChain } from '../chain.js';
import type { BenchContext, Benchmark, Figure } from '../model.js';
import { round, seededRandom, summarize } from '../stats.js';
import { benchTills } from '../tills.js';

const run = promisify(execFile);

/** Checkout lanes of the limit: the same tills (store, terminal, cashier, open shift) the HTTP checkout uses. */
export const LIMIT_TILLS = 8;

/**
 * A bench-only map from a till number to its till's ids (pgbench has only numbers), and the sequence of
 * the limit's receipt numbers. The sale rows themselves go into the POS module's own tables.
 */
async function ensureLimitTills(ctx: BenchContext): Promise<void> {
  const { db } = ctx.engine.database;
  const tills = await benchTills(ctx, LIMIT_TILLS);
  await sql`create table if not exists bench_till (
      till_no integer primary key, org_id integer not null, warehouse_id integer not null, terminal_id integer not null,
      cashier_id integer not null, shift_id uuid not null)`.execute(db);
  await sql`create sequence if not exists bench_receipt_seq`.execute(db);
  await sql`
    insert into bench_till (till_no, org_id, warehouse_id, terminal_id, cashier_id, shift_id)
    select * from unnest(${tills.map((_, i) => i + 1)}::int[], ${tills.map((t) => t.store.id)}::int[],
                         ${tills.map((t) => t.store.warehouseId)}::int[], ${tills.map((t) => t.terminalId)}::int[],
                         ${tills.map((t) => t.cashierId)}::int[], ${tills.map((t) => t.shiftId)}::uuid[])
    on conflict (till_no) do nothing`.execute(db);
  await sql`analyze bench_till`.execute(db);
}

/**
 * The limit: one 5-line, 2-tender sale as ONE hand-written statement writing exactly the rows the
 * product's checkout writes — the sale header, its lines and tenders, its audit entry, 5 ledger rows, 5
 * balance and 5 moving-average cost updates — with the store's shared day lock, prices from the price
 * table and a receipt number. Variables are pgbench's `:name`; the in-process loop turns them into `$n`.
 * (CAST instead of `::` so pgbench's variable substitution has nothing to trip on.)
 */
export const LIMIT_SALE_SQL = `
with t as (
  select org_id, warehouse_id, terminal_id, cashier_id, shift_id, till_no, pg_advisory_xact_lock_shared(7001, org_id) as locked
    from bench_till where till_no = cast(:till as int)
), lines as (
  select n as line_no, p as product_id, cast(q as numeric(18,3)) as qty
    from unnest(array[1, 2, 3, 4, 5],
                array[cast(:p1 as int), cast(:p2 as int), cast(:p3 as int), cast(:p4 as int), cast(:p5 as int)],
                array[cast(:q1 as int), cast(:q2 as int), cast(:q3 as int), cast(:q4 as int), cast(:q5 as int)]) as u(n, p, q)
), c as (
  update stock_cost c set qty = c.qty - l.qty, updated_at = now()
    from lines l, t
   where c.warehouse_id = t.warehouse_id and c.product_id = l.product_id
  returning c.product_id, c.avg_cost
), priced as (
  select l.line_no, l.product_id, l.qty, c.avg_cost, pr.price, round(pr.price * l.qty, 2) as amount,
         round(c.avg_cost * l.qty, 4) as cost_amount
    from lines l join c on c.product_id = l.product_id
    join lateral (select price from price x where x.product_id = l.product_id and x.price_type = 'retail' and not x.cancelled
                    and x.scope = 'all' and x.effective_from <= now() order by x.effective_from desc limit 1) pr on true
), b as (
  update stock_balance b set qty = b.qty - l.qty, updated_at = now()
    from lines l, t
   where b.warehouse_id = t.warehouse_id and b.product_id = l.product_id and b.batch_no = '' and b.lot_no = ''
     and b.shelf_id = 0 and b.status = 'sellable'
  returning b.qty
), tot as (
  select sum(amount) as total, round(sum(amount) * 0.6, 2) as card, sum(cost_amount) as cogs from priced
), s as (
  insert into pos_sale (id, client_id, store_id, terminal_id, cashier_id, shift_id, kind, status, receipt_no, business_day,
                        sold_at, completed_at, price_type, gross, total, paid, change_amount, cogs, warehouse_id, fulfilment)
  select nextval('pos_sale_seq'), gen_random_uuid(), t.org_id, t.terminal_id, t.cashier_id, t.shift_id, 'sale', 'formal',
         'LIMIT' || t.till_no || '-' || nextval('bench_receipt_seq'), current_date, now(), now(), 'retail', tot.total, tot.total,
         tot.card + ceil(tot.total - tot.card), ceil(tot.total - tot.card) - (tot.total - tot.card), tot.cogs, t.warehouse_id, 'posted'
    from t, tot
  returning id, store_id, total
), sl as (
  insert into pos_sale_line (id, sale_id, line_no, product_id, qty, base_price, list_price, gross, amount, unit_cost, cost_amount)
  select nextval('pos_sale_line_seq'), s.id, p.line_no, p.product_id, p.qty, p.price, p.price, p.amount, p.amount, p.avg_cost,
         p.cost_amount
    from s, priced p
  returning id, line_no
), st as (
  insert into pos_sale_tender (sale_id, seq, method, amount, tendered, change_amount)
  select s.id, x.seq, x.method, x.amount, x.tendered, x.tendered - x.amount
    from s, tot, lateral (values (1, 'bank_card', tot.card, tot.card),
                                 (2, 'cash', tot.total - tot.card, ceil(tot.total - tot.card))) as x(seq, method, amount, tendered)
  returning 1
), a as (
  insert into audit_log (user_id, login, org_id, ip, request_id, action, entity, entity_id, after)
  select t.cashier_id, 'bench', s.store_id, '127.0.0.1', 'limit', 'pos.sale_formal', 'pos_sale', s.id::text,
         jsonb_build_object('total', s.total, 'lines', 5)
    from t, s
  returning 1
), led as (
  insert into stock_ledger (org_id, warehouse_id, product_id, qty, unit_cost, amount, source_type, source_id,
                            source_line_id, business_date, created_by)
  select t.org_id, t.warehouse_id, p.product_id, -p.qty, p.avg_cost, -p.cost_amount, 'pos_sale', s.id, sl.id,
         current_date, t.cashier_id
    from t, s, priced p join sl on sl.line_no = p.line_no
  returning 1
)
select s.id, s.total, (select count(*) from b where b.qty < 0) as negative,
       (select count(*) from sl) + (select count(*) from st) + (select count(*) from a) + (select count(*) from led) as rows_written
  from s`;

/** Five distinct products, spread over the catalogue: pfirst + r + j × pspan. Needs contiguous ids. */
function productSpan(chain: BenchChain): { pfirst: number; pspan: number } {
  const ids = chain.productIds;
  const pfirst = ids[0] as number;
  if ((ids.at(-1) as number) - pfirst + 1 !== ids.length) throw new Error('generated product ids are not contiguous');
  return { pfirst, pspan: Math.floor(ids.length / 5) };
}

const PGBENCH_SCRIPT = `\\set till :client_id % :ntills + 1
\\set r random(0, :pspan - 1)
\\set p1 :pfirst + :r
\\set p2 :p1 + :pspan
\\set p3 :p2 + :pspan
\\set p4 :p3 + :pspan
\\set p5 :p4 + :pspan
\\set q1 random(1, 3)
\\set q2 random(1, 3)
\\set q3 random(1, 3)
\\set q4 random(1, 3)
\\set q5 random(1, 3)
${LIMIT_SALE_SQL.trim()};
`;

interface PgbenchOutcome {
  tps: number;
  transactions: number;
  failed: number;
  latenciesMs: number[];
}

async function pgbench(
  ctx: BenchContext,
  clients: number,
  seconds: number,
  vars: Record<string, number>,
): Promise<PgbenchOutcome> {
  const target = ctx.engine.pg;
  if (!target) throw new Error('pgbench needs a PostgreSQL engine');
  const bin = target.binDir && existsSync(join(target.binDir, 'pgbench')) ? join(target.binDir, 'pgbench') : 'pgbench';
  const dir = mkdtempSync(join(tmpdir(), 'erp-bench-pgbench-'));
  try {
    const script = join(dir, 'sale.sql');
    writeFileSync(script, PGBENCH_SCRIPT);
    const threads = Math.max(1, Math.min(clients, cpus().length));
    const args = [
      '-n',
      '-M',
      'prepared',
      '-f',
      script,
      '-c',
      String(clients),
      '-j',
      String(threads),
      '-T',
      String(seconds),
      '--log',
      `--log-prefix=${join(dir, 'tx')}`,
      ...Object.entries(vars).flatMap(([k, v]) => ['-D', `${k}=${v}`]),
      target.url,
    ];
    const { stdout } = await run(bin, args, { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1]);
    const transactions = Number(/number of transactions actually processed: (\d+)/.exec(stdout)?.[1]);
    const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0);
    if (!Number.isFinite(tps) || !transactions) throw new Error(`pgbench output not understood:\n${stdout}`);
    const latenciesMs: number[] = [];
    for (const file of readdirSync(dir).filter((f) => f.startsWith('tx'))) {
      for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
        const us = Number(line.split(' ')[2]);
        if (line && Number.isFinite(us)) latenciesMs.push(us / 1000);
      }
    }
    return { tps, transactions, failed, latenciesMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `:name` → `$n` for the in-process loop, in first-appearance order. */
export function toPositional(text: string): { text: string; names: string[] } {
  const names: string[] = [];
  const out = text.replace(/(?<!:):([a-z][a-z0-9_]*)/g, (_m, name: string) => {
    let i = names.indexOf(name);
    if (i < 0) i = names.push(name) - 1;
    return `$${i + 1}`;
  });
  return { text: out, names };
}

interface LoopOutcome {
  salesPerSecond: number;
  latenciesMs: number[];
  /** Sales/s over the first and the last tenth of the run: the decay the missing autovacuum would cause. */
  firstTenth: number;
  lastTenth: number;
  maintenanceRuns: number;
  maintenanceMs: number;
}

/**
 * The same statement back to back in-process, prepared once (as pgbench -M prepared does: planning this
 * statement costs more than running it), with the product's scheduled ANALYZE running.
 */
async function inProcessLoop(database: Database, chain: BenchChain, sales: number): Promise<LoopOutcome> {
  const pool = database.pglitePool;
  if (!pool) throw new Error('the in-process limit runs on PGlite');
  const { pfirst, pspan } = productSpan(chain);
  const { text, names } = toPositional(LIMIT_SALE_SQL);
  await sql.raw(`prepare bench_limit_sale (${names.map(() => 'int').join(', ')}) as ${text}`).execute(database.db);
  const rand = seededRandom(42);
  let maintenanceRuns = 0;
  let maintenanceMs = 0;
  // The product's scheduler, except the idle wait: a saturating loop is never idle for 500 ms, and the
  // limit is meant to be measured with ANALYZE keeping the plans right (GUIDE.md).
  const stop = startMaintenance(database, {
    idleMs: 0,
    onRun: ({ ms }) => {
      maintenanceRuns++;
      maintenanceMs += ms;
    },
  });
  const latenciesMs: number[] = [];
  const finishedAt: number[] = [];
  const started = performance.now();
  try {
    for (let i = 0; i < sales; i++) {
      const r = rand(pspan);
      const vars: Record<string, number> = { till: 1 };
      for (let j = 0; j < 5; j++) {
        vars[`p${j + 1}`] = pfirst + r + j * pspan;
        vars[`q${j + 1}`] = 1 + rand(3);
      }
      const t0 = performance.now();
      // Integers only, so inlining them is safe; EXECUTE takes no bind parameters.
      const result = await sql<{
        rows_written: number;
      }>`execute bench_limit_sale(${sql.raw(names.map((n) => String(vars[n])).join(', '))})`.execute(database.db);
      const t1 = performance.now();
      const row = result.rows[0];
      if (!row) throw new Error('limit sale statement wrote no sale');
      // The pool cannot see through EXECUTE: tell the scheduler which tables the sale wrote and how much.
      pool.recordWrites(LIMIT_SALE_SQL, 1 + Number(row.rows_written));
      latenciesMs.push(t1 - t0);
      finishedAt.push(t1);
      // Let timers (the maintenance scheduler) run, as they do between requests in the server.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    stop();
    await sql`deallocate bench_limit_sale`.execute(database.db);
  }
  const seconds = (performance.now() - started) / 1000;
  const tenth = Math.max(1, Math.floor(sales / 10));
  const rate = (from: number, to: number) =>
    (to - from) / (((finishedAt[to - 1] as number) - (from === 0 ? started : (finishedAt[from - 1] as number))) / 1000);
  return {
    salesPerSecond: sales / seconds,
    latenciesMs,
    firstTenth: rate(0, tenth),
    lastTenth: rate(sales - tenth, sales),
    maintenanceRuns,
    maintenanceMs,
  };
}

/**
 * The checkout LIMIT side: what this machine can do at best for one 5-line, 2-tender sale. PostgreSQL:
 * the statement driven by pgbench at 1 and 8 clients (each client its own till and store). PGlite: the
 * statement in a loop in-process, with scheduled ANALYZE. The HTTP checkout is measured against these.
 */
export const checkoutLimit: Benchmark = {
  id: 'checkout-limit',
  title: '收银极限 Checkout limit (one SQL statement per sale)',
  figures: [
    { id: 'limit-1-client', engines: ['pglite', 'postgres'] },
    { id: 'limit-8-clients', engines: ['postgres'] },
  ],
  async run(ctx: BenchContext): Promise<Figure[]> {
    const { database } = ctx.engine;
    await ensureLimitTills(ctx);
    const figure = (id: string, name: string, salesPerSecond: number, latenciesMs: number[], detail: Record<string, unknown>) => {
      const latency = summarize(latenciesMs);
      return {
        benchmark: this.id,
        id,
        engine: ctx.engine.kind,
        name,
        value: round(salesPerSecond, 1),
        unit: 'sales/s',
        isLimit: true,
        latency: { p50: latency.p50, p95: latency.p95, p99: latency.p99 },
        detail: { sales: latency.count, maxMs: latency.max, ...detail },
      } satisfies Figure;
    };

    if (ctx.engine.kind === 'pglite') {
      const outcome = await inProcessLoop(database, ctx.chain, ctx.scale.pgliteSales);
      ctx.log(`PGlite limit ${outcome.salesPerSecond.toFixed(0)} sales/s (${outcome.maintenanceRuns} maintenance runs)`);
      return [
        figure(
          'limit-1-client',
          'limit: 5-line sale as one statement, in-process loop',
          outcome.salesPerSecond,
          outcome.latenciesMs,
          {
            firstTenthSalesPerSecond: round(outcome.firstTenth, 1),
            lastTenthSalesPerSecond: round(outcome.lastTenth, 1),
            maintenanceRuns: outcome.maintenanceRuns,
            maintenanceMs: round(outcome.maintenanceMs, 0),
          },
        ),
      ];
    }

    const { pfirst, pspan } = productSpan(ctx.chain);
    const vars = { ntills: LIMIT_TILLS, pfirst, pspan };
    const seconds = ctx.scale.pgbenchSeconds;
    if (ctx.scale.name !== 'tiny') await pgbench(ctx, 8, 2, vars); // warm-up: plans, caches, the WAL
    const figures: Figure[] = [];
    for (const clients of [1, 8]) {
      const outcome = await pgbench(ctx, clients, seconds, vars);
      if (outcome.failed) throw new Error(`pgbench: ${outcome.failed} failed transactions`);
      ctx.log(`pgbench ${clients} client(s): ${outcome.tps.toFixed(0)} sales/s`);
      figures.push(
        figure(
          clients === 1 ? 'limit-1-client' : 'limit-8-clients',
          `limit: 5-line sale as one statement, pgbench ${clients} client${clients > 1 ? 's' : ''}, ${seconds} s`,
          outcome.tps,
          outcome.latenciesMs,
          { transactions: outcome.transactions },
        ),
      );
    }
    return figures;
  },
};
