import { randomUUID } from 'node:crypto';
import { dec, money } from '@erp/contracts';
import { startMaintenance } from '@erp/db';
import { benchPrice } from '../chain.js';
import type { BenchServer } from '../http.js';
import type { BenchContext, Benchmark, Figure } from '../model.js';
import { round, seededRandom, summarize } from '../stats.js';
import { type BenchTill, benchTills } from '../tills.js';
import { LIMIT_TILLS } from './checkout-limit.js';

interface RunOutcome {
  sales: number;
  seconds: number;
  latenciesMs: number[];
  /** Completion times (ms, performance.now()) in order, for the decay check. */
  finishedAt: number[];
  started: number;
}

/** A 5-line, 2-tender sale as the till sends it: card for 60%, the rest in cash with change. */
function saleBody(till: BenchTill, receiptNo: string, productIds: number[], rand: (n: number) => number) {
  const pspan = Math.floor(productIds.length / 5);
  const r = rand(pspan);
  const lines = Array.from({ length: 5 }, (_, j) => ({
    productId: productIds[r + j * pspan] as number,
    qty: String(1 + rand(3)),
  }));
  const total = lines.reduce((t, l) => t.plus(dec(benchPrice(l.productId)).times(l.qty)), dec(0));
  const card = dec(money(total.times('0.6')));
  const rest = total.minus(card);
  return {
    clientId: randomUUID(),
    receiptNo,
    shiftId: till.shiftId,
    lines,
    tenders: [
      { method: 'bank_card', amount: money(card), reference: 'POS-BENCH' },
      { method: 'cash', amount: money(rest.ceil()) },
    ],
  };
}

/**
 * Closed-loop clients, one per till: each sends its next sale as soon as the previous one is answered.
 * Stops after `seconds` or when `sales` sales were made in all.
 */
async function drive(server: BenchServer, tills: BenchTill[], productIds: number[], stop: { seconds?: number; sales?: number }) {
  const latenciesMs: number[] = [];
  const finishedAt: number[] = [];
  const started = performance.now();
  const deadline = stop.seconds !== undefined ? started + stop.seconds * 1000 : Number.POSITIVE_INFINITY;
  let issued = 0;
  await Promise.all(
    tills.map(async (till, i) => {
      const rand = seededRandom(1000 + i);
      while (performance.now() < deadline && (stop.sales === undefined || issued < stop.sales)) {
        issued++;
        const body = saleBody(till, await till.nextReceipt(), productIds, rand);
        const res = await server.request('POST', '/api/pos/sales', till.headers, body);
        if (res.status !== 200 || !res.body.includes('"status":"formal"')) {
          throw new Error(`checkout at ${till.store.code}: ${res.status} ${res.body.slice(0, 400)}`);
        }
        latenciesMs.push(res.ms);
        finishedAt.push(performance.now());
      }
    }),
  );
  return {
    sales: latenciesMs.length,
    seconds: (performance.now() - started) / 1000,
    latenciesMs,
    finishedAt,
    started,
  } satisfies RunOutcome;
}

/** Sales/s over the first and the last tenth of a run. */
function tenths(o: RunOutcome): { first: number; last: number } {
  const n = o.finishedAt.length;
  const tenth = Math.max(1, Math.floor(n / 10));
  const at = (i: number) => (i < 0 ? o.started : (o.finishedAt[i] as number));
  const rate = (from: number, to: number) => (to - from) / ((at(to - 1) - at(from - 1)) / 1000);
  return { first: rate(0, tenth), last: rate(n - tenth, n) };
}

/**
 * The checkout (POS-2…5) through the real HTTP API: a paired till's cashier session and till token, Zod
 * validation, the pricing pipeline, tenders, the ledger posting and the receipt number — against the
 * limit measured just before in the same run (one hand-written statement per sale). PostgreSQL: 1 and 8
 * clients (each its own till and store). PGlite: 1 client over many sales, with the product's own
 * scheduled maintenance running exactly as `main.ts` starts it, to see whether throughput decays.
 */
