import { denied, filtered, itemsOf, type Probe, self, xlsxMentions } from './probe.js';

export const spineProbes: Record<string, Probe[]> = {
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
  'GET /api/orgs/export': [
    filtered(
      () => ({}),
      (rows) => xlsxMentions(rows, '门店B'),
    ),
  ],
  'GET /api/users/export': [
    filtered(
      () => ({}),
      (rows) => xlsxMentions(rows, 'sb_admin'),
    ),
    denied((f) => ({ query: { orgId: f.storeB } })),
  ],
  'GET /api/audit/export': [
    filtered(
      () => ({}),
      (rows) => xlsxMentions(rows, '门店B'),
    ),
  ],
  'GET /api/documents/export': [
    filtered(
      () => ({}),
      (rows) => xlsxMentions(rows, '门店B'),
    ),
    denied((f) => ({ query: { orgId: f.storeB } })),
  ],
  'GET /api/orgs/:id': [denied((f) => ({ params: { id: f.storeB } }))],
  'POST /api/orgs': [
    denied((f) => ({ body: { parentId: f.retailCentre, code: 'HACK1', name: '越权门店', kind: 'store', storeMode: 'direct' } })),
  ],
  'PATCH /api/orgs/:id': [denied((f) => ({ params: { id: f.storeB }, body: { name: '被改名' } }))],
  'POST /api/stores/open': [
    denied((f) => ({ body: { parentId: f.retailCentre, code: 'HACK2', name: '越权开店', storeMode: 'direct' } })),
  ],
  'POST /api/stores/open/validate': [denied((f) => ({ body: { parentId: f.retailCentre, code: 'HACK3' } }))],
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
  'GET /api/documents/:id/details': [denied((f) => ({ params: { id: f.storeBDoc } }))],
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
