import { type PriceRowLike, type PriceType, pickPrice } from '@erp/contracts';
import { asUser, expectRefusal, useTestChain } from '@erp/test-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCategory } from '../catalog/category.service.js';
import { createProduct, getProduct, setStoreCatalog, updateProduct } from '../catalog/index.js';
import { createDocument, transition } from '../documents/documents.service.js';
import { updateOrg } from '../org/org.service.js';
import type { Ctx } from '../platform/context.js';
import { catalogChangesSince, catalogRowsSince } from './catalog-changes.service.js';
import { listPrices, resolvePrice, resolvePrices, setPrices } from './pricing.service.js';

const { database, chain } = useTestChain();

const admin = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), chain.users.hqAdmin, fn);
const storeAdminA = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), chain.users.storeAAdmin, fn);

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const t0 = Date.now();
const at = (offset: number) => new Date(t0 + offset);
const price = (productId: number, storeId: number, priceType: PriceType, when: Date) =>
  resolvePrice(database().db, { productId, storeId, priceType, at: when });

let p1: number;
let p2: number;

beforeAll(async () => {
  await admin(async (ctx) => {
    await updateOrg(ctx, chain.storeA.id, { region: '华东' });
    await updateOrg(ctx, chain.storeB.id, { region: '华南' });
    p1 = (
      await createProduct(ctx, {
        code: 'PR1',
        name: '可口可乐 330ml',
        prices: { retail: '3.00', member: '2.80', purchase: '1.90' },
      })
    ).id;
    p2 = (await createProduct(ctx, { code: 'PR2', name: '雪碧 330ml', prices: { retail: '3.20' } })).id;
  });
});

describe('price resolution (MD-2)', () => {
  it('answers the base price for every store from the start', async () => {
    expect(await price(p1, chain.storeA.id, 'retail', at(0))).toBe('3.00');
    expect(await price(p1, chain.storeB.id, 'member', new Date('2001-01-01T00:00:00Z'))).toBe('2.80');
    expect(await price(p2, chain.storeA.id, 'member', at(0))).toBeNull();
  });

  it('applies store override > region override > base, each from its own start', async () => {
    await admin((ctx) =>
      setPrices(ctx, {
        effectiveFrom: at(1 * HOUR).toISOString(),
        prices: [{ productId: p1, priceType: 'retail', price: '2.90', scope: 'region', region: '华东' }],
      }),
    );
    await admin((ctx) =>
      setPrices(ctx, {
        effectiveFrom: at(2 * HOUR).toISOString(),
        prices: [{ productId: p1, priceType: 'retail', price: '2.50', scope: 'store', storeId: chain.storeA.id }],
      }),
    );
    // Before any override: base. After the region row: region for A, base for B (other region).
    expect(await price(p1, chain.storeA.id, 'retail', at(30 * 60_000))).toBe('3.00');
    expect(await price(p1, chain.storeA.id, 'retail', at(90 * 60_000))).toBe('2.90');
    expect(await price(p1, chain.storeB.id, 'retail', at(90 * 60_000))).toBe('3.00');
    // After the store row: the store wins over its region.
    expect(await price(p1, chain.storeA.id, 'retail', at(3 * HOUR))).toBe('2.50');
    // A later base change does not beat the overrides (precedence is by level first, then date).
    await admin((ctx) =>
      setPrices(ctx, {
        effectiveFrom: at(4 * HOUR).toISOString(),
        prices: [{ productId: p1, priceType: 'retail', price: '3.50' }],
      }),
    );
    expect(await price(p1, chain.storeA.id, 'retail', at(5 * HOUR))).toBe('2.50');
    expect(await price(p1, chain.storeB.id, 'retail', at(5 * HOUR))).toBe('3.50');
    expect(await price(p1, chain.storeB.id, 'retail', at(3 * HOUR))).toBe('3.00');
    // Other types are untouched.
    expect(await price(p1, chain.storeA.id, 'member', at(5 * HOUR))).toBe('2.80');
  });

  it('ends a temporary price at effective_to and falls back to the row beneath', async () => {
    await admin((ctx) =>
      setPrices(ctx, {
        effectiveFrom: at(6 * HOUR).toISOString(),
        effectiveTo: at(8 * HOUR).toISOString(),
        prices: [{ productId: p2, priceType: 'retail', price: '2.00' }],
      }),
    );
    expect(await price(p2, chain.storeA.id, 'retail', at(6 * HOUR - 1))).toBe('3.20');
    expect(await price(p2, chain.storeA.id, 'retail', at(6 * HOUR))).toBe('2.00');
    expect(await price(p2, chain.storeA.id, 'retail', at(8 * HOUR - 1))).toBe('2.00');
    expect(await price(p2, chain.storeA.id, 'retail', at(8 * HOUR))).toBe('3.20');
  });

  it('answers many products and types in one call', async () => {
    const map = await resolvePrices(database().db, {
      storeId: chain.storeA.id,
      productIds: [p1, p2, chain.products.apple],
      priceTypes: ['retail', 'member', 'purchase'],
      at: at(5 * HOUR),
    });
    expect(map.get(p1)).toEqual({ retail: '2.50', member: '2.80', purchase: '1.90' });
    expect(map.get(p2)).toEqual({ retail: '3.20' });
    expect(map.has(chain.products.apple)).toBe(false);
  });

  it('agrees with the pure pickPrice the till uses, at every time and store', async () => {
    const rows = await admin((ctx) => listPrices(ctx, { page: 1, pageSize: 500, order: 'asc', productId: p1 }));
    const like: PriceRowLike[] = [...rows.items].reverse();
    for (const store of [chain.storeA, chain.storeB]) {
      const region = store.id === chain.storeA.id ? '华东' : '华南';
      for (const h of [-1, 0, 0.5, 1, 1.5, 2, 3, 4, 4.5, 9, 100]) {
        for (const type of ['retail', 'member', 'wholesale'] as const) {
          const when = at(h * HOUR);
          expect(pickPrice(like, { priceType: type, storeId: store.id, region, at: when }), `${store.id} ${type} ${h}h`).toBe(
            await price(p1, store.id, type, when),
          );
        }
      }
    }
  });

  it('never rewrites the past: direct prices cannot start before now', async () => {
    await expectRefusal(
      admin((ctx) =>
        setPrices(ctx, { effectiveFrom: at(-DAY).toISOString(), prices: [{ productId: p1, priceType: 'retail', price: '1' }] }),
      ),
      'VALIDATION_FAILED',
    );
  });

  it('lets a store set only its own prices, and only HQ set company-wide ones', async () => {
    await expectRefusal(
      storeAdminA((ctx) => setPrices(ctx, { prices: [{ productId: p1, priceType: 'retail', price: '1' }] })),
      'FORBIDDEN',
    );
  });
});

