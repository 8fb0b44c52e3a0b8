import { dec, money } from '@erp/contracts';
import {
  asSystem,
  bootstrap,
  createDocument,
  createOrg,
  createProduct,
  createUser,
  createWarehouse,
  findRoleByCode,
  openStore,
} from '@erp/core';
import { type Database, runMaintenanceNow, sql } from '@erp/db';
import type { Scale } from './scale.js';

export const BENCH_PASSWORD = 'Bench2026go';

export interface BenchUser {
  id: number;
  login: string;
  password: string;
}

export interface BenchStore {
  id: number;
  code: string;
  warehouseId: number;
}

/** The generated chain every benchmark runs against. */
export interface BenchChain {
  companyId: number;
  hqId: number;
  dcId: number;
  dcWarehouseId: number;
  /** In code order; stores[0] is the one the store-level users work in. */
  stores: BenchStore[];
  /** Product ids in code order. */
  productIds: number[];
  users: { hqAdmin: BenchUser; storeManager: BenchUser; cashier: BenchUser };
  ledgerRows: number;
  balanceRows: number;
  /** Seconds spent on each loading step. */
  timings: Record<string, number>;
}

const storeCode = (i: number) => `BS${String(i + 1).padStart(3, '0')}`;

async function timed<T>(timings: Record<string, number>, step: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await fn();
  } finally {
    timings[step] = Number(((performance.now() - started) / 1000).toFixed(3));
  }
}

/**
 * Loads a chain at `scale`. Orgs, warehouses, users and a few products go through the product's own
 * services (so they obey its rules and are audited); the bulk tables — products, stock ledger, balances,
 * costs — are generated set-based in a handful of statements, consistent with each other by construction:
 * balances and costs are the ledger's own sums.
 */
export async function loadChain(database: Database, scale: Scale): Promise<BenchChain> {
  const timings: Record<string, number> = {};
  const { db } = database;

  const base = await timed(timings, 'orgs and users (services)', async () => {
    await bootstrap(db, {
      companyCode: 'BCO',
      companyName: '基准测试连锁',
      hqCode: 'BHQ',
      hqName: '基准总部',
      adminLogin: 'bench_admin',
      adminPassword: BENCH_PASSWORD,
    });
    return asSystem(db, async (ctx) => {
      const company = await ctx.db.selectFrom('org').select('id').where('code', '=', 'BCO').executeTakeFirstOrThrow();
      const hq = await ctx.db.selectFrom('org').select('id').where('code', '=', 'BHQ').executeTakeFirstOrThrow();
      const admin = await ctx.db.selectFrom('app_user').select('id').where('login', '=', 'bench_admin').executeTakeFirstOrThrow();
      const dc = await createOrg(ctx, { parentId: hq.id, code: 'BDC', name: '基准配送中心', kind: 'dc' });
      const dcWh = await createWarehouse(ctx, { orgId: dc.id, code: 'BDC-W1', name: '配送中心主仓' });
      const rc = await createOrg(ctx, { parentId: hq.id, code: 'BRC', name: '基准零售中心', kind: 'retail_centre' });
      const stores: BenchStore[] = [];
      for (let i = 0; i < scale.stores; i++) {
        const code = storeCode(i);
        const opened = await openStore(ctx, {
          parentId: rc.id,
          code,
          name: `基准门店${i + 1}`,
          storeMode: i % 5 === 4 ? 'franchise' : 'direct',
          supplyingDcs: [{ dcId: dc.id, priority: 10, level: 1 }],
          params: { allowNegativeStock: false },
        });
        stores.push({ id: opened.store.id, code, warehouseId: (opened.warehouses[0] as { id: number }).id });
      }
      const first = stores[0] as BenchStore;
      const role = async (code: string) => (await findRoleByCode(ctx, code)).id;
      const manager = await createUser(ctx, {
        login: 'bench_mgr',
        name: '基准店长',
        orgId: first.id,
        password: BENCH_PASSWORD,
        roles: [{ roleId: await role('store_admin'), orgId: first.id }],
      });
      const cashier = await createUser(ctx, {
        login: 'bench_cash',
        name: '基准收银员',
        orgId: first.id,
        password: BENCH_PASSWORD,
        roles: [{ roleId: await role('cashier'), orgId: first.id }],
      });
      // A few products through the service, so the bulk rows sit beside service-made ones.
      for (const [code, name] of [
        ['BP-SVC-1', '服务创建商品一'],
        ['BP-SVC-2', '服务创建商品二'],
      ] as const) {
        await createProduct(ctx, { code, name });
      }
      return {
        companyId: company.id,
        hqId: hq.id,
        dcId: dc.id,
        dcWarehouseId: dcWh.id,
        stores,
        users: {
          hqAdmin: { id: admin.id, login: 'bench_admin', password: BENCH_PASSWORD },
          storeManager: { id: manager.id, login: 'bench_mgr', password: BENCH_PASSWORD },
          cashier: { id: cashier.id, login: 'bench_cash', password: BENCH_PASSWORD },
        },
      };
    });
  });

  const productIds = await timed(timings, 'products (bulk)', () => bulkProducts(database, scale.products));
  const warehouseIds = base.stores.map((s) => s.warehouseId);
  const total = Math.max(scale.ledgerRows, warehouseIds.length * productIds.length);
  // Every ledger row stands on a source: one (draft) document holds the generated history.
  const source = await asSystem(db, async (ctx) => {
    const first = base.stores[0] as BenchStore;
    const doc = await createDocument(ctx, { docType: 'other_inbound', orgId: first.id, warehouseId: first.warehouseId });
    return doc.id;
  });
  await timed(timings, 'stock ledger (bulk)', () =>
    withoutSecondaryIndexes(database, 'stock_ledger', () => bulkLedger(database, warehouseIds, productIds, total, source)),
  );
  await timed(timings, 'balances and costs (bulk)', () =>
    withoutSecondaryIndexes(database, 'stock_balance', () => balancesAndCosts(database, warehouseIds, productIds, total)),
  );
  await timed(timings, 'retail prices (bulk)', () => bulkPrices(database, productIds));
  await timed(timings, 'vacuum analyze', () => runMaintenanceNow(database));

  const counts = await sql<{ ledger: number; balances: number }>`
    select (select count(*)::int from stock_ledger) as ledger, (select count(*)::int from stock_balance) as balances`.execute(db);
  const row = counts.rows[0] as { ledger: number; balances: number };
  return { ...base, productIds, ledgerRows: row.ledger, balanceRows: row.balances, timings };
}

