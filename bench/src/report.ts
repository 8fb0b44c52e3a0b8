import { basename } from 'node:path';
import type { BenchResult, Figure } from './model.js';

const fmt = (n: number) =>
  Number.isFinite(n) ? n.toLocaleString('en', { maximumFractionDigits: n >= 100 ? 0 : n >= 10 ? 1 : 3 }) : String(n);

function limitOrTarget(f: Figure): string {
  const parts: string[] = [];
  if (f.limit) parts.push(`${f.limit.name}: ${fmt(f.limit.value)} ${f.limit.unit}`);
  if (f.target) parts.push(`target ${f.target.text}`);
  return parts.join('; ') || (f.isLimit ? '— (this is the limit)' : '—');
}

function ratio(f: Figure): string {
  if (f.ratio === undefined) return '—';
  return `${fmt(f.ratio)}×`;
}

function met(f: Figure): string {
  if (f.met === undefined) return '—';
  return f.met ? '✅ met' : '❌ missed';
}

function latency(f: Figure): string {
  return f.latency ? `${fmt(f.latency.p50)} / ${fmt(f.latency.p95)} / ${fmt(f.latency.p99)}` : '—';
}

/** bench/results/latest.md: every figure beside its limit or target, the machine, what is not yet there. */
export function renderMarkdown(r: BenchResult, jsonPath: string): string {
  const m = r.machine;
  const lines: string[] = [
    `# Benchmarks 性能基准 — ${r.startedAt.slice(0, 10)} @ ${r.git.sha}${r.git.dirty ? ' (working tree had uncommitted changes)' : ''}`,
    '',
    `Scale **${r.scale.name}**: ${r.scale.label}. Run took ${fmt(r.seconds)} s. Raw data: \`${basename(jsonPath)}\`.`,
    '',
    '| machine | |',
    '|---|---|',
    `| CPU | ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB RAM |`,
    `| OS / Node | ${m.os} / ${m.node} |`,
    `| PostgreSQL | ${m.postgres ?? 'not run'} |`,
    `| PGlite | ${m.pglite ?? 'not run'} |`,
    `| pgbench | ${m.pgbench ?? 'not found'} |`,
    `| load average at start | ${m.loadAverage.join(' / ')} (other work on the machine shares its cores) |`,
    '',
    '## Figures',
    '',
    'Ratio: ours ÷ limit for times (lower is better), ours ÷ limit for throughput (higher is better), or value ÷ target bound.',
    '',
    '| benchmark | engine | figure | value | limit / target | ratio | p50 / p95 / p99 ms | target |',
    '|---|---|---|---:|---|---:|---|---|',
  ];
  for (const f of r.figures) {
    lines.push(
      `| ${f.benchmark} | ${f.engine} | ${f.name} | ${fmt(f.value)} ${f.unit} | ${limitOrTarget(f)} | ${ratio(f)} | ${latency(f)} | ${met(f)} |`,
    );
  }
  if (r.missing.length) {
    lines.push('', `**Missing figures:** ${r.missing.join(', ')}`);
  }
  if (r.errors.length) {
    lines.push('', '## Errors', '');
    for (const e of r.errors) lines.push(`- **${e.benchmark}** on ${e.engine}:`, '', '```', e.message, '```');
  }
  lines.push('', '## Not yet available 尚未提供', '');
  if (r.pending.length === 0) {
    lines.push('None: every benchmark issue 6 asks for has its product code and runs above.');
  } else {
    lines.push(
      'Asked for by issue 6; their product code has not landed, so there is no number (none is faked).',
      '',
      '| benchmark | target | waiting for |',
      '|---|---|---|',
    );
    for (const p of r.pending) lines.push(`| ${p.title} | ${p.target} | ${p.waitingFor} |`);
  }
  lines.push('', '## Data load', '', '| engine | ledger rows | balance rows | steps (s) |', '|---|---:|---:|---|');
  for (const [engine, l] of Object.entries(r.load)) {
    const steps = Object.entries(l.timings)
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join('; ');
    lines.push(`| ${engine} | ${fmt(l.ledgerRows)} | ${fmt(l.balanceRows)} | ${steps} |`);
  }
  const details = r.figures.filter((f) => f.detail);
  if (details.length) {
    lines.push('', '## Details', '');
    for (const f of details) lines.push(`- ${f.benchmark}/${f.id} (${f.engine}): \`${JSON.stringify(f.detail)}\``);
  }
  lines.push('');
  return lines.join('\n');
}
