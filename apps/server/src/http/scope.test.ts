import { asSystem, createCounter, createDocument, createRole, createShelf } from '@erp/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../testing.js';
import { routeRegistry } from './route.js';

/**
 * AUTH-2 on every endpoint: a user holding EVERY grant but scoped to store A probes store B's data
 * through each route. Denials must be 403/404; lists must come back without a trace of store B. A route
 * without a probe fails this test, so every new route is covered the day it is added.
 */
const getApp = useTestApp();

interface Fixture {
  storeB: number;
  storeBWarehouse: number;
  storeBAdmin: number;
  storeBDoc: number;
  storeBRole: number;
  retailCentre: number;
  dc: number;
  products: { apple: number };
}

type Req = { params?: Record<string, number | string>; query?: Record<string, string | number>; body?: unknown };
type Probe =
  | { kind: 'denied'; request: (f: Fixture) => Req }
  | { kind: 'filtered'; request: (f: Fixture) => Req; leaks: (body: any, f: Fixture) => boolean }
  | { kind: 'self'; why: string };

const denied = (request: (f: Fixture) => Req): Probe => ({ kind: 'denied', request });
const filtered = (request: (f: Fixture) => Req, leaks: (body: any, f: Fixture) => boolean): Probe => ({
  kind: 'filtered',
  request,
  leaks,
});
const self = (why: string): Probe => ({ kind: 'self', why });
const itemsOf = (body: any): any[] => (Array.isArray(body) ? body : (body.items ?? []));

