import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations/index.js';
import type { DB } from './schema.js';

export type DbKind = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  kind: DbKind;
  /** Set on the embedded engine only: the raw instance, for maintenance and snapshots. */
  pglite?: PGlite;
  pglitePool?: PGlitePool;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… — real PostgreSQL. Otherwise PGlite. */
  url?: string;
  /** PGlite data directory; omitted = in memory. */
  dataDir?: string;
  /** PGlite: start from a dumped data dir (tarball), used by the test harness. */
  loadDataDir?: Blob | File;
  poolSize?: number;
}

const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

// Dates stay 'YYYY-MM-DD' strings (a business day has no time zone); int8 counts and ids become numbers;
// numeric stays an exact string.
pg.types.setTypeParser(DATE_OID, (v) => v);
pg.types.setTypeParser(INT8_OID, (v) => Number(v));

const pgliteParsers = {
  [DATE_OID]: (v: string) => v,
  [NUMERIC_OID]: (v: string) => v,
};

interface QueryClient {
  query(text: string, params: readonly unknown[]): Promise<{ rows: unknown[]; rowCount: number; command: string }>;
  release(): void;
}

/**
 * PGlite is a single backend: Kysely must hold it exclusively for a transaction. This pool hands out the
 * one connection to one holder at a time, in arrival order.
 */
export class PGlitePool {
  private queue: Array<() => void> = [];
  private busy = false;
  /** Rows changed per table since maintenance last looked, and rows updated/deleted (dead tuples). */
  readonly changed = new Map<string, number>();
  readonly dead = new Map<string, number>();
  /** When the connection was last released. */
  idleSince = Date.now();

  constructor(readonly pglite: PGlite) {}

  get isIdle(): boolean {
    return !this.busy;
  }

  async connect(): Promise<QueryClient> {
    if (this.busy) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.busy = true;
    let released = false;
    return {
      query: async (text, params) => {
        const result = await this.pglite.query(text, params as unknown[]);
        const command = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? '';
        if (command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'WITH') {
          this.recordWrites(text, Math.max(result.affectedRows ?? 0, 1));
        }
        return { rows: result.rows, rowCount: result.affectedRows ?? 0, command };
      },
      release: () => {
        if (released) return;
        released = true;
        const next = this.queue.shift();
        if (next) next();
        else {
          this.busy = false;
          this.idleSince = Date.now();
        }
      },
    };
  }

  async end(): Promise<void> {
    await this.pglite.close();
  }

  /** Counts `rows` changed in each table `text` writes (called for every statement; callers that write
   *  through EXECUTE of a prepared statement report its text themselves). */
  recordWrites(text: string, rows: number): void {
    for (const w of writesOf(text)) {
      this.changed.set(w.table, (this.changed.get(w.table) ?? 0) + rows);
      if (w.dead) this.dead.set(w.table, (this.dead.get(w.table) ?? 0) + rows);
    }
  }
}

interface TableWrite {
  table: string;
  /** Leaves dead tuples behind (update, delete, upsert). */
  dead: boolean;
}

const writesCache = new Map<string, TableWrite[]>();
// Not the `update` of `on conflict … do update set` or of a `for [no key] update` lock clause.
const WRITE_RE = /\b(insert\s+into|(?<!\b(?:do|for|key)\s+)update|delete\s+from)\s+"?([a-z_][a-z0-9_]*)"?/gi;

/** The tables a statement writes, read once per distinct statement text (statements are parameterised). */
function writesOf(text: string): TableWrite[] {
  let hit = writesCache.get(text);
  if (hit) return hit;
  const upsert = /on\s+conflict[^;]*do\s+update/i.test(text);
  hit = [...text.matchAll(WRITE_RE)].map((m) => {
    const verb = (m[1] as string).toLowerCase();
    return { table: (m[2] as string).toLowerCase(), dead: !verb.startsWith('insert') || upsert };
  });
  if (writesCache.size > 2_000) writesCache.clear();
  writesCache.set(text, hit);
  return hit;
}

/**
 * PostgreSQL parses and plans every unnamed statement afresh; for the hot paths' large CTEs (the checkout's
 * write, the stock posting) that is several milliseconds of server CPU per request. A parameterised text
 * seen a few times gets a name instead: pg parses it once per connection and PostgreSQL keeps its plan
 * (a generic one after five runs, when that plan is no worse). What drivers such as postgres.js do by default.
 */
const PREPARE_AFTER = 3;
const MAX_NAMED = 2_000;
const seenTexts = new Map<string, number>();
const statementNames = new Map<string, string>();

export function statementName(text: string): string | undefined {
  const known = statementNames.get(text);
  if (known) return known;
  if (statementNames.size >= MAX_NAMED) return undefined;
  const count = (seenTexts.get(text) ?? 0) + 1;
  if (count < PREPARE_AFTER) {
    if (seenTexts.size > 20_000) seenTexts.clear();
    seenTexts.set(text, count);
    return undefined;
  }
  seenTexts.delete(text);
  const name = `erp_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
  statementNames.set(text, name);
  return name;
}

class PreparingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() is heavily overloaded; this only adds a name.
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      const name = statementName(config);
      // biome-ignore lint/suspicious/noExplicitAny: the config-object overload.
      if (name) return (super.query as any)({ name, text: config }, values, callback);
    }
    // biome-ignore lint/suspicious/noExplicitAny: passed through unchanged.
    return (super.query as any)(config, values, callback);
  }
}

export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, Client: PreparingClient });
    // An idle connection the server ends (a restart, a terminated backend) is dropped from the pool and
    // replaced on next use; unheard, pg would raise it as an uncaught exception and stop the process.
    pool.on('error', (err) => console.warn(`database: idle connection lost (${err.message})`));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const pglite = new PGlite({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    parsers: pgliteParsers,
  });
  await pglite.waitReady;
  const pool = new PGlitePool(pglite);
  // biome-ignore lint/suspicious/noExplicitAny: PostgresDialect only needs connect/end of the pg Pool shape.
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pool as any }) });
  return { db, kind: 'pglite', pglite, pglitePool: pool, close: () => db.destroy() };
}

export async function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function ping(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db);
}