export const checkoutApi: Benchmark = {
  id: 'checkout-api',
  title: '收银 Checkout through the HTTP API (5 lines, 2 tenders)',
  figures: [
    { id: 'api-1-client', engines: ['pglite', 'postgres'] },
    { id: 'api-1-client-p99', engines: ['postgres'] },
    { id: 'api-8-clients', engines: ['postgres'] },
    { id: 'api-8-clients-p99', engines: ['postgres'] },
    { id: 'api-decay', engines: ['pglite'] },
  ],
  async run(ctx: BenchContext): Promise<Figure[]> {
    const server = await ctx.server();
    const tills = await benchTills(ctx, LIMIT_TILLS);
    const products = ctx.chain.productIds;
    const limitOf = (id: string) => ctx.figures.find((f) => f.benchmark === 'checkout-limit' && f.id === id);
    const base = { benchmark: this.id, engine: ctx.engine.kind, unit: 'sales/s' } as const;
    const throughput = (id: string, name: string, o: RunOutcome, limitId: string, target?: Figure['target']): Figure => {
      const rate = o.sales / o.seconds;
      const limit = limitOf(limitId);
      const l = summarize(o.latenciesMs);
      return {
        ...base,
        id,
        name,
        value: round(rate, 1),
        ...(limit ? { limit: { name: `limit (${limit.name})`, value: limit.value, unit: limit.unit } } : {}),
        ...(limit ? { ratio: round(rate / limit.value, 2) } : {}),
        ...(target ? { target } : {}),
        latency: { p50: l.p50, p95: l.p95, p99: l.p99 },
        detail: { sales: o.sales, seconds: round(o.seconds, 1), maxMs: l.max },
      };
    };
    const p99 = (id: string, name: string, o: RunOutcome, bound: number): Figure => {
      const l = summarize(o.latenciesMs);
      return {
        ...base,
        id,
        name,
        value: l.p99,
        unit: 'ms',
        ratio: round(l.p99 / bound, 2),
        target: { on: 'value', op: '<=', bound, text: `p99 ≤ ${bound} ms` },
        latency: { p50: l.p50, p95: l.p95, p99: l.p99 },
      };
    };
    const half = { on: 'ratio', op: '>=', bound: 0.5, text: '≥ 50% of the limit' } as const;

    if (ctx.engine.kind === 'pglite') {
      const sales = ctx.scale.pgliteApiSales;
      const stop = startMaintenance(ctx.engine.database); // the product's defaults, as main.ts runs it
      let o: RunOutcome;
      try {
        o = await drive(server, tills.slice(0, 1), products, { sales });
      } finally {
        stop();
      }
      const t = tenths(o);
      ctx.log(
        `PGlite checkout ${(o.sales / o.seconds).toFixed(0)} sales/s; first tenth ${t.first.toFixed(0)}/s, last ${t.last.toFixed(0)}/s`,
      );
      return [
        throughput(
          'api-1-client',
          `POST /api/pos/sales, 1 client, ${sales.toLocaleString('en')} sales`,
          o,
          'limit-1-client',
          half,
        ),
        {
          ...base,
          id: 'api-decay',
          name: `throughput of the last tenth ÷ the first tenth over ${sales.toLocaleString('en')} sales (no decay)`,
          value: round(t.last / t.first, 2),
          unit: '×',
          ratio: round(t.last / t.first, 2),
          target: { on: 'value', op: '>=', bound: 0.9, text: '≥ 0.9 (no decay)' },
          detail: { firstTenthSalesPerSecond: round(t.first, 1), lastTenthSalesPerSecond: round(t.last, 1) },
        },
      ];
    }

    const seconds = ctx.scale.pgbenchSeconds;
    if (ctx.scale.name !== 'tiny') await drive(server, tills, products, { seconds: 2 }); // warm-up
    const one = await drive(server, tills.slice(0, 1), products, { seconds });
    ctx.log(`checkout 1 client: ${(one.sales / one.seconds).toFixed(0)} sales/s`);
    const eight = await drive(server, tills.slice(0, 8), products, { seconds });
    ctx.log(`checkout 8 clients: ${(eight.sales / eight.seconds).toFixed(0)} sales/s`);
    return [
      throughput('api-1-client', `POST /api/pos/sales, 1 client, ${seconds} s`, one, 'limit-1-client'),
      p99('api-1-client-p99', 'POST /api/pos/sales, 1 client, p99 latency', one, 10),
      throughput(
        'api-8-clients',
        `POST /api/pos/sales, 8 clients (8 tills in 8 stores), ${seconds} s`,
        eight,
        'limit-8-clients',
        half,
      ),
      p99('api-8-clients-p99', 'POST /api/pos/sales, 8 clients, p99 latency', eight, 20),
    ];
  },
};
