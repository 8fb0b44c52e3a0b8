import { dec, money, withCheckDigit } from '@erp/contracts';
import { asSystem, bulkUpsertBarcodes, bulkUpsertProducts, setPrices } from '@erp/core';
import { benchPrice } from '../chain.js';
import type { BenchServer } from '../http.js';
import type { BenchContext, Benchmark, Figure } from '../model.js';
import { round } from '../stats.js';
import { type BenchTill, benchTills } from '../tills.js';

interface SyncOutcome {
  seconds: number;
  bytes: number;
  requests: number;
  products: number;
  barcodes: number;
  prices: number;
  cursor: string;
}

/** Pages through the till's sync from `cursor` (none = cold load) until nothing more is waiting. */
async function sync(server: BenchServer, till: BenchTill, cursor: string | undefined): Promise<SyncOutcome> {
  const started = performance.now();
  const out = { seconds: 0, bytes: 0, requests: 0, products: 0, barcodes: 0, prices: 0, cursor: cursor ?? '' };
  for (;;) {
    const query = `limit=20000${out.cursor ? `&cursor=${encodeURIComponent(out.cursor)}` : ''}`;
    const res = await server.request('GET', `/api/pos/sync?${query}`, till.headers);
    if (res.status !== 200) throw new Error(`sync: ${res.status} ${res.body.slice(0, 300)}`);
    // The till parses every page before it stores it; parsing is part of the load.
    const page = JSON.parse(res.body) as {
      cursor: string;
      hasMore: boolean;
      products: unknown[];
      barcodes: unknown[];
      prices: unknown[];
    };
    out.bytes += res.bytes;
    out.requests++;
    out.products += page.products.length;
    out.barcodes += page.barcodes.length;
    out.prices += page.prices.length;
    out.cursor = page.cursor;
    if (!page.hasMore) break;
  }
  out.seconds = (performance.now() - started) / 1000;
  return out;
}

/**
 * POS-9: a till's catalog sync through the API. Setup tops the catalog up to the scale's size through the
 * master-data module's own bulk services (products with pinyin, an EAN-13 barcode each, retail prices).
 * Cold load: every page from no cursor. Delta: after 1,000 price changes, from the cursor of the cold load.
 * The till's own IndexedDB write is not in these figures (the till client has not landed); transfer and
 * parsing are.
 */
