import {
  asSystem,
  createCategory,
  createPartner,
  createSimple,
  paymentMethodTable,
  reasonCodeTable,
  runImport,
  setPrices,
  setStoreCatalog,
  unitTable,
} from '@erp/core';
import { denied, filtered, itemsOf, type ModuleProbes, type Probe, self } from './probe.js';

const GLOBAL = 'company-wide master data: the same for every store, no org-owned rows to leak; writes are probed as denied';

const partnerProbes = (path: string, key: 'sbSupplier' | 'sbCustomer' | 'sbManufacturer'): Record<string, Probe[]> => ({
  [`GET ${path}`]: [
    filtered(
      () => ({}),
      (b, f) => itemsOf(b).some((p) => p.id === f.m[key] || p.orgId === f.storeB),
    ),
    denied((f) => ({ query: { orgId: f.storeB } })),
  ],
  [`GET ${path}/export`]: [denied((f) => ({ query: { orgId: f.storeB } }))],
  [`GET ${path}/:id`]: [denied((f) => ({ params: { id: f.m[key]! } }))],
  [`POST ${path}`]: [
    denied((f) => ({ body: { code: 'HACK-P', name: '越权伙伴', orgId: f.storeB } })),
    denied(() => ({ body: { code: 'HACK-P2', name: '越权总部伙伴' } })),
  ],
  [`PATCH ${path}/:id`]: [denied((f) => ({ params: { id: f.m[key]! }, body: { version: 1, name: '被改名' } }))],
  [`DELETE ${path}/:id`]: [denied((f) => ({ params: { id: f.m[key]! } }))],
});

const simpleProbes = (path: string, key: string, body: object): Record<string, Probe[]> => ({
  [`GET ${path}`]: [self(GLOBAL)],
  [`GET ${path}/export`]: [self(GLOBAL)],
  [`POST ${path}`]: [denied(() => ({ body }))],
  [`PATCH ${path}/:id`]: [denied((f) => ({ params: { id: f.m[key]! }, body: { name: '被改名' } }))],
  [`DELETE ${path}/:id`]: [denied((f) => ({ params: { id: f.m[key]! } }))],
});

