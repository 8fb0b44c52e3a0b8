import { asSystem, recalculateStock } from '@erp/core';
import { sql } from '@erp/db';
import type { BenchContext, Benchmark, Figure } from '../model.js';
import { median, round } from '../stats.js';

/**
 * 重算库存 (INV-1) over the whole generated ledger, against the machine's limit for the same question: a
 * bare GROUP BY of the ledger by balance key. Runs alternate so caches and background work hit both
 * alike; the median of each is reported.
 */
export const stockRecalculation: Benchmark = {
  id: 'stock-recalculation',
  title: '重算库存 Stock recalculation',
  figures: [
    { id: 'recalculate', engines: ['pglite', 'postgres'] },
    { id: 'recalculate-drift', engines: ['pglite', 'postgres'] },
  ],
  async run(ctx: BenchContext): Promise<Figure[]> {
    const { db } = ctx.engine.database;
    const reps = ctx.scale.name === 'tiny' ? 1 : 3;
    const rawGroupBy = async () => {
      const started = performance.now();
      const r = await sql<{ groups: number }>`
        select count(*)::int as groups, sum(qty) as qty from (
          select warehouse_id, product_id, batch_no, lot_no, shelf_id, status, sum(qty) as qty
            from stock_ledger group by warehouse_id, product_id, batch_no, lot_no, shelf_id, status) g`.execute(db);
      return { ms: performance.now() - started, groups: r.rows[0]?.groups ?? 0 };
    };
    const recalc = async () => {
      const started = performance.now();
      const report = await asSystem(db, (c) => recalculateStock(c));
      return { ms: performance.now() - started, report };
    };

    await rawGroupBy(); // warm the cache: both sides then read the same pages from memory
    const raw: number[] = [];
    const ours: number[] = [];
    let groups = 0;
    let balanceRows = 0;
    for (let i = 0; i < reps; i++) {
      const r = await rawGroupBy();
      raw.push(r.ms);
      groups = r.groups;
      const o = await recalc();
      ours.push(o.ms);
      balanceRows = o.report.balanceRows;
      if (o.report.differences.length || o.report.costDifferences.length) {
        throw new Error(
          `recalculation found ${o.report.differences.length} balance and ${o.report.costDifferences.length} cost differences on generated data`,
        );
      }
      ctx.log(`recalculate ${(o.ms / 1000).toFixed(2)} s, raw GROUP BY ${(r.ms / 1000).toFixed(2)} s`);
    }
    const oursS = median(ours) / 1000;
    const rawS = median(raw) / 1000;

    // The other path: a balance off in every warehouse, so each goes through the key-by-key comparison;
    // then the repair (fix) brings the ledger and balances back in step for the benchmarks after this one.
    const corrupted = await sql`update stock_balance b set qty = qty + 1
                from (select distinct on (warehouse_id) warehouse_id, product_id, batch_no, lot_no, shelf_id, status
                        from stock_balance order by warehouse_id) one
               where b.warehouse_id = one.warehouse_id and b.product_id = one.product_id and b.batch_no = one.batch_no
                 and b.lot_no = one.lot_no and b.shelf_id = one.shelf_id and b.status = one.status`.execute(db);
    const drift = await recalc();
    const warehouses = Number(corrupted.numAffectedRows ?? 0);
    if (drift.report.differences.length !== warehouses) {
      throw new Error(`recalculation found ${drift.report.differences.length} differences, expected ${warehouses}`);
    }
    const repaired = await asSystem(db, (c) => recalculateStock(c, { fix: true }));
    const after = await asSystem(db, (c) => recalculateStock(c));
    if (!repaired.fixed || after.differences.length || after.costDifferences.length) throw new Error('repair left differences');
    ctx.log(`recalculate with drift in all ${warehouses} warehouses ${(drift.ms / 1000).toFixed(2)} s`);
    return [
      {
        benchmark: this.id,
        id: 'recalculate',
        engine: ctx.engine.kind,
        name: `recalculateStock, ${ctx.chain.ledgerRows.toLocaleString('en')} ledger rows → ${groups.toLocaleString('en')} balances`,
        value: round(oursS),
        unit: 's',
        limit: { name: 'raw GROUP BY of the ledger', value: round(rawS), unit: 's' },
        ratio: round(oursS / rawS, 2),
        target: { on: 'ratio', op: '<=', bound: 1.5, text: '≤ 1.5 × raw GROUP BY' },
        detail: {
          runsMs: ours.map((x) => round(x, 1)),
          rawRunsMs: raw.map((x) => round(x, 1)),
          balanceRows,
          differences: 0,
        },
      },
      {
        benchmark: this.id,
        id: 'recalculate-drift',
        engine: ctx.engine.kind,
        name: `recalculateStock with one balance off in each of ${warehouses} warehouses (every row compared key by key)`,
        value: round(drift.ms / 1000),
        unit: 's',
        limit: { name: 'raw GROUP BY of the ledger', value: round(rawS), unit: 's' },
        ratio: round(drift.ms / 1000 / rawS, 2),
        detail: { differences: drift.report.differences.length },
      },
    ];
  },
};