/** The retail price of generated product `id`: its unit cost (see bulkLedger) × 1.3, to the cent. */
export const benchPriceSql = (productId: string) => `round((1 + (${productId} % 97) * 0.25) * 1.3, 2)`;

export function benchPrice(productId: number): string {
  return money(
    dec(productId % 97)
      .times('0.25')
      .plus(1)
      .times('1.3'),
  );
}

/** A company-wide retail price row for every generated product, in effect since yesterday. */
async function bulkPrices(database: Database, productIds: number[]): Promise<void> {
  await sql`
    insert into price (product_id, price_type, scope, price, effective_from, source)
    select id, 'retail', 'all', ${sql.raw(benchPriceSql('id'))}, now() - interval '1 day', 'initial'
      from unnest(${productIds}::int[]) as t(id)`.execute(database.db);
}

/** Products 'B000001'… in one statement; returns their ids in code order. */
async function bulkProducts(database: Database, count: number): Promise<number[]> {
  await sql`
    insert into product (code, name)
    select 'B' || lpad(n::text, 6, '0'), '基准商品' || n || (array['（箱）', '（瓶）', '（袋）', '（个）'])[1 + n % 4]
      from generate_series(1, ${count}::int) as n`.execute(database.db);
  const rows = await sql<{ id: number }>`select id from product where code like 'B0%' order by code`.execute(database.db);
  return rows.rows.map((r) => r.id);
}

/**
 * Runs a bulk load with the table's secondary indexes dropped and rebuilds them afterwards from their own
 * definitions (a sorted build is several times faster than maintaining them row by row). Constraint
 * indexes (the primary key) stay.
 */
async function withoutSecondaryIndexes(database: Database, table: string, load: () => Promise<void>): Promise<void> {
  const { db } = database;
  const indexes = await sql<{ name: string; def: string }>`
    select i.indexname as name, i.indexdef as def from pg_indexes i
     where i.schemaname = current_schema() and i.tablename = ${table}
       and not exists (select 1 from pg_constraint c where c.conname = i.indexname and c.conrelid = ${table}::regclass)`.execute(
    db,
  );
  // Foreign keys too (the ledger's source keys): per-row deferred checks of millions of rows would queue
  // millions of trigger events; re-adding a key validates the whole table in one join.
  const keys = await sql<{ name: string; def: string }>`
    select conname as name, pg_get_constraintdef(oid) as def from pg_constraint
     where conrelid = ${table}::regclass and contype = 'f'`.execute(db);
  for (const ix of indexes.rows) await sql`drop index ${sql.id(ix.name)}`.execute(db);
  for (const k of keys.rows) await sql`alter table ${sql.id(table)} drop constraint ${sql.id(k.name)}`.execute(db);
  try {
    await load();
  } finally {
    for (const ix of indexes.rows) await sql.raw(ix.def).execute(db);
    for (const k of keys.rows)
      await sql`alter table ${sql.id(table)} add constraint ${sql.id(k.name)} ${sql.raw(k.def)}`.execute(db);
  }
}