describe('price-change document (调价单)', () => {
  async function priceChange(lines: object[], attrs: object, orgId = chain.hqId) {
    return admin((ctx) => createDocument(ctx, { docType: 'price_change', orgId, attrs: attrs as never, lines: lines as never }));
  }

  it('needs approval and schedules its prices for its start time, leaving the past as it was', async () => {
    const start = at(10 * DAY);
    const doc = await priceChange(
      [
        { productId: p2, unitPrice: '3.60', attrs: { priceType: 'retail' } },
        { productId: p2, unitPrice: '3.40', attrs: { priceType: 'member', scope: 'region', region: '华东' } },
        { productId: p2, unitPrice: '3.30', attrs: { priceType: 'retail', scope: 'store', storeId: chain.storeB.id } },
      ],
      { effectiveFrom: start.toISOString() },
    );
    expect(doc.number).toMatch(/^PCHQ-/);
    await expectRefusal(
      admin((ctx) => transition(ctx, doc.id, 'confirm')),
      'DOC_INVALID_TRANSITION',
    );
    await admin((ctx) => transition(ctx, doc.id, 'submit'));
    await admin((ctx) => transition(ctx, doc.id, 'approve'));
    const before = await price(p2, chain.storeA.id, 'retail', at(9 * DAY));
    await admin((ctx) => transition(ctx, doc.id, 'confirm'));
    // Nothing changes before the start time, in the past or now.
    expect(await price(p2, chain.storeA.id, 'retail', at(9 * DAY))).toBe(before);
    expect(await price(p2, chain.storeA.id, 'retail', at(7 * HOUR))).toBe('2.00');
    expect(await price(p2, chain.storeA.id, 'retail', at(-DAY))).toBe('3.20');
    // From the start: the new base price, the region's member price, store B's own price.
    expect(await price(p2, chain.storeA.id, 'retail', start)).toBe('3.60');
    expect(await price(p2, chain.storeA.id, 'member', start)).toBe('3.40');
    expect(await price(p2, chain.storeB.id, 'member', start)).toBeNull();
    expect(await price(p2, chain.storeB.id, 'retail', start)).toBe('3.30');
  });

  it('takes effect at confirmation when its start time has already passed', async () => {
    const doc = await priceChange([{ productId: p1, unitPrice: '1.99', attrs: { priceType: 'purchase' } }], {
      effectiveFrom: at(-DAY).toISOString(),
    });
    await admin((ctx) => transition(ctx, doc.id, 'submit'));
    await admin((ctx) => transition(ctx, doc.id, 'approve'));
    await admin((ctx) => transition(ctx, doc.id, 'confirm'));
    expect(await price(p1, chain.storeA.id, 'purchase', at(-HOUR))).toBe('1.90');
    expect(await price(p1, chain.storeA.id, 'purchase', new Date(Date.now() + 1000))).toBe('1.99');
    // Already in effect: it can no longer be voided.
    await expectRefusal(
      admin((ctx) => transition(ctx, doc.id, 'void')),
      'PRICE_ALREADY_EFFECTIVE',
    );
  });

  it('voiding a confirmed change before its start cancels its prices', async () => {
    const start = at(20 * DAY);
    const doc = await priceChange([{ productId: p1, unitPrice: '9.99', attrs: { priceType: 'retail' } }], {
      effectiveFrom: start.toISOString(),
    });
    await admin((ctx) => transition(ctx, doc.id, 'submit'));
    await admin((ctx) => transition(ctx, doc.id, 'approve'));
    await admin((ctx) => transition(ctx, doc.id, 'confirm'));
    expect(await price(p1, chain.storeB.id, 'retail', start)).toBe('9.99');
    await admin((ctx) => transition(ctx, doc.id, 'void', { comment: '撤销' }));
    expect(await price(p1, chain.storeB.id, 'retail', start)).toBe('3.50');
  });

  it('refuses bad lines: missing price type, inconsistent scope, duplicates', async () => {
    await expectRefusal(priceChange([{ productId: p1, unitPrice: '1', attrs: {} }], {}), 'VALIDATION_FAILED');
    await expectRefusal(
      priceChange([{ productId: p1, unitPrice: '1', attrs: { priceType: 'retail', scope: 'store' } }], {}),
      'VALIDATION_FAILED',
    );
    await expectRefusal(
      priceChange(
        [
          { productId: p1, unitPrice: '1', attrs: { priceType: 'retail' } },
          { productId: p1, unitPrice: '2', attrs: { priceType: 'retail' } },
        ],
        {},
      ),
      'VALIDATION_FAILED',
    );
  });

  it("limits a store's own price change to that store", async () => {
    await expectRefusal(
      priceChange([{ productId: p1, unitPrice: '1', attrs: { priceType: 'retail' } }], {}, chain.storeA.id),
      'VALIDATION_FAILED',
    );
    const ok = await priceChange(
      [{ productId: p1, unitPrice: '2.20', attrs: { priceType: 'retail', scope: 'store', storeId: chain.storeA.id } }],
      {},
      chain.storeA.id,
    );
    expect(ok.lines).toHaveLength(1);
  });
});

