import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { asSystem, recalculateStock } from '@erp/core';
import { benchmarks as allBenchmarks, pending as allPending } from './benchmarks/index.js';
import { type BenchChain, loadChain } from './chain.js';
import { type Engine, type EngineKind, PG_BIN, startOnServer, startPglite, startPostgresCluster } from './engines.js';
import { BenchServer } from './http.js';
import type { BenchContext, BenchError, BenchResult, Figure, MachineInfo, Target } from './model.js';
import { renderMarkdown } from './report.js';
import { type ScaleName, scales } from './scale.js';

export interface RunOptions {
  scale: ScaleName;
  /** Default: both, PostgreSQL first. */
  engines?: EngineKind[];
  /** Use this PostgreSQL server (a fresh database on it) instead of starting a throwaway cluster. */
  pgUrl?: string;
  /** Benchmark ids to run; default all available. */
  only?: string[];
  /** Where the JSON and latest.md go; null writes nothing. */
  outDir: string | null;
  /**
   * After the benchmarks, recalculate stock on each engine and fail the run on any difference: everything
   * the benchmarks wrote (limit sales, API sales, the generated day) must leave the books consistent.
   * Default: on at the tiny scale (the test), off otherwise (it is the recalculation benchmark again).
   */
  verifyLedger?: boolean;
  log?: (message: string) => void;
}

export interface RunOutcome {
  result: BenchResult;
  files: { json: string; markdown: string } | null;
}

export const REPO_ROOT = join(import.meta.dirname, '../..');

function gitInfo(): { sha: string; dirty: boolean } {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    return { sha, dirty: status.trim().length > 0 };
  } catch {
    return { sha: 'nogit', dirty: false };
  }
}

