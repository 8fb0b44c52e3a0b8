import { asSystem, createCounter, createDocument, createRole, createShelf } from '@erp/core';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../testing.js';
import { routeRegistry } from './route.js';
import { moduleProbes } from './scope-probes/index.js';
import { type Fixture, type Probe, type Req, xlsxMentions } from './scope-probes/probe.js';
import { spineProbes } from './scope-probes/spine.js';

/**
 * AUTH-2 on every endpoint: a user holding EVERY grant but scoped to store A probes store B's data
 * through each route. Denials must be 403/404; lists must come back without a trace of store B. A route
 * without a probe fails this test, so every new route is covered the day it is added.
 */
const getApp = useTestApp();

const modules = moduleProbes;
const probes: Record<string, Probe[]> = Object.assign({}, spineProbes, ...modules.map((m) => m.probes));

let fixture: Fixture;

beforeAll(async () => {
  const { database, chain } = getApp();
  fixture = await asSystem(database.db, async (ctx) => {
    const doc = await createDocument(ctx, {
      docType: 'other_inbound',
      orgId: chain.storeB.id,
      warehouseId: chain.storeB.warehouseId,
      lines: [{ productId: chain.products.apple, qty: '3', unitPrice: '2.5' }],
    });
    const role = await createRole(ctx, { code: 'sb_special', name: '门店B专用角色', orgId: chain.storeB.id, grants: [] });
    await createCounter(ctx, { orgId: chain.storeB.id, code: 'B-C1', name: '门店B柜组' });
    await createShelf(ctx, { warehouseId: chain.storeB.warehouseId, code: 'B-S1', name: '门店B货架' });
    return {
      storeB: chain.storeB.id,
      storeBWarehouse: chain.storeB.warehouseId,
      storeBAdmin: chain.users.storeBAdmin,
      storeBDoc: doc.id,
      storeBRole: role.id,
      retailCentre: chain.retailCentreId,
      dc: chain.dcId,
      products: { apple: chain.products.apple },
      m: {},
    };
  });
  for (const m of modules) if (m.setup) Object.assign(fixture.m, await m.setup(database, chain));
  // Post stock in store B so ledger and balance lists have something to leak.
  const { call } = getApp();
  await call('admin', { method: 'POST', url: `/api/documents/${fixture.storeBDoc}/transitions`, payload: { action: 'confirm' } });
});

/** JSON bodies as parsed; .xlsx downloads as the rows of their first sheet (cell values as strings). */
async function bodyOf(res: { headers: Record<string, unknown>; rawPayload: Buffer; json(): unknown }): Promise<unknown> {
  if (!String(res.headers['content-type']).includes('spreadsheetml')) return res.json();
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.worksheets[0]?.eachRow((row) => {
    rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v))));
  });
  return rows;
}

function buildUrl(url: string, req: Req): string {
  let out = url;
  for (const [k, v] of Object.entries(req.params ?? {})) out = out.replace(`:${k}`, String(v));
  const qs = new URLSearchParams(Object.entries(req.query ?? {}).map(([k, v]) => [k, String(v)])).toString();
  return qs ? `${out}?${qs}` : out;
}

describe('data scope on every endpoint (AUTH-2)', () => {
  it('has a probe for every registered route', () => {
    const missing = routeRegistry.map((r) => `${r.method} ${r.url}`).filter((k) => !probes[k]);
    expect(missing).toEqual([]);
  });

  it('store A (holding every grant) gets 403/404 or nothing of store B on every route', async () => {
    const { call, database } = getApp();
    const failures: string[] = [];
    for (const route of routeRegistry) {
      const key = `${route.method} ${route.url}`;
      for (const probe of probes[key] ?? []) {
        if (probe.kind === 'self') continue;
        const req = probe.request(fixture);
        const res = await call('sa_super', {
          method: route.method,
          url: buildUrl(route.url, req),
          ...(req.body !== undefined ? { payload: req.body as object } : {}),
        });
        if (probe.kind === 'denied' && res.statusCode !== 403 && res.statusCode !== 404) {
          failures.push(`${key} (${probe.kind}) → ${res.statusCode} ${res.body.slice(0, 200)}`);
        }
        if (probe.kind === 'filtered') {
          if (res.statusCode !== 200) failures.push(`${key} (filtered) → ${res.statusCode} ${res.body.slice(0, 200)}`);
          else if (probe.leaks(await bodyOf(res), fixture)) failures.push(`${key} leaks store B data`);
        }
      }
    }
    expect(failures).toEqual([]);
    // Nothing the probes sent changed store B.
    const doc = await database.db
      .selectFrom('document')
      .select(['status', 'remarks'])
      .where('id', '=', fixture.storeBDoc)
      .executeTakeFirstOrThrow();
    expect(doc.status).toBe('posted');
    expect(doc.remarks).toBeNull();
    const org = await database.db.selectFrom('org').select('name').where('id', '=', fixture.storeB).executeTakeFirstOrThrow();
    expect(org.name).toBe('门店B');
    const user = await database.db
      .selectFrom('app_user')
      .select('active')
      .where('id', '=', fixture.storeBAdmin)
      .executeTakeFirstOrThrow();
    expect(user.active).toBe(true);
  });

  it('the probes are real: HQ admin gets 2xx on the denied reads', async () => {
    const { call } = getApp();
    for (const key of ['GET /api/orgs/:id', 'GET /api/documents/:id', 'GET /api/users/:id', 'GET /api/roles/:id']) {
      const [method, url] = key.split(' ') as [string, string];
      const probe = probes[key]?.[0];
      if (probe?.kind !== 'denied') throw new Error(key);
      const res = await call('admin', { method: method as 'GET', url: buildUrl(url, probe.request(fixture)) });
      expect(res.statusCode, key).toBe(200);
    }
    // And the export probes read real spreadsheets: HQ's export does contain store B.
    const orgs = await call('admin', { method: 'GET', url: '/api/orgs/export' });
    expect(xlsxMentions(await bodyOf(orgs), '门店B')).toBe(true);
  });
});
