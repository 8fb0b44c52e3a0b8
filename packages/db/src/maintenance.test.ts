import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './connection.js';
import { type MaintenanceRun, startMaintenance } from './maintenance.js';

let database: Database;
beforeAll(async () => {
  database = await openDatabase();
  await sql`create table m_sale (id int primary key, v int)`.execute(database.db);
  await sql`create table m_other (id int primary key)`.execute(database.db);
}, 60_000);
afterAll(() => database.close());

const waitFor = async (cond: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
};

const reltuples = async (t: string) =>
  Number(
    (await sql<{ n: number }>`select reltuples::float8 as n from pg_class where relname = ${t}`.execute(database.db)).rows[0]?.n,
  );

describe('PGlite maintenance (autovacuum rules, per table)', () => {
  it('analyzes a table once enough of it changed, and only that table', async () => {
    const runs: MaintenanceRun[] = [];
    const stop = startMaintenance(database, { intervalMs: 20, idleMs: 10, onRun: (r) => runs.push(r) });
    try {
      await sql`insert into m_sale select g, g from generate_series(1, 5000) g`.execute(database.db);
      await waitFor(() => runs.length > 0);
      expect(runs[0]?.analyzed).toEqual(['m_sale']);
      expect(await reltuples('m_sale')).toBe(5000);
      // 10 more rows of 5,000 are below 50 + 10%: nothing to do.
      runs.length = 0;
      await sql`insert into m_sale select g, g from generate_series(5001, 5010) g`.execute(database.db);
      await new Promise((r) => setTimeout(r, 200));
      expect(runs).toEqual([]);
    } finally {
      stop();
    }
  });

  it('survives a table it cannot maintain: warns once, forgets its count, goes on with the others', async () => {
    const runs: MaintenanceRun[] = [];
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...a: unknown[]) => warnings.push(a);
    const pool = database.pglitePool;
    if (!pool) throw new Error('PGlite expected');
    const stop = startMaintenance(database, { intervalMs: 20, idleMs: 10, onRun: (r) => runs.push(r) });
    try {
      pool.changed.set('no_such_table', 1_000_000);
      await waitFor(() => warnings.length > 0);
      expect(pool.changed.has('no_such_table')).toBe(false);
      await new Promise((r) => setTimeout(r, 100));
      expect(warnings).toHaveLength(1);
      await sql`insert into m_other select g from generate_series(100001, 100500) g`.execute(database.db);
      await waitFor(() => runs.some((r) => r.analyzed.includes('m_other')));
      expect(runs.some((r) => r.analyzed.includes('m_other'))).toBe(true);
    } finally {
      stop();
      console.warn = warn;
      await sql`delete from m_other where id > 100000`.execute(database.db);
    }
  });

  it('vacuums after many updates, when idle', async () => {
    const runs: MaintenanceRun[] = [];
    const stop = startMaintenance(database, { intervalMs: 20, idleMs: 10, onRun: (r) => runs.push(r) });
    try {
      await sql`update m_sale set v = v + 1`.execute(database.db);
      await waitFor(() => runs.some((r) => r.vacuumed.includes('m_sale')));
      expect(runs.some((r) => r.vacuumed.includes('m_sale'))).toBe(true);
    } finally {
      stop();
    }
  });

  it('refreshes badly stale statistics even when the till never leaves it idle', async () => {
    const runs: MaintenanceRun[] = [];
    // Never idle long enough for a routine run; 4× the threshold makes it urgent.
    const stop = startMaintenance(database, { intervalMs: 20, idleMs: 60_000, onRun: (r) => runs.push(r) });
    try {
      await sql`insert into m_other select g from generate_series(1, 1000) g`.execute(database.db);
      await waitFor(() => runs.length > 0);
      expect(runs[0]?.analyzed).toEqual(['m_other']);
      expect(runs[0]?.vacuumed).toEqual([]);
    } finally {
      stop();
    }
  });
});
