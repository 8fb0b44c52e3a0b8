import { sql } from 'kysely';
import type { Database, PGlitePool } from './connection.js';

export interface MaintenanceOptions {
  /** How often to look (ms). */
  intervalMs?: number;
  /** How long the connection must have been idle before a routine run (ms). */
  idleMs?: number;
  /** Stale statistics this many times past the threshold are refreshed even without idle time. */
  urgentFactor?: number;
  onRun?: (info: MaintenanceRun) => void;
}

export interface MaintenanceRun {
  analyzed: string[];
  vacuumed: string[];
  ms: number;
}

/** autovacuum's defaults: analyze after 50 + 10% of a table's rows changed, vacuum after 50 + 20% died. */
const ANALYZE_BASE = 50;
const ANALYZE_SCALE = 0.1;
const VACUUM_BASE = 50;
const VACUUM_SCALE = 0.2;

/**
 * PGlite has no autovacuum and no autoanalyze: without this a growing table keeps its empty-table statistics
 * and plans decay (GUIDE.md). This is autovacuum's rule applied per table, from the writes the pool has
 * seen: `ANALYZE` a table once 50 + 10% of its rows changed, `VACUUM` it once 50 + 20% were updated or
 * deleted. Runs go between transactions, when the connection has been idle a moment; statistics that are
 * badly stale (a table growing from nothing under a steady till load) are refreshed even without idle time,
 * because a wrong plan costs far more than a short ANALYZE. On PostgreSQL it does nothing: autovacuum runs.
 */
export function startMaintenance(database: Database, options: MaintenanceOptions = {}): () => void {
  const pool = database.pglitePool;
  if (database.kind !== 'pglite' || !pool) return () => {};
  const { intervalMs = 1_000, idleMs = 300, urgentFactor = 4 } = options;
  const rows = new Map<string, number>();
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    const idle = pool.isIdle && Date.now() - pool.idleSince >= idleMs;
    const analyze = due(pool.changed, rows, ANALYZE_BASE, ANALYZE_SCALE, idle ? 1 : urgentFactor);
    const vacuum = idle ? due(pool.dead, rows, VACUUM_BASE, VACUUM_SCALE, 1) : [];
    if (!analyze.length && !vacuum.length) return;
    running = true;
    const started = Date.now();
    try {
      await runMaintenanceNow(database, { analyze, vacuum }, pool, rows);
      options.onRun?.({ analyzed: analyze, vacuumed: vacuum, ms: Date.now() - started });
    } catch (err) {
      // Maintenance is a background courtesy: a failure must not take the server down, nor repeat every
      // second. The tables' counts start again from nothing.
      for (const t of [...analyze, ...vacuum]) {
        pool.changed.delete(t);
        pool.dead.delete(t);
      }
      console.warn(`database maintenance failed for ${[...analyze, ...vacuum].join(', ')}: ${(err as Error).message}`);
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

function due(counts: Map<string, number>, rows: Map<string, number>, base: number, scale: number, factor: number): string[] {
  const out: string[] = [];
  for (const [table, n] of counts) {
    if (n >= factor * (base + scale * (rows.get(table) ?? 0))) out.push(table);
  }
  return out.sort();
}

const ident = (t: string) => `"${t.replaceAll('"', '""')}"`;

/**
 * Runs maintenance now: the given tables, or on PGlite every table (`VACUUM ANALYZE`), on PostgreSQL
 * `ANALYZE` (after bulk loads).
 */
export async function runMaintenanceNow(
  database: Database,
  tables?: { analyze: string[]; vacuum: string[] },
  pool?: PGlitePool,
  rows?: Map<string, number>,
): Promise<void> {
  if (!tables) {
    await sql.raw(database.kind === 'pglite' ? 'vacuum analyze' : 'analyze').execute(database.db);
    pool?.changed.clear();
    pool?.dead.clear();
    return;
  }
  const all = [...new Set([...tables.analyze, ...tables.vacuum])];
  for (const t of tables.vacuum) {
    await sql.raw(`vacuum (analyze) ${ident(t)}`).execute(database.db);
    pool?.dead.delete(t);
  }
  const analyzeOnly = tables.analyze.filter((t) => !tables.vacuum.includes(t));
  if (analyzeOnly.length) await sql.raw(`analyze ${analyzeOnly.map(ident).join(', ')}`).execute(database.db);
  for (const t of all) pool?.changed.delete(t);
  if (rows && all.length) {
    const r = await sql<{ relname: string; reltuples: number }>`
      select relname, reltuples::float8 as reltuples from pg_class where relname = any(${all}::text[]) and relkind = 'r'`.execute(
      database.db,
    );
    for (const x of r.rows) rows.set(x.relname, Math.max(0, Number(x.reltuples)));
  }
}