/** Scope probes for the master-data routes (catalog, pricing, partners, imports). */
export const catalogProbes: ModuleProbes = {
  setup: async (database, chain) =>
    asSystem(database.db, async (ctx) => {
      const category = await createCategory(ctx, { code: 'PROBE-C', name: '探针类别' });
      const unit = await createSimple(ctx, unitTable, { code: 'PROBE-U', name: '探针单位' });
      const payment = await createSimple(ctx, paymentMethodTable, { code: 'PROBE-PM', name: '探针付款', kind: 'other' });
      const reason = await createSimple(ctx, reasonCodeTable, { usage: 'loss', code: 'PROBE-R', name: '探针原因' });
      // Store B's own data: an override price, its assortment, partners it owns (a franchise store's own supplier).
      await setPrices(ctx, {
        prices: [
          { productId: chain.products.apple, priceType: 'retail', price: '9.99', scope: 'store', storeId: chain.storeB.id },
        ],
      });
      await setStoreCatalog(ctx, chain.storeB.id, { categoryIds: [category.id] });
      const supplier = await createPartner(ctx, 'supplier', { code: 'SB-SUP', name: '门店B自有供应商', orgId: chain.storeB.id });
      const customer = await createPartner(ctx, 'customer', { code: 'SB-CUS', name: '门店B批发客户', orgId: chain.storeB.id });
      const manufacturer = await createPartner(ctx, 'manufacturer', {
        code: 'SB-MFR',
        name: '门店B厂家',
        orgId: chain.storeB.id,
      });
      // An import job recorded for store B (its home org), with a report to leak.
      const csv = Buffer.from('code,name\nSBX1,\n').toString('base64');
      const job = await runImport(
        { ...ctx, actor: { ...ctx.actor, orgId: chain.storeB.id } },
        { kind: 'suppliers', fileName: 'b.csv', contentBase64: csv },
      );
      return {
        importJob: job.id,
        category: category.id,
        unit: unit.id,
        paymentMethod: payment.id,
        reasonCode: reason.id,
        sbSupplier: supplier.id,
        sbCustomer: customer.id,
        sbManufacturer: manufacturer.id,
      };
    }),
  probes: {
    'GET /api/products': [denied((f) => ({ query: { storeId: f.storeB } }))],
    'GET /api/products/export': [denied((f) => ({ query: { storeId: f.storeB } }))],
    'GET /api/products/by-barcode/:barcode': [self(GLOBAL)],
    'GET /api/products/:id': [self(GLOBAL)],
    'POST /api/products': [denied(() => ({ body: { code: 'HACK-PRD', name: '越权商品' } }))],
    'PATCH /api/products/:id': [denied((f) => ({ params: { id: f.products.apple }, body: { version: 1, name: '被改名' } }))],
    'GET /api/categories': [self(GLOBAL)],
    'GET /api/categories/export': [self(GLOBAL)],
    'GET /api/categories/:id': [self(GLOBAL)],
    'POST /api/categories': [denied(() => ({ body: { code: 'HACK-CAT', name: '越权类别' } }))],
    'PATCH /api/categories/:id': [denied((f) => ({ params: { id: f.m.category! }, body: { name: '被改名' } }))],
    'DELETE /api/categories/:id': [denied((f) => ({ params: { id: f.m.category! } }))],
    ...simpleProbes('/api/units', 'unit', { code: 'HACK-U', name: '越权' }),
    ...simpleProbes('/api/brands', 'unit', { code: 'HACK-B', name: '越权品牌' }),
    'GET /api/catalog/settings/scale-barcode': [self(GLOBAL)],
    'PUT /api/catalog/settings/scale-barcode': [
      denied(() => ({
        body: {
          enabled: true,
          verifyCheckDigit: false,
          layouts: [{ prefix: '29', itemCodeLength: 5, valueLength: 5, valueKind: 'price', decimals: 2 }],
        },
      })),
    ],
    'GET /api/stores/:id/catalog': [denied((f) => ({ params: { id: f.storeB } }))],
    'PUT /api/stores/:id/catalog': [denied((f) => ({ params: { id: f.storeB }, body: { categoryIds: [] } }))],
    'GET /api/catalog/changes': [denied((f) => ({ query: { storeId: f.storeB } }))],
    'GET /api/prices': [
      filtered(
        () => ({}),
        (b, f) => itemsOf(b).some((p) => p.storeId === f.storeB),
      ),
      denied((f) => ({ query: { storeId: f.storeB } })),
    ],
    'GET /api/prices/export': [denied((f) => ({ query: { storeId: f.storeB } }))],
    'GET /api/prices/resolve': [denied((f) => ({ query: { storeId: f.storeB, productIds: String(f.products.apple) } }))],
    'POST /api/prices': [
      denied((f) => ({
        body: {
          prices: [{ productId: f.products.apple, priceType: 'retail', price: '0.01', scope: 'store', storeId: f.storeB }],
        },
      })),
      denied((f) => ({ body: { prices: [{ productId: f.products.apple, priceType: 'retail', price: '0.01' }] } })),
    ],
    'GET /api/imports/templates/:kind': [self('a static template file, no data')],
    'POST /api/imports': [
      denied(() => ({
        body: { kind: 'products', fileName: 'x.csv', contentBase64: Buffer.from('code,name\nHACKI,越权\n').toString('base64') },
      })),
    ],
    'GET /api/imports': [
      filtered(
        () => ({}),
        (b, f) => itemsOf(b).some((j) => j.id === f.m.importJob || j.orgId === f.storeB),
      ),
    ],
    'GET /api/imports/export': [self('scoped like GET /api/imports (same query); an .xlsx body cannot be inspected for leaks')],
    'GET /api/imports/:id': [denied((f) => ({ params: { id: f.m.importJob! } }))],
    'GET /api/imports/:id/report': [denied((f) => ({ params: { id: f.m.importJob! } }))],
    ...partnerProbes('/api/suppliers', 'sbSupplier'),
    ...partnerProbes('/api/customers', 'sbCustomer'),
    ...partnerProbes('/api/manufacturers', 'sbManufacturer'),
    ...simpleProbes('/api/payment-methods', 'paymentMethod', { code: 'HACK-PM', name: '越权', kind: 'cash' }),
    ...simpleProbes('/api/reason-codes', 'reasonCode', { usage: 'loss', code: 'HACK-R', name: '越权' }),
  },
};
