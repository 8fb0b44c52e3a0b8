import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { EngineKind } from './engines.js';
import { REPO_ROOT, runBench } from './harness.js';
import { SCALES, type ScaleName } from './scale.js';

const usage = `npm run bench [-- options]

  --scale tiny|quick|full   data size and run length (default quick; --full and --quick are shorthands)
  --engine pglite|postgres  run on one engine only (repeatable; default both)
  --only id[,id…]           run only these benchmarks
  --pg-url URL              use this PostgreSQL server (a fresh database on it) instead of a throwaway cluster
                            (default: $BENCH_DATABASE_URL)
  --out DIR                 where <date>-<sha>.json and latest.md go (default bench/results)
  --no-write                write nothing
`;

const { values } = parseArgs({
  options: {
    scale: { type: 'string' },
    full: { type: 'boolean' },
    quick: { type: 'boolean' },
    engine: { type: 'string', multiple: true },
    only: { type: 'string' },
    'pg-url': { type: 'string' },
    out: { type: 'string' },
    'no-write': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  process.stdout.write(usage);
  process.exit(0);
}
const scale = (values.full ? 'full' : values.quick ? 'quick' : (values.scale ?? 'quick')) as ScaleName;
if (!SCALES.includes(scale)) {
  process.stderr.write(`unknown scale ${scale}\n${usage}`);
  process.exit(2);
}
const engines = values.engine as EngineKind[] | undefined;
if (engines?.some((e) => e !== 'pglite' && e !== 'postgres')) {
  process.stderr.write(`unknown engine in ${engines.join(', ')}\n${usage}`);
  process.exit(2);
}

const started = Date.now();
const { result, files } = await runBench({
  scale,
  ...(engines ? { engines } : {}),
  ...(values.only ? { only: values.only.split(',') } : {}),
  ...((values['pg-url'] ?? process.env.BENCH_DATABASE_URL) ? { pgUrl: values['pg-url'] ?? process.env.BENCH_DATABASE_URL } : {}),
  outDir: values['no-write'] ? null : (values.out ?? join(REPO_ROOT, 'bench/results')),
});

for (const f of result.figures) {
  const against = f.limit ? ` vs ${f.limit.value} ${f.limit.unit}` : '';
  const verdict = f.met === undefined ? '' : f.met ? '  met' : '  MISSED';
  process.stdout.write(
    `${f.engine.padEnd(8)} ${f.benchmark}/${f.id}: ${f.value} ${f.unit}${against}${f.ratio !== undefined ? ` (${f.ratio}×)` : ''}${verdict}\n`,
  );
}
for (const p of result.pending) process.stdout.write(`not yet available: ${p.id} (waiting for ${p.waitingFor})\n`);
if (files) process.stdout.write(`wrote ${files.json} and ${files.markdown}\n`);
process.stdout.write(`total ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
process.exit(result.errors.length || result.missing.length ? 1 : 0);