function commandVersion(cmd: string): string | null {
  try {
    return execFileSync(cmd, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

function machineInfo(): MachineInfo {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    const m = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m?.[1]) cpuModel = m[1].trim();
  } catch {
    // not Linux: os.cpus() said enough
  }
  const pgbench = existsSync(join(PG_BIN, 'pgbench')) ? join(PG_BIN, 'pgbench') : 'pgbench';
  return {
    cpuModel,
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
    os: `${type()} ${release()}`,
    node: process.version,
    postgres: null,
    pglite: null,
    pgbench: commandVersion(pgbench),
  };
}

export function isMet(value: number, ratio: number | undefined, target: Target): boolean | undefined {
  const x = target.on === 'ratio' ? ratio : value;
  if (x === undefined || !Number.isFinite(x)) return undefined;
  return target.op === '<=' ? x <= target.bound : x >= target.bound;
}

function localDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * Runs every available benchmark on each engine: start the engine (its own database), load the chain,
 * run, stop and delete. A failing benchmark is recorded and the others still run; engines are always
 * closed, also on failure.
 */
export async function runBench(options: RunOptions): Promise<RunOutcome> {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const scale = scales[options.scale];
  const engines = options.engines ?? ['postgres', 'pglite'];
  const selected = allBenchmarks.filter((b) => !options.only || options.only.includes(b.id));
  const started = new Date();
  const t0 = performance.now();
  const machine = machineInfo();
  const figures: Figure[] = [];
  const errors: BenchError[] = [];
  const missing: string[] = [];
  const load: BenchResult['load'] = {};
  log(`bench: scale ${scale.name} (${scale.label}), engines ${engines.join(', ')}`);

  for (const kind of engines) {
    let engine: Engine | undefined;
    let server: BenchServer | undefined;
    try {
      const e0 = performance.now();
      engine =
        kind === 'pglite'
          ? await startPglite()
          : options.pgUrl
            ? await startOnServer(options.pgUrl)
            : await startPostgresCluster();
      if (kind === 'pglite') machine.pglite = engine.version;
      else machine.postgres = engine.version;
      log(`[${kind}] started in ${((performance.now() - e0) / 1000).toFixed(1)} s: ${engine.version.slice(0, 60)}`);
      const chain: BenchChain = await loadChain(engine.database, scale);
      load[kind] = { ledgerRows: chain.ledgerRows, balanceRows: chain.balanceRows, timings: chain.timings };
      log(`[${kind}] chain loaded: ${JSON.stringify(chain.timings)}`);
      const engineFigures: Figure[] = [];
      const running = engine;
      const ctx: BenchContext = {
        engine: running,
        chain,
        scale,
        figures: engineFigures,
        shared: new Map(),
        server: async () => {
          server ??= await BenchServer.start(running.database);
          return server;
        },
        log: (m) => log(`[${kind}] ${m}`),
      };
      for (const benchmark of selected) {
        const expected = benchmark.figures.filter((f) => f.engines.includes(kind)).map((f) => f.id);
        if (expected.length === 0) continue;
        const b0 = performance.now();
        log(`[${kind}] ${benchmark.id} …`);
        try {
          const produced = await benchmark.run(ctx);
          for (const f of produced) {
            if (f.target) {
              const met = isMet(f.value, f.ratio, f.target);
              if (met !== undefined) f.met = met;
            }
            engineFigures.push(f);
          }
          for (const id of expected) {
            if (!produced.some((f) => f.id === id && Number.isFinite(f.value))) missing.push(`${benchmark.id}/${id}@${kind}`);
          }
        } catch (err) {
          errors.push({ benchmark: benchmark.id, engine: kind, message: errorText(err) });
          for (const id of expected) missing.push(`${benchmark.id}/${id}@${kind}`);
          log(`[${kind}] ${benchmark.id} FAILED: ${errorText(err)}`);
        }
        log(`[${kind}] ${benchmark.id} done in ${((performance.now() - b0) / 1000).toFixed(1)} s`);
      }
      if (options.verifyLedger ?? scale.name === 'tiny') {
        const report = await asSystem(running.database.db, (c) => recalculateStock(c));
        if (report.differences.length || report.costDifferences.length) {
          errors.push({
            benchmark: 'harness',
            engine: kind,
            message: `after the benchmarks the ledger and the kept stock differ: ${JSON.stringify(report.differences.slice(0, 5))} ${JSON.stringify(report.costDifferences.slice(0, 5))}`,
          });
        } else log(`[${kind}] ledger = balances after every benchmark (${report.balanceRows} balance rows)`);
      }
      figures.push(...engineFigures);
    } catch (err) {
      errors.push({ benchmark: 'harness', engine: kind, message: errorText(err) });
      for (const b of selected) {
        for (const f of b.figures.filter((x) => x.engines.includes(kind))) {
          const key = `${b.id}/${f.id}@${kind}`;
          if (!missing.includes(key) && !figures.some((x) => x.benchmark === b.id && x.id === f.id && x.engine === kind)) {
            missing.push(key);
          }
        }
      }
      log(`[${kind}] FAILED: ${errorText(err)}`);
    } finally {
      await server?.close().catch(() => {});
      await engine?.close().catch((err) => log(`[${kind}] close failed: ${errorText(err)}`));
    }
  }

  const finished = new Date();
  const result: BenchResult = {
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    seconds: Math.round((performance.now() - t0) / 100) / 10,
    scale,
    git: gitInfo(),
    machine,
    engines,
    load,
    figures,
    missing,
    pending: allPending,
    errors,
  };
  log(`bench: finished in ${result.seconds} s`);
  if (options.outDir === null) return { result, files: null };
  mkdirSync(options.outDir, { recursive: true });
  const json = join(options.outDir, `${localDate(started)}-${result.git.sha}.json`);
  const markdown = join(options.outDir, 'latest.md');
  writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(markdown, renderMarkdown(result, json));
  return { result, files: { json, markdown } };
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.stack?.split('\n').slice(0, 4).join('\n') ?? err.message;
  return String(err);
}
