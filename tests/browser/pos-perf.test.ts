import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEMO_PASSWORD, seedDemo, syncBuiltinRoles } from '@erp/core';
import { type Database, migrateToLatest, openDatabase, sql } from '@erp/db';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../apps/server/src/app';
import { type Browser, openBrowser } from './browser';

// POS-1: "adding a scanned item must feel instant with a 100,000-product catalog". A server of its own with the
// demo chain plus 100,000 products (barcodes, retail prices) written set-based, the till built for production,
// a cold sync of the whole catalog into IndexedDB, then scans typed like a wedge scanner: the time from the
// scanner's Enter to the new line painted is measured in the page. Runs with POS_PERF=1 (it takes minutes).

const root = resolve(import.meta.dirname, '../..');
const CATALOG = Number(process.env.POS_PERF_PRODUCTS ?? 100_000);
const SCANS = Number(process.env.POS_PERF_SCANS ?? 200);
const PIN = '246810';

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

describe.skipIf(!process.env.POS_PERF)('till scan speed on a 100,000-product catalog', () => {
  let database: Database;
  let app: FastifyInstance;
  let baseUrl: string;
  let b: Browser;
  let pairingCode: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'erp-pos-perf-'));
  const webDist = mkdtempSync(join(tmpdir(), 'erp-pos-web-'));
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    // The production build of the web app (the React development build is several times slower).
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    const { build } = await import('vite');
    await build({
      root: join(root, 'apps/web'),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir: webDist, emptyOutDir: true },
    });
    process.env.NODE_ENV = env;

    database = await openDatabase({ dataDir });
    await migrateToLatest(database.db);
    await syncBuiltinRoles(database.db);
    await seedDemo(database);
    let t = Date.now();
    // In a category the store carries (its 门店基础资料), so the till may sell them.
    const cat = await sql<{ id: number | null }>`
      select coalesce((select sc.category_ids[1] from store_catalog sc join org o on o.id = sc.store_id
                        where o.code = 'S003' and cardinality(sc.category_ids) > 0),
                      (select min(id) from category)) as id`.execute(database.db);
    await sql`
      insert into product (code, name, pinyin, spec, tax_rate, category_id)
      select 'BK' || lpad(g::text, 6, '0'), '批量商品' || g, 'plsp' || g, '500g', 13, ${cat.rows[0]?.id ?? null}::int
        from generate_series(1, ${CATALOG}::int) g`.execute(database.db);
    await sql`
      insert into product_barcode (barcode, product_id, kind, is_primary)
      select b.body || ((10 - (select sum(substr(b.body, i, 1)::int * (case when i % 2 = 0 then 3 else 1 end))
                                  from generate_series(1, 12) i) % 10) % 10)::text, b.id, 'ean13', true
        from (select p.id, '69' || lpad(substr(p.code, 3), 10, '0') as body from product p where p.code like 'BK%') b`.execute(
      database.db,
    );
    await sql`
      insert into price (product_id, price_type, scope, price, effective_from, source)
      select p.id, 'retail', 'all', (1 + (p.id % 97) * 0.37)::numeric(14,2), '2020-01-01T00:00:00Z', 'import'
        from product p where p.code like 'BK%'`.execute(database.db);
    await sql`analyze`.execute(database.db);
    timings.seedCatalogMs = Date.now() - t;

    app = await buildApp({ database, webDist, loginRateLimit: 1000 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

    const login = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 's003_mgr', password: DEMO_PASSWORD, mode: 'bearer' }),
    });
    const { token } = (await login.json()) as { token: string };
    const call = async <T>(method: string, url: string, body?: unknown) => {
      const r = await fetch(`${baseUrl}${url}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': crypto.randomUUID(),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!r.ok) throw new Error(`${method} ${url} ${r.status} ${await r.text()}`);
      return (await r.json()) as T;
    };
    const orgs = await call<{ id: number; code: string }[]>('GET', '/api/orgs');
    const storeId = orgs.find((o) => o.code === 'S003')!.id;
    pairingCode = (await call<{ pairingCode: string }>('POST', '/api/pos/terminals', { storeId, code: 'PERF01', name: 'perf' }))
      .pairingCode;
    const cashiers = await call<{ userId: number; login: string }[]>('GET', `/api/pos/stores/${storeId}/cashiers`);
    await call('PUT', `/api/pos/cashiers/${cashiers.find((c) => c.login === 's003_cash')!.userId}`, { pin: PIN });
    b = await openBrowser();
    timings.setupMs = Date.now() - t;
    t = Date.now();
  }, 900_000);

  afterAll(async () => {
    await b?.close();
    await app?.close();
    await database?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(webDist, { recursive: true, force: true });
  });

  it('syncs the catalog cold, then adds each scanned item within a frame or two', async () => {
    const { page } = b;
    await page.goto(`${baseUrl}/pos/`);
    await page.getByTestId('pair-code').fill(pairingCode);
    await page.getByTestId('pair-submit').click();
    await page.getByTestId('signin-login').fill('s003_cash');
    await page.getByTestId('signin-pin').fill(PIN);
    const t0 = Date.now();
    await page.getByTestId('signin-pin').press('Enter');
    await page.getByTestId('shift-float').waitFor({ timeout: 600_000 });
    timings.coldSyncMs = Date.now() - t0;
    const sync = await page.evaluate(() => window.__tillSync);
    timings.coldSyncPages = sync?.pages ?? 0;
    timings.coldSyncFetchMs = Math.round(sync?.fetchMs ?? 0);
    timings.coldSyncStoreMs = Math.round(sync?.storeMs ?? 0);
    const syncError = (await page.getByTestId('sync-error').count())
      ? await page.getByTestId('sync-error').getAttribute('title')
      : null;
    expect(syncError).toBeNull();
    const stored = await page.evaluate(async () => {
      const open = indexedDB.open('erp-till');
      const idb = await new Promise<IDBDatabase>((ok, fail) => {
        open.onsuccess = () => ok(open.result);
        open.onerror = () => fail(open.error);
      });
      const count = (store: string) =>
        new Promise<number>((ok) => {
          const r = idb.transaction(store).objectStore(store).count();
          r.onsuccess = () => ok(r.result);
        });
      const out = { products: await count('products'), barcodes: await count('barcodes'), prices: await count('prices') };
      idb.close();
      return out;
    });
    expect(stored.products).toBeGreaterThanOrEqual(CATALOG);
    expect(stored.barcodes).toBeGreaterThanOrEqual(CATALOG);
    await page.getByTestId('shift-float').press('Enter');
    await page.getByTestId('scan-input').waitFor();

    // Barcodes of random products across the whole catalog (the same formula as the SQL above).
    const ean = (n: number) => {
      const body = `69${String(n).padStart(10, '0')}`;
      let s = 0;
      for (let i = 0; i < 12; i++) s += Number(body[i]) * (i % 2 === 1 ? 3 : 1);
      return body + ((10 - (s % 10)) % 10);
    };
    const picks = Array.from({ length: SCANS }, (_, i) => 1 + ((i * 7919 + 13) % CATALOG));
    const outside: number[] = [];
    const input = page.getByTestId('scan-input');
    for (const [i, n] of picks.entries()) {
      const before = await page.getByTestId('cart-line').count();
      await input.pressSequentially(ean(n), { delay: 3 });
      const t = Date.now();
      await input.press('Enter');
      await page.getByTestId('cart-line').nth(before).waitFor();
      outside.push(Date.now() - t);
      // A sale of 25 lines, then the next customer.
      if ((i + 1) % 25 === 0) {
        await page.keyboard.press('F12');
        await page.getByTestId('pay-amount').press('Enter');
        await page.getByTestId('pay-dialog').waitFor({ state: 'detached' });
      }
    }
    const inPage = (await page.evaluate(() => window.__tillPerf ?? [])).slice(-SCANS).sort((a, b) => a - b);
    const outSorted = [...outside].sort((a, b) => a - b);
    const lookups = (await page.evaluate(() => window.__tillLookup ?? [])).slice(-SCANS).sort((a, b) => a - b);
    const result = {
      catalog: CATALOG,
      scans: SCANS,
      ...timings,
      stored,
      scanToLineMs: {
        p50: Number(percentile(inPage, 50).toFixed(1)),
        p95: Number(percentile(inPage, 95).toFixed(1)),
        max: Number((inPage[inPage.length - 1] ?? 0).toFixed(1)),
      },
      scanToCatalogAnswerMs: {
        p50: Number(percentile(lookups, 50).toFixed(1)),
        p95: Number(percentile(lookups, 95).toFixed(1)),
      },
      scanToLineSeenByTestMs: { p50: percentile(outSorted, 50), p95: percentile(outSorted, 95) },
    };
    mkdirSync(join(root, 'test-results'), { recursive: true });
    writeFileSync(join(root, 'test-results/pos-perf.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log('till scan speed', JSON.stringify(result));
    expect(inPage.length).toBe(SCANS);
    // "Instant": well under the ~100 ms a person notices, on this 2-core machine.
    expect(result.scanToLineMs.p95).toBeLessThan(100);
  }, 900_000);
});