export const posCatalog: Benchmark = {
  id: 'pos-catalog',
  title: 'POS 商品同步 Till catalog sync',
  figures: [
    { id: 'cold-load', engines: ['pglite', 'postgres'] },
    { id: 'cold-load-bytes', engines: ['pglite', 'postgres'] },
    { id: 'delta', engines: ['pglite', 'postgres'] },
    { id: 'delta-bytes', engines: ['pglite', 'postgres'] },
  ],
  async run(ctx: BenchContext): Promise<Figure[]> {
    const { db } = ctx.engine.database;
    const server = await ctx.server();
    const till = (await benchTills(ctx, 1))[0] as BenchTill;
    const size = ctx.scale.catalogProducts;
    const changes = ctx.scale.priceChanges;

    // Top the catalog up to `size` products, each with a barcode and a retail price, through the services.
    const setupStarted = performance.now();
    const extra = Math.max(0, size - ctx.chain.productIds.length);
    const rows = Array.from({ length: extra }, (_, i) => ({
      code: `C${String(i + 1).padStart(6, '0')}`,
      name: `${['农夫山泉', '康师傅', '伊利', '蒙牛', '统一', '旺旺', '双汇', '金龙鱼'][i % 8]}基准商品${i + 1}`,
      spec: ['500ml', '1L', '250g', '5kg'][i % 4] as string,
    }));
    const created = await asSystem(db, (c) => bulkUpsertProducts(c, rows, { source: 'bench' }));
    const catalog = [...ctx.chain.productIds, ...rows.map((r) => created.ids.get(r.code) as number)];
    await asSystem(db, (c) =>
      bulkUpsertBarcodes(
        c,
        catalog.map((productId) => ({
          barcode: withCheckDigit(`69${String(productId).padStart(10, '0')}`),
          productId,
          kind: 'ean13' as const,
          unitId: null,
          isPrimary: true,
        })),
        { source: 'bench' },
      ),
    );
    const newIds = rows.map((r) => created.ids.get(r.code) as number);
    for (let i = 0; i < newIds.length; i += 5000) {
      const part = newIds.slice(i, i + 5000);
      await asSystem(db, (c) =>
        setPrices(c, { prices: part.map((productId) => ({ productId, priceType: 'retail', price: benchPrice(productId) })) }),
      );
    }
    ctx.log(
      `catalog of ${catalog.length.toLocaleString('en')} products ready in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`,
    );

    const cold = await sync(server, till, undefined);
    if (cold.products < catalog.length || cold.barcodes < catalog.length || cold.prices < catalog.length) {
      throw new Error(
        `cold load brought ${cold.products} products, ${cold.barcodes} barcodes, ${cold.prices} prices for ${catalog.length}`,
      );
    }
    ctx.log(`cold load ${cold.seconds.toFixed(2)} s, ${(cold.bytes / 1e6).toFixed(1)} MB in ${cold.requests} requests`);

    // 1,000 price changes (every n-th product, 10 cents dearer), effective now.
    const step = Math.max(1, Math.floor(catalog.length / changes));
    const changed = Array.from({ length: changes }, (_, i) => catalog[(i * step) % catalog.length] as number);
    for (let i = 0; i < changed.length; i += 5000) {
      const part = changed.slice(i, i + 5000);
      await asSystem(db, (c) =>
        setPrices(c, {
          prices: part.map((productId) => ({
            productId,
            priceType: 'retail',
            price: money(dec(benchPrice(productId)).plus('0.10')),
          })),
        }),
      );
    }
    const delta = await sync(server, till, cold.cursor);
    if (delta.prices < changes) throw new Error(`delta brought ${delta.prices} price rows for ${changes} changes`);
    ctx.log(`delta ${delta.seconds.toFixed(3)} s, ${(delta.bytes / 1024).toFixed(0)} KB`);

    const base = { benchmark: this.id, engine: ctx.engine.kind } as const;
    const n = catalog.length.toLocaleString('en');
    return [
      {
        ...base,
        id: 'cold-load',
        name: `cold load of ${n} products (GET /api/pos/sync, all pages, parsed)`,
        value: round(cold.seconds),
        unit: 's',
        ratio: round(cold.seconds / 5, 2),
        target: { on: 'value', op: '<=', bound: 5, text: '≤ 5 s (100,000 products)' },
        detail: { requests: cold.requests, products: cold.products, barcodes: cold.barcodes, prices: cold.prices },
      },
      {
        ...base,
        id: 'cold-load-bytes',
        name: `cold load of ${n} products: bytes transferred (uncompressed JSON)`,
        value: round(cold.bytes / 1024, 0),
        unit: 'KB',
      },
      {
        ...base,
        id: 'delta',
        name: `delta sync after ${changes.toLocaleString('en')} price changes`,
        value: round(delta.seconds),
        unit: 's',
        ratio: round(delta.seconds / 1, 2),
        target: { on: 'value', op: '<=', bound: 1, text: '≤ 1 s' },
        detail: { requests: delta.requests, products: delta.products, barcodes: delta.barcodes, prices: delta.prices },
      },
      {
        ...base,
        id: 'delta-bytes',
        name: `delta sync after ${changes.toLocaleString('en')} price changes: bytes transferred`,
        value: round(delta.bytes / 1024, 1),
        unit: 'KB',
        ratio: round(delta.bytes / 1024 / 200, 2),
        target: { on: 'value', op: '<=', bound: 200, text: '≤ 200 KB' },
      },
    ];
  },
};
