import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchmarks, pending } from './benchmarks/index.js';
import type { EngineKind } from './engines.js';
import { runBench } from './harness.js';
import type { BenchResult } from './model.js';

/**
 * Keeps the harness from rotting: every available benchmark runs at the tiny scale on PGlite, and on
 * PostgreSQL when DATABASE_URL is set (a fresh database on that server, as CI provides). What is checked
 * is that the run finishes and reports every figure it promises — never how fast anything was.
 */
describe('benchmark harness (tiny scale)', () => {
  const out = mkdtempSync(join(tmpdir(), 'erp-bench-test-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const engines: EngineKind[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

  it(`runs every available benchmark on ${engines.join(' and ')} and reports every figure`, async () => {
    const { result, files } = await runBench({
      scale: 'tiny',
      engines,
      ...(process.env.DATABASE_URL ? { pgUrl: process.env.DATABASE_URL } : {}),
      outDir: out,
      log: () => {},
    });
    expect(result.errors).toEqual([]);
    expect(result.missing).toEqual([]);

    const expected = benchmarks.flatMap((b) =>
      b.figures.flatMap((f) => f.engines.filter((e) => engines.includes(e)).map((e) => `${b.id}/${f.id}@${e}`)),
    );
    expect(expected.length).toBeGreaterThan(0);
    const reported = result.figures.map((f) => `${f.benchmark}/${f.id}@${f.engine}`);
    expect(reported.sort()).toEqual([...expected].sort());
    for (const f of result.figures) {
      expect(Number.isFinite(f.value), `${f.benchmark}/${f.id}`).toBe(true);
      if (f.limit) expect(Number.isFinite(f.limit.value)).toBe(true);
      if (f.target) expect(typeof f.met).toBe('boolean');
    }

    // The files say the same: the JSON round-trips, the table lists every figure and what is pending.
    expect(files).not.toBeNull();
    const { json, markdown } = files as { json: string; markdown: string };
    expect(existsSync(json)).toBe(true);
    const saved = JSON.parse(readFileSync(json, 'utf8')) as BenchResult;
    expect(saved.figures.map((f) => `${f.benchmark}/${f.id}@${f.engine}`).sort()).toEqual([...expected].sort());
    expect(saved.machine.cores).toBeGreaterThan(0);
    expect(saved.git.sha).toMatch(/\w+/);
    const md = readFileSync(markdown, 'utf8');
    for (const f of result.figures) expect(md).toContain(f.name);
    expect(md).toContain('Not yet available');
    for (const p of pending) expect(md).toContain(p.title);
  }, 600_000);

  it('leaves no benchmark both available and pending', () => {
    const ids = new Set(benchmarks.map((b) => b.id));
    expect(pending.filter((p) => ids.has(p.id))).toEqual([]);
  });
});