describe('till delta sync', () => {
  it('returns what changed after a cursor, pages through it, and then nothing', async () => {
    const first = await catalogChangesSince(database().db, { storeId: chain.storeA.id, cursor: 0, limit: 100_000 });
    expect(first.hasMore).toBe(false);
    expect(first.region).toBe('华东');
    expect(first.products.map((p) => p.code)).toEqual(expect.arrayContaining(['P001', 'PR1', 'PR2']));
    // Store B's own rows never reach store A's till.
    expect(first.prices.some((p) => p.storeId === chain.storeB.id)).toBe(false);
    expect(first.prices.some((p) => p.scope === 'region' && p.region === '华东')).toBe(true);
    const again = await catalogChangesSince(database().db, { storeId: chain.storeA.id, cursor: first.cursor });
    expect(again.products.length + again.barcodes.length + again.prices.length).toBe(0);

    // Paging: three rows at a time reaches the same set.
    let cursor = 0;
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const page = await catalogChangesSince(database().db, { storeId: chain.storeA.id, cursor, limit: 3 });
      for (const p of page.products) seen.add(`p${p.id}`);
      for (const p of page.prices) seen.add(`x${p.id}`);
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    expect(seen.size).toBe(first.products.length + first.prices.length);

    // An edit and a new barcode show up after the cursor; a removed barcode arrives as inactive.
    const prod = first.products.find((p) => p.code === 'PR1')!;
    await admin((ctx) => updateProduct(ctx, prod.id, { version: prod.version, barcodes: [{ barcode: '6901234567892' }] }));
    const delta = await catalogChangesSince(database().db, { storeId: chain.storeA.id, cursor: first.cursor });
    expect(delta.products.map((p) => p.code)).toEqual(['PR1']);
    expect(delta.barcodes.map((b) => [b.barcode, b.active])).toEqual([['6901234567892', true]]);
    const p1now = delta.products[0]!;
    await admin((ctx) => updateProduct(ctx, p1now.id, { version: p1now.version, barcodes: [] }));
    const removed = await catalogChangesSince(database().db, { storeId: chain.storeA.id, cursor: delta.cursor });
    expect(removed.barcodes.map((b) => [b.barcode, b.active])).toEqual([['6901234567892', false]]);
  });

  it('asks for a full resync when the store assortment changes, and marks what the store carries', async () => {
    const drinks = await admin((ctx) => createCategory(ctx, { code: 'DRK', name: '饮料' }));
    const pr1 = await admin((ctx) => getProduct(ctx, p1));
    await admin((ctx) => updateProduct(ctx, p1, { version: pr1.version, categoryId: drinks.id }));
    const mid = await catalogChangesSince(database().db, { storeId: chain.storeA.id, cursor: 0, limit: 100_000 });
    await admin((ctx) => setStoreCatalog(ctx, chain.storeA.id, { categoryIds: [drinks.id] }));
    const signal = await catalogChangesSince(database().db, { storeId: chain.storeA.id, cursor: mid.cursor });
    expect(signal.resync).toBe(true);
    const full = await catalogChangesSince(database().db, { storeId: chain.storeA.id, cursor: 0, limit: 100_000 });
    expect(full.resync).toBe(false);
    expect(full.products.find((p) => p.id === p1)?.carried).toBe(true);
    expect(full.products.find((p) => p.id === p2)?.carried).toBe(false);
    const after = await catalogChangesSince(database().db, { storeId: chain.storeA.id, cursor: full.cursor });
    expect(after.resync).toBe(false);
  });

  it("the till's lean feed: the same rows as the full feed, as SYNC_COLUMNS arrays, each page read exactly", async () => {
    const db = database().db;
    const storeId = chain.storeA.id;
    // The store has an assortment stamped after most rows: a cold load's later pages are below the stamp.
    const snacks = await admin((ctx) => createCategory(ctx, { code: 'SNK', name: '零食' }));
    await admin((ctx) => setStoreCatalog(ctx, storeId, { categoryIds: [snacks.id] }));
    const full = await catalogChangesSince(db, { storeId, cursor: 0, limit: 20_000 });
    const lean = await catalogRowsSince(db, { storeId, cursor: 0, limit: 50_000 });
    const bit = (b: boolean) => (b ? 1 : 0);
    expect(lean.hasMore).toBe(false);
    expect(lean.cursor).toBe(full.cursor);
    expect(lean.products).toEqual(
      full.products.map((x) => [
        x.id,
        x.code,
        x.name,
        x.spec,
        x.pinyin,
        x.baseUnitName,
        x.categoryId,
        bit(x.weighed),
        x.scaleCode,
        bit(x.carried && !x.discontinued),
        bit(x.prescription),
        bit(x.batchTracked),
      ]),
    );
    expect(lean.barcodes).toEqual(
      full.barcodes.map((b) => [b.barcode, b.productId, b.unitId, b.kind, bit(b.isPrimary), bit(b.active)]),
    );
    expect(lean.prices).toEqual(
      full.prices
        .filter((x) => x.priceType === 'retail' || x.priceType === 'member')
        .map((x) => [
          x.id,
          x.productId,
          x.priceType,
          x.scope,
          x.region,
          x.storeId,
          x.price,
          x.effectiveFrom,
          x.effectiveTo,
          bit(x.cancelled),
        ]),
    );
    expect(lean.products.length).toBeGreaterThan(3);
    // Two rows a page, carrying the stamp seen at the start: every row once, in order, no page over its limit.
    let cursor = 0;
    let stamp: number | undefined;
    const paged = { products: [] as unknown[], barcodes: [] as unknown[], prices: [] as unknown[] };
    for (let i = 0; i < 1000; i++) {
      const page = await catalogRowsSince(db, { storeId, cursor, limit: 2, assortmentSeq: stamp });
      expect(page.resync).toBe(false);
      expect(page.products.length + page.barcodes.length + page.prices.length).toBeLessThanOrEqual(2);
      paged.products.push(...page.products);
      paged.barcodes.push(...page.barcodes);
      paged.prices.push(...page.prices);
      cursor = page.cursor;
      stamp ??= page.assortmentSeq;
      if (!page.hasMore) break;
    }
    expect(paged).toEqual({ products: lean.products, barcodes: lean.barcodes, prices: lean.prices });
    expect(cursor).toBe(lean.cursor);
    const none = await catalogRowsSince(db, { storeId, cursor, limit: 2, assortmentSeq: stamp });
    expect([none.products.length, none.barcodes.length, none.prices.length, none.hasMore, none.resync]).toEqual([
      0,
      0,
      0,
      false,
      false,
    ]);
    // The assortment changes after the till's copy: start again.
    await admin((ctx) => setStoreCatalog(ctx, storeId, { categoryIds: [] }));
    expect((await catalogRowsSince(db, { storeId, cursor, limit: 2, assortmentSeq: stamp })).resync).toBe(true);
  });
});
