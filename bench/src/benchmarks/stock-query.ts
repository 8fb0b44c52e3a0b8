import type { BenchContext, Benchmark, Figure } from '../model.js';
import { round, seededRandom, summarize } from '../stats.js';

const TARGET_MS = 20;

/**
 * INV-3 stock queries through the real HTTP API with a real session: one product across every store (as
 * HQ), and a store's stock page (as its manager, the screen's default page). One client, sequential
 * requests; p95 is the figure.
 */
export const stockQuery: Benchmark = {
  id: 'stock-query',
  title: '库存查询 Stock query',
  figures: [
    { id: 'product-across-stores', engines: ['pglite', 'postgres'] },
    { id: 'store-page', engines: ['pglite', 'postgres'] },
  ],
  async run(ctx: BenchContext): Promise<Figure[]> {
    const server = await ctx.server();
    const { chain, scale } = ctx;
    const hq = await server.login(chain.users.hqAdmin.login, chain.users.hqAdmin.password);
    const manager = await server.login(chain.users.storeManager.login, chain.users.storeManager.password);
    const store = chain.stores[0];
    if (!store) throw new Error('no store');
    const rand = seededRandom(12345);
    const nextProduct = () => chain.productIds[rand(chain.productIds.length)] as number;

    const measure = async (request: () => Promise<{ ms: number; check: () => void }>) => {
      for (let i = 0; i < Math.min(20, scale.queryRequests); i++) (await request()).check();
      const samples: number[] = [];
      for (let i = 0; i < scale.queryRequests; i++) {
        const r = await request();
        r.check();
        samples.push(r.ms);
      }
      return summarize(samples);
    };

    const acrossStores = await measure(async () => {
      const productId = nextProduct();
      const res = await server.request('GET', `/api/stock/balances?productId=${productId}&pageSize=500`, hq);
      return {
        ms: res.ms,
        check: () => {
          if (res.status !== 200) throw new Error(`stock by product: ${res.status} ${res.body.slice(0, 300)}`);
          const body = JSON.parse(res.body) as { total: number; items: unknown[] };
          if (body.total !== chain.stores.length || body.items.length !== chain.stores.length) {
            throw new Error(`stock by product: expected ${chain.stores.length} stores, got ${body.total}`);
          }
        },
      };
    });
    const pageSize = 50;
    const storePage = await measure(async () => {
      const res = await server.request('GET', `/api/stock/balances?orgId=${store.id}&page=1&pageSize=${pageSize}`, manager);
      return {
        ms: res.ms,
        check: () => {
          if (res.status !== 200) throw new Error(`store stock page: ${res.status} ${res.body.slice(0, 300)}`);
          const body = JSON.parse(res.body) as { total: number; items: unknown[] };
          if (body.total !== chain.productIds.length || body.items.length !== Math.min(pageSize, chain.productIds.length)) {
            throw new Error(`store stock page: expected ${chain.productIds.length} rows in total, got ${body.total}`);
          }
        },
      };
    });
    ctx.log(`product across stores p95 ${acrossStores.p95} ms; store page p95 ${storePage.p95} ms`);

    const target = { on: 'value', op: '<=', bound: TARGET_MS, text: `p95 ≤ ${TARGET_MS} ms` } as const;
    return [
      {
        benchmark: this.id,
        id: 'product-across-stores',
        engine: ctx.engine.kind,
        name: `GET /api/stock/balances?productId — one product in ${chain.stores.length} stores (HQ), p95`,
        value: acrossStores.p95,
        unit: 'ms',
        ratio: round(acrossStores.p95 / TARGET_MS, 2),
        target,
        detail: { ...acrossStores },
      },
      {
        benchmark: this.id,
        id: 'store-page',
        engine: ctx.engine.kind,
        name: `GET /api/stock/balances?orgId — a store's stock page (${pageSize} of ${chain.productIds.length.toLocaleString('en')} rows, store manager), p95`,
        value: storePage.p95,
        unit: 'ms',
        ratio: round(storePage.p95 / TARGET_MS, 2),
        target,
        detail: { ...storePage },
      },
    ];
  },
};
