import { isDomainError } from '@erp/contracts';
import { asUser, buildTestChain, type TestChain, useTestDatabase } from '@erp/test-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { calendarDay } from '../platform/clock.js';
import type { Ctx } from '../platform/context.js';
import { currentBusinessDay } from './business-day.service.js';
import { openStore } from './open-store.service.js';
import {
  createCounter,
  createOrg,
  createShelf,
  getOrgParams,
  listDistributionRelations,
  updateOrgParams,
} from './org.service.js';

const database = useTestDatabase();
let chain: TestChain;
beforeAll(async () => {
  chain = await buildTestChain(database());
});
const admin = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), chain.users.hqAdmin, fn);
const fail = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e) => e,
  );

describe('org tree (ORG-1)', () => {
  it('places kinds only under allowed parents', async () => {
    const store = await fail(
      admin((ctx) =>
        createOrg(ctx, { parentId: chain.storeA.id, code: 'X1', name: '店中店', kind: 'store', storeMode: 'direct' }),
      ),
    );
    expect(isDomainError(store, 'ORG_INVALID_PARENT')).toBe(true);
    const dc2 = await admin((ctx) => createOrg(ctx, { parentId: chain.dcId, code: 'DC2', name: '二级配送中心', kind: 'dc' }));
    expect(dc2.path).toMatch(new RegExp(`/${chain.dcId}/${dc2.id}/$`));
    const root = await fail(admin((ctx) => createOrg(ctx, { parentId: null, code: 'CO2', name: '另一公司', kind: 'company' })));
    expect(isDomainError(root, 'ORG_INVALID_PARENT')).toBe(true);
    const dup = await fail(admin((ctx) => createOrg(ctx, { parentId: chain.hqId, code: 'DC1', name: '重复', kind: 'dc' })));
    expect(isDomainError(dup, 'DUPLICATE')).toBe(true);
  });

  it('counters belong to stores; shelves to warehouses and optionally a counter of the same store', async () => {
    const counter = await admin((ctx) => createCounter(ctx, { orgId: chain.storeA.id, code: 'C1', name: '化妆品柜' }));
    const shelf = await admin((ctx) =>
      createShelf(ctx, { warehouseId: chain.storeA.warehouseId, counterId: counter.id, code: 'A-01', name: 'A区1号架' }),
    );
    expect(shelf.counterId).toBe(counter.id);
    const wrong = await fail(
      admin((ctx) => createShelf(ctx, { warehouseId: chain.storeB.warehouseId, counterId: counter.id, code: 'B-01', name: 'x' })),
    );
    expect(isDomainError(wrong, 'NOT_FOUND')).toBe(true);
    const dcCounter = await fail(admin((ctx) => createCounter(ctx, { orgId: chain.dcId, code: 'C1', name: 'x' })));
    expect(isDomainError(dcCounter, 'ORG_NOT_A_STORE')).toBe(true);
  });
});

describe('open a new store (ORG-2)', () => {
  it('creates store, warehouses, supplying DC, parameters and staff in one call', async () => {
    const r = await admin((ctx) =>
      openStore(ctx, {
        parentId: chain.retailCentreId,
        code: 'SC',
        name: '门店C',
        storeMode: 'franchise',
        warehouses: [
          { code: 'SC-W1', name: '门店C主仓' },
          { code: 'SC-W2', name: '门店C退货仓' },
        ],
        supplyingDcs: [{ dcId: chain.dcId, priority: 5, level: 1 }],
        params: { businessMode: 'wholesale', allowNegativeStock: true },
        users: [{ login: 'sc_mgr', name: '门店C店长', password: 'StoreC-2026', roleCodes: ['store_admin'] }],
      }),
    );
    expect(r.store.kind).toBe('store');
    expect(r.warehouses.map((w) => w.isDefault)).toEqual([true, false]);
    expect(r.params).toMatchObject({ businessMode: 'wholesale', allowNegativeStock: true });
    expect(r.users[0]?.roles[0]).toMatchObject({ roleCode: 'store_admin', orgId: r.store.id });
    const rel = await admin((ctx) => listDistributionRelations(ctx, r.store.id));
    expect(rel[0]).toMatchObject({ dcId: chain.dcId, priority: 5, level: 1 });
    // The new store's manager sees exactly the new store.
    const params = await asUser(database(), r.users[0]!.id, (ctx) => getOrgParams(ctx, r.store.id));
    expect(params.businessMode).toBe('wholesale');
  });

  it('leaves nothing behind when any part fails', async () => {
    const e = await fail(
      admin((ctx) =>
        openStore(ctx, {
          parentId: chain.retailCentreId,
          code: 'SD',
          name: '门店D',
          storeMode: 'direct',
          users: [{ login: 'sd_mgr', name: '店长', password: 'weak', roleCodes: ['store_admin'] }],
        }),
      ),
    );
    expect(isDomainError(e, 'VALIDATION_FAILED')).toBe(true);
    expect(e.fieldIssues.map((i: { path: string }) => i.path)).toEqual(['users.0.password']);
    const org = await database().db.selectFrom('org').select('id').where('code', '=', 'SD').execute();
    const wh = await database().db.selectFrom('warehouse').select('id').where('code', '=', 'SD-W1').execute();
    expect(org).toEqual([]);
    expect(wh).toEqual([]);
  });
});

describe('store parameters and business day (ORG-3, ORG-4)', () => {
  it('a store admin edits own parameters, not another store’s', async () => {
    const own = await asUser(database(), chain.users.storeAAdmin, (ctx) =>
      updateOrgParams(ctx, chain.storeA.id, { handoverShowsExpectedCash: false }),
    );
    expect(own.handoverShowsExpectedCash).toBe(false);
    const other = await fail(
      asUser(database(), chain.users.storeAAdmin, (ctx) => updateOrgParams(ctx, chain.storeB.id, { allowNegativeStock: false })),
    );
    expect(isDomainError(other, 'NOT_FOUND')).toBe(true);
  });

  it('the business day is today, or the day after the last closed day', async () => {
    const today = calendarDay();
    expect(await admin((ctx) => currentBusinessDay(ctx.db, chain.storeA.id))).toBe(today);
    await database().db.insertInto('business_day').values({ org_id: chain.storeA.id, day: today }).execute();
    const next = await admin((ctx) => currentBusinessDay(ctx.db, chain.storeA.id));
    expect(next > today).toBe(true);
  });
});
