import type { BenchChain } from './chain.js';
import type { Engine, EngineKind } from './engines.js';
import type { BenchServer } from './http.js';
import type { Scale } from './scale.js';

/** What a figure is held against: a bound on its value, or on its ratio to the limit measured beside it. */
export interface Target {
  on: 'value' | 'ratio';
  op: '<=' | '>=';
  bound: number;
  /** As printed, e.g. '≤ 1.5 × raw GROUP BY'. */
  text: string;
}

/** One measured number. */
export interface Figure {
  benchmark: string;
  /** Stable id within the benchmark, e.g. 'recalculate'. Together with engine it names the figure. */
  id: string;
  engine: EngineKind;
  name: string;
  value: number;
  unit: string;
  /** The machine's own limit for the same work, measured in the same run. */
  limit?: { name: string; value: number; unit: string };
  /** value ÷ limit for times, ours ÷ limit for throughput, value ÷ bound when there is no limit. */
  ratio?: number;
  target?: Target;
  /** This figure is itself a limit of the machine (what the product is measured against). */
  isLimit?: boolean;
  /** Per-operation latency in ms, where the figure is a throughput or a latency percentile. */
  latency?: { p50: number; p95: number; p99: number };
  /** Filled in by the harness from target. */
  met?: boolean;
  detail?: Record<string, unknown>;
}

export interface FigureSpec {
  id: string;
  engines: readonly EngineKind[];
}

export interface BenchContext {
  engine: Engine;
  chain: BenchChain;
  scale: Scale;
  /** The real HTTP server on this engine's database, started on first use and shared by benchmarks. */
  server(): Promise<BenchServer>;
  /** Figures already measured on this engine in this run (a checkout reads the limit measured before it). */
  figures: readonly Figure[];
  /** Fixtures benchmarks share on this engine (e.g. paired tills), built by the first that needs them. */
  shared: Map<string, unknown>;
  log(message: string): void;
}

/** A benchmark whose code has landed: one file in benchmarks/, listed in benchmarks/index.ts. */
export interface Benchmark {
  id: string;
  title: string;
  /** The figures it reports per engine; the harness (and its test) checks every one is there. */
  figures: readonly FigureSpec[];
  run(ctx: BenchContext): Promise<Figure[]>;
}

/** A benchmark the issue asks for whose product code has not landed yet: listed, never faked. */
export interface PendingBenchmark {
  id: string;
  title: string;
  target: string;
  waitingFor: string;
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  loadAverage: number[];
  os: string;
  node: string;
  postgres: string | null;
  pglite: string | null;
  pgbench: string | null;
}

export interface BenchError {
  benchmark: string;
  engine: EngineKind | 'harness';
  message: string;
}

export interface BenchResult {
  startedAt: string;
  finishedAt: string;
  seconds: number;
  scale: Scale;
  git: { sha: string; dirty: boolean };
  machine: MachineInfo;
  engines: EngineKind[];
  load: Partial<Record<EngineKind, { ledgerRows: number; balanceRows: number; timings: Record<string, number> }>>;
  figures: Figure[];
  /** Figures a benchmark declared but did not deliver, as 'benchmark/id@engine'. */
  missing: string[];
  pending: PendingBenchmark[];
  errors: BenchError[];
}
