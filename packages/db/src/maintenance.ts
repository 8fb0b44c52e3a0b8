import { sql } from 'kysely';
import type { Database } from './connection.js';

export interface MaintenanceOptions {
  /** How often to look (ms). */
  intervalMs?: number;
  /** Rows written since the last run that make a run worthwhile. */
  minRowsWritten?: number;
  /** How long the database must have been idle before a run starts (ms). */
  idleMs?: number;
  onRun?: (info: { rowsWritten: number; ms: number }) => void;
}

/**
 * PGlite has no autovacuum and no autoanalyze: without this a growing table keeps its empty-table
 * statistics and plans decay (GUIDE.md). This runs `VACUUM ANALYZE` when enough rows were written and
 * the single connection has been idle for a moment, never inline on a request. On PostgreSQL it does
 * nothing: autovacuum does the job there.
 */
export function startMaintenance(database: Database, options: MaintenanceOptions = {}): () => void {
  const pool = database.pglitePool;
  if (database.kind !== 'pglite' || !pool) return () => {};
  const { intervalMs = 5_000, minRowsWritten = 2_000, idleMs = 500 } = options;
  let running = false;
  const timer = setInterval(async () => {
    if (running || pool.rowsWritten < minRowsWritten) return;
    if (!pool.isIdle || Date.now() - pool.idleSince < idleMs) return;
    running = true;
    const rowsWritten = pool.rowsWritten;
    pool.rowsWritten = 0;
    const started = Date.now();
    try {
      await runMaintenanceNow(database);
      options.onRun?.({ rowsWritten, ms: Date.now() - started });
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

export async function runMaintenanceNow(database: Database): Promise<void> {
  if (database.kind === 'pglite') await sql`vacuum analyze`.execute(database.db);
  else await sql`analyze`.execute(database.db);
}