/** The generated grid: warehouse and product by ordinal, for key k = warehouse ordinal × products + product ordinal. */
function grid(warehouseIds: number[], productIds: number[]) {
  return sql`
    w as (
      select w.id, w.org_id, (row_number() over (order by w.id) - 1)::int as wi
        from warehouse w where w.id = any(${warehouseIds}::int[])
    ), p as (
      select p.id, (row_number() over (order by p.id) - 1)::int as pi
        from product p where p.id = any(${productIds}::int[])
    )`;
}

/**
 * \`total\` ledger entries over the (warehouse, product) grid: entry i is round i ÷ pairs of pair i mod pairs.
 * Round 0 is an opening receipt for every pair (200 + k mod 50, enough for the checkout benchmarks' sales), odd rounds are small sales (−1 − k mod 3),
 * later even rounds small receipts (1 + k mod 4), so every running balance stays positive. Unit cost is
 * fixed per product, so the moving average equals it exactly.
 */
async function bulkLedger(
  database: Database,
  warehouseIds: number[],
  productIds: number[],
  total: number,
  sourceDocumentId: number,
): Promise<void> {
  const pairs = warehouseIds.length * productIds.length;
  // Chunks keep each statement's memory bounded (PGlite runs in a 32-bit WASM heap).
  const chunk = 500_000;
  for (let from = 0; from < total; from += chunk) {
    const to = Math.min(total, from + chunk) - 1;
    await sql`
      with ${grid(warehouseIds, productIds)}, g as (
        select i, (i % ${pairs}::bigint)::int as k, (i / ${pairs}::bigint)::int as r
          from generate_series(${from}::bigint, ${to}::bigint) as i
      ), m as (
        select g.i, g.r, w.org_id, w.id as warehouse_id, p.id as product_id,
               case when g.r = 0 then 200 + g.k % 50 when g.r % 2 = 1 then -(1 + g.k % 3) else 1 + g.k % 4 end::numeric(18,3) as qty,
               (1 + (p.id % 97) * 0.25)::numeric(18,4) as unit_cost
          from g join w on w.wi = g.k / ${productIds.length}::int join p on p.pi = g.k % ${productIds.length}::int
      )
      insert into stock_ledger (org_id, warehouse_id, product_id, qty, unit_cost, amount, source_type, source_id,
                                business_date)
      select org_id, warehouse_id, product_id, qty, unit_cost, qty * unit_cost, 'document', ${sourceDocumentId}::int,
             date '2026-01-01' + r
        from m order by i`.execute(database.db);
  }
}

/**
 * Balances and moving-average costs in closed form from the same formula as the ledger (pair k has
 * rounds = ⌊(total − 1 − k) ÷ pairs⌋ + 1 entries), without aggregating the ledger. The recalculation
 * benchmark asserts they agree with the ledger.
 */
async function balancesAndCosts(database: Database, warehouseIds: number[], productIds: number[], total: number): Promise<void> {
  const pairs = warehouseIds.length * productIds.length;
  const rows = sql`
    with ${grid(warehouseIds, productIds)}, g as (
      select k, ((${total - 1}::bigint - k) / ${pairs}::bigint + 1)::int as rounds
        from generate_series(0, ${pairs - 1}::int) as k
    )
    select w.id as warehouse_id, p.id as product_id, w.org_id,
           (200 + g.k % 50 - (g.rounds / 2) * (1 + g.k % 3) + ((g.rounds - 1) / 2) * (1 + g.k % 4))::numeric(18,3) as qty,
           (1 + (p.id % 97) * 0.25)::numeric(18,4) as unit_cost
      from g join w on w.wi = g.k / ${productIds.length}::int join p on p.pi = g.k % ${productIds.length}::int
     order by w.id, p.id`;
  await sql`
    insert into stock_balance (warehouse_id, product_id, org_id, qty)
    select warehouse_id, product_id, org_id, qty from (${rows}) t`.execute(database.db);
  await sql`
    insert into stock_cost (warehouse_id, product_id, qty, avg_cost)
    select warehouse_id, product_id, qty, unit_cost from (${rows}) t`.execute(database.db);
}