const probes: Record<string, Probe[]> = {
  'GET /api/health': [self('public liveness check, no data')],
  'POST /api/auth/login': [self('public; identity comes from the credentials')],
  'POST /api/auth/logout': [self("ends the caller's own session")],
  'POST /api/auth/logout-all': [self("ends the caller's own sessions")],
  'POST /api/auth/password': [self("changes the caller's own password")],
  'GET /api/permissions': [self('the static catalog of grantable functions')],
  'GET /api/auth/me': [
    filtered(
      () => ({}),
      (b, f) => b.orgs.some((o: any) => o.id === f.storeB),
    ),
  ],
  'GET /api/orgs': [
    filtered(
      () => ({}),
      (b, f) => itemsOf(b).some((o) => o.id === f.storeB),
    ),
  ],
  'GET /api/orgs/:id': [denied((f) => ({ params: { id: f.storeB } }))],
  'POST /api/orgs': [
    denied((f) => ({ body: { parentId: f.retailCentre, code: 'HACK1', name: '越权门店', kind: 'store', storeMode: 'direct' } })),
  ],
  'PATCH /api/orgs/:id': [denied((f) => ({ params: { id: f.storeB }, body: { name: '被改名' } }))],
  'POST /api/stores/open': [
    denied((f) => ({ body: { parentId: f.retailCentre, code: 'HACK2', name: '越权开店', storeMode: 'direct' } })),
  ],
  'GET /api/orgs/:id/params': [denied((f) => ({ params: { id: f.storeB } }))],
  'PUT /api/orgs/:id/params': [denied((f) => ({ params: { id: f.storeB }, body: { allowNegativeStock: false } }))],
  'GET /api/orgs/:id/business-day': [denied((f) => ({ params: { id: f.storeB } }))],
  'GET /api/warehouses': [
    filtered(
      () => ({}),
      (b, f) => itemsOf(b).some((w) => w.orgId === f.storeB),
    ),
    denied((f) => ({ query: { orgId: f.storeB } })),
  ],
  'POST /api/warehouses': [denied((f) => ({ body: { orgId: f.storeB, code: 'HACK-W', name: '越权仓' } }))],
  'GET /api/orgs/:id/counters': [denied((f) => ({ params: { id: f.storeB } }))],
  'POST /api/counters': [denied((f) => ({ body: { orgId: f.storeB, code: 'HC', name: '越权柜组' } }))],
  'GET /api/warehouses/:id/shelves': [denied((f) => ({ params: { id: f.storeBWarehouse } }))],
  'POST /api/shelves': [denied((f) => ({ body: { warehouseId: f.storeBWarehouse, code: 'HS', name: '越权货架' } }))],
  'GET /api/distribution-relations': [
    filtered(
      () => ({}),
      (b, f) => itemsOf(b).some((r) => r.storeId === f.storeB),
    ),
    denied((f) => ({ query: { storeId: f.storeB } })),
  ],
  'PUT /api/distribution-relations': [denied((f) => ({ body: { storeId: f.storeB, dcId: f.dc, priority: 1, level: 1 } }))],
  'GET /api/doc-config': [denied((f) => ({ query: { orgId: f.storeB } }))],
  'PUT /api/doc-config': [
    denied((f) => ({ body: { orgId: f.storeB, docType: 'other_inbound', needsApproval: true, autoPost: false } })),
  ],
  'GET /api/users': [
    filtered(
      () => ({}),
      (b, f) => itemsOf(b).some((u) => u.orgId === f.storeB),
    ),
    denied((f) => ({ query: { orgId: f.storeB } })),
  ],
  'GET /api/users/:id': [denied((f) => ({ params: { id: f.storeBAdmin } }))],
  'POST /api/users': [
    denied((f) => ({ body: { login: 'hack_user', name: '越权用户', orgId: f.storeB, password: 'Abcdef12345' } })),
  ],
  'PATCH /api/users/:id': [denied((f) => ({ params: { id: f.storeBAdmin }, body: { active: false } }))],
  'POST /api/users/:id/reset-password': [
    denied((f) => ({ params: { id: f.storeBAdmin }, body: { newPassword: 'Abcdef12345' } })),
  ],
  'POST /api/users/:id/logout-all': [denied((f) => ({ params: { id: f.storeBAdmin } }))],
  'GET /api/roles': [
    filtered(
      () => ({}),
      (b, f) => itemsOf(b).some((r) => r.id === f.storeBRole),
    ),
  ],
  'GET /api/roles/:id': [denied((f) => ({ params: { id: f.storeBRole } }))],
  'POST /api/roles': [denied((f) => ({ body: { code: 'hack_role', name: '越权角色', orgId: f.storeB, grants: [] } }))],
  'PATCH /api/roles/:id': [denied((f) => ({ params: { id: f.storeBRole }, body: { name: '被改名' } }))],
  'GET /api/audit': [
    filtered(
      () => ({ query: { pageSize: 500 } }),
      (b, f) => itemsOf(b).some((e) => e.org_id === f.storeB),
    ),
  ],
  'GET /api/documents': [
    filtered(
      () => ({}),
      (b, f) => itemsOf(b).some((d) => d.orgId === f.storeB),
    ),
    denied((f) => ({ query: { orgId: f.storeB } })),
  ],
  'GET /api/documents/:id': [denied((f) => ({ params: { id: f.storeBDoc } }))],
  'GET /api/documents/:id/history': [denied((f) => ({ params: { id: f.storeBDoc } }))],
  'POST /api/documents': [
    denied((f) => ({
      body: {
        docType: 'other_inbound',
        orgId: f.storeB,
        warehouseId: f.storeBWarehouse,
        lines: [{ productId: f.products.apple, qty: '1' }],
      },
    })),
  ],
  'PUT /api/documents/:id': [denied((f) => ({ params: { id: f.storeBDoc }, body: { version: 1, remarks: '越权修改' } }))],
  'POST /api/documents/:id/transitions': [denied((f) => ({ params: { id: f.storeBDoc }, body: { action: 'void' } }))],
  'POST /api/documents/:id/line-decisions': [
    denied((f) => ({ params: { id: f.storeBDoc }, body: { decisions: [{ lineId: 1, decision: 'approved' }] } })),
  ],
  'POST /api/documents/:id/void-lines': [denied((f) => ({ params: { id: f.storeBDoc }, body: { lineIds: [1] } }))],
  'GET /api/stock/balances': [
    filtered(
      () => ({ query: { includeZero: 'true' } }),
      (b, f) => itemsOf(b).some((s) => s.orgId === f.storeB),
    ),
    denied((f) => ({ query: { warehouseId: f.storeBWarehouse } })),
    denied((f) => ({ query: { orgId: f.storeB } })),
  ],
  'GET /api/stock/ledger': [
    filtered(
      () => ({}),
      (b, f) => itemsOf(b).some((s) => s.warehouseId === f.storeBWarehouse),
    ),
    denied((f) => ({ query: { warehouseId: f.storeBWarehouse } })),
  ],
  'POST /api/stock/recalculate': [denied((f) => ({ body: { warehouseIds: [f.storeBWarehouse] } }))],
};

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
    };
  });
  // Post stock in store B so ledger and balance lists have something to leak.
  const { call } = getApp();
  await call('admin', { method: 'POST', url: `/api/documents/${fixture.storeBDoc}/transitions`, payload: { action: 'confirm' } });
});

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
          else if (probe.leaks(res.json(), fixture)) failures.push(`${key} leaks store B data`);
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
  });
});
