import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, migrateToLatest, openDatabase, sql } from '@erp/db';
import pg from 'pg';

export type EngineKind = 'pglite' | 'postgres';

/** How to reach a PostgreSQL database from outside the process (pgbench). */
export interface PgTarget {
  url: string;
  binDir: string;
}

export interface Engine {
  kind: EngineKind;
  database: Database;
  /** `select version()` of the engine. */
  version: string;
  /** PostgreSQL only. */
  pg?: PgTarget;
  /** Stops and deletes everything the engine created. Safe to call twice. */
  close(): Promise<void>;
}

export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Cleanups that must also run on SIGINT/SIGTERM or a crash: synchronous, idempotent. */
const emergencyCleanups = new Set<() => void>();
let signalsHooked = false;

function hookSignals(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  const runAll = () => {
    for (const fn of emergencyCleanups) {
      try {
        fn();
      } catch {
        // keep going: every cleanup gets its chance
      }
    }
    emergencyCleanups.clear();
  };
  process.once('exit', runAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      runAll();
      process.exit(130);
    });
  }
}

async function freePort(preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | null>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(null));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(port)));
    });
  for (let p = preferred; p < preferred + 200; p++) {
    if (await tryPort(p)) return p;
  }
  throw new Error('no free port for the benchmark PostgreSQL cluster');
}

async function engineVersion(database: Database): Promise<string> {
  const r = await sql<{ v: string }>`select version() as v`.execute(database.db);
  return r.rows[0]?.v ?? 'unknown';
}

/** PGlite with its data directory in a fresh temp dir, migrated. */
export async function startPglite(): Promise<Engine> {
  const dir = mkdtempSync(join(tmpdir(), 'erp-bench-pglite-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  hookSignals();
  emergencyCleanups.add(remove);
  try {
    const database = await openDatabase({ dataDir: dir });
    await migrateToLatest(database.db);
    let closed = false;
    return {
      kind: 'pglite',
      database,
      version: `PGlite ${pgliteVersion()} (${await engineVersion(database)})`,
      close: async () => {
        if (closed) return;
        closed = true;
        await database.close().catch(() => {});
        remove();
        emergencyCleanups.delete(remove);
      },
    };
  } catch (err) {
    remove();
    emergencyCleanups.delete(remove);
    throw err;
  }
}

function pgliteVersion(): string {
  try {
    const pkg = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../node_modules/@electric-sql/pglite/package.json'), 'utf8'),
    ) as { version: string };
    return pkg.version;
  } catch {
    return '?';
  }
}

/**
 * A throwaway PostgreSQL 15 cluster, started the way `.ci/postgres.sh` does (initdb as the postgres user
 * when run as root, trust auth, fsync on, its own port and socket dir), and a migrated database in it.
 * Stopped and deleted on close, on exit and on SIGINT.
 */
export async function startPostgresCluster(): Promise<Engine> {
  if (!existsSync(join(PG_BIN, 'initdb'))) {
    throw new Error(`PostgreSQL binaries not found in ${PG_BIN} (apt-get install postgresql-15, or set PG_BIN)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'erp-bench-pg-'));
  const root = process.getuid?.() === 0;
  const as = (cmd: string, args: string[]) =>
    (root ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]) as [string, string[]];
  if (root) {
    execFileSync('chown', ['postgres', dir]);
    chmodSync(dir, 0o700);
  }
  const data = join(dir, 'data');
  let started = false;
  const stopSync = () => {
    if (started) {
      const [cmd, args] = as(join(PG_BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
      spawnSync(cmd, args, { stdio: 'ignore' });
      started = false;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  hookSignals();
  emergencyCleanups.add(stopSync);
  try {
    const [initCmd, initArgs] = as(join(PG_BIN, 'initdb'), [
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
    ]);
    execFileSync(initCmd, initArgs, { stdio: 'ignore' });
    const port = await freePort(54400 + Math.floor(Math.random() * 400));
    const opts = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c max_connections=300',
      '-c shared_buffers=256MB',
      '-c fsync=on',
    ].join(' ');
    const [ctlCmd, ctlArgs] = as(join(PG_BIN, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-w', '-o', opts, 'start']);
    execFileSync(ctlCmd, ctlArgs, { stdio: 'ignore' });
    started = true;
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const database = await openDatabase({ url, poolSize: 20 });
    await migrateToLatest(database.db);
    let closed = false;
    return {
      kind: 'postgres',
      database,
      version: await engineVersion(database),
      pg: { url, binDir: PG_BIN },
      close: async () => {
        if (closed) return;
        closed = true;
        await database.close().catch(() => {});
        const [cmd, args] = as(join(PG_BIN, 'pg_ctl'), ['-D', data, '-m', 'fast', 'stop']);
        spawnSync(cmd, args, { stdio: 'ignore' });
        started = false;
        stopSync();
        emergencyCleanups.delete(stopSync);
      },
    };
  } catch (err) {
    stopSync();
    emergencyCleanups.delete(stopSync);
    throw err;
  }
}

/**
 * A fresh database on an existing server (DATABASE_URL, as in CI), migrated, dropped on close. The
 * server itself is left alone.
 */
export async function startOnServer(serverUrl: string): Promise<Engine> {
  const name = `erp_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const target = new URL(serverUrl);
  target.pathname = `/${name}`;
  const url = target.toString();
  const drop = async () => {
    const a = new pg.Client({ connectionString: serverUrl });
    await a.connect();
    await a.query(`drop database if exists ${name} with (force)`);
    await a.end();
  };
  try {
    const database = await openDatabase({ url, poolSize: 20 });
    await migrateToLatest(database.db);
    let closed = false;
    return {
      kind: 'postgres',
      database,
      version: await engineVersion(database),
      pg: { url, binDir: existsSync(join(PG_BIN, 'pgbench')) ? PG_BIN : '' },
      close: async () => {
        if (closed) return;
        closed = true;
        await database.close().catch(() => {});
        await drop();
      },
    };
  } catch (err) {
    await drop().catch(() => {});
    throw err;
  }
}
