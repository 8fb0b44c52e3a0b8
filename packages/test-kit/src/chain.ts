import {
  type Actor,
  asSystem,
  bootstrap,
  type Ctx,
  createOrg,
  createProduct,
  createUser,
  createWarehouse,
  findRoleByCode,
  inTransaction,
  makeContext,
  openSession,
  resolveSession,
  setDistributionRelation,
  updateOrgParams,
} from '@erp/core';
import type { Database } from '@erp/db';
import { beforeAll } from 'vitest';
import { useTestDatabase } from './database.js';

export const TEST_PASSWORD = 'Passw0rd-Test';

export interface TestChain {
  companyId: number;
  hqId: number;
  dcId: number;
  dcWarehouseId: number;
  retailCentreId: number;
  storeA: { id: number; warehouseId: number };
  storeB: { id: number; warehouseId: number };
  users: {
    hqAdmin: number;
    storeAAdmin: number;
    storeBAdmin: number;
    /** Every grant there is, but scoped to store A only: any 403/404 it meets comes from scope. */
    storeASuper: number;
    storeACashier: number;
  };
  products: { apple: number; milk: number; batchDrug: number };
}

/**
 * A small chain built through the product's own services: HQ, a DC, a retail centre, store A (direct,
 * negative stock forbidden) and store B (franchise), users per role and three products.
 */
export async function buildTestChain(database: Database): Promise<TestChain> {
  const { db } = database;
  await bootstrap(db, {
    companyCode: 'CO',
    companyName: '测试连锁',
    hqCode: 'HQ',
    hqName: '总部',
    adminLogin: 'admin',
    adminPassword: TEST_PASSWORD,
  });
  return asSystem(db, async (ctx) => {
    const company = await ctx.db.selectFrom('org').select('id').where('code', '=', 'CO').executeTakeFirstOrThrow();
    const hq = await ctx.db.selectFrom('org').select('id').where('code', '=', 'HQ').executeTakeFirstOrThrow();
    const dc = await createOrg(ctx, { parentId: hq.id, code: 'DC1', name: '一号配送中心', kind: 'dc' });
    const dcWh = await createWarehouse(ctx, { orgId: dc.id, code: 'DC1-W1', name: '配送中心主仓' });
    const rc = await createOrg(ctx, { parentId: hq.id, code: 'RC1', name: '城东零售中心', kind: 'retail_centre' });
    const a = await createOrg(ctx, { parentId: rc.id, code: 'SA', name: '门店A', kind: 'store', storeMode: 'direct' });
    const b = await createOrg(ctx, { parentId: rc.id, code: 'SB', name: '门店B', kind: 'store', storeMode: 'franchise' });
    const whA = await createWarehouse(ctx, { orgId: a.id, code: 'SA-W1', name: '门店A仓' });
    const whB = await createWarehouse(ctx, { orgId: b.id, code: 'SB-W1', name: '门店B仓' });
    await updateOrgParams(ctx, a.id, { allowNegativeStock: false });
    await updateOrgParams(ctx, b.id, { allowNegativeStock: true });
    await setDistributionRelation(ctx, { storeId: a.id, dcId: dc.id, priority: 10, level: 1 });
    await setDistributionRelation(ctx, { storeId: b.id, dcId: dc.id, priority: 20, level: 1 });
    const role = async (code: string) => (await findRoleByCode(ctx, code)).id;
    const admin = await ctx.db.selectFrom('app_user').select('id').where('login', '=', 'admin').executeTakeFirstOrThrow();
    const storeAAdmin = await createUser(ctx, {
      login: 'sa_admin',
      name: '门店A店长',
      orgId: a.id,
      password: TEST_PASSWORD,
      roles: [{ roleId: await role('store_admin'), orgId: a.id }],
    });
    const storeBAdmin = await createUser(ctx, {
      login: 'sb_admin',
      name: '门店B店长',
      orgId: b.id,
      password: TEST_PASSWORD,
      roles: [{ roleId: await role('store_admin'), orgId: b.id }],
    });
    const storeASuper = await createUser(ctx, {
      login: 'sa_super',
      name: '门店A全权',
      orgId: a.id,
      password: TEST_PASSWORD,
      roles: [{ roleId: await role('hq_admin'), orgId: a.id }],
    });
    const cashier = await createUser(ctx, {
      login: 'sa_cashier',
      name: '门店A收银员',
      orgId: a.id,
      password: TEST_PASSWORD,
      roles: [{ roleId: await role('cashier'), orgId: a.id }],
    });
    const apple = await createProduct(ctx, { code: 'P001', name: '红富士苹果' });
    const milk = await createProduct(ctx, { code: 'P002', name: '纯牛奶 250ml' });
    const drug = await createProduct(ctx, { code: 'P003', name: '阿莫西林胶囊', batchTracked: true });
    return {
      companyId: company.id,
      hqId: hq.id,
      dcId: dc.id,
      dcWarehouseId: dcWh.id,
      retailCentreId: rc.id,
      storeA: { id: a.id, warehouseId: whA.id },
      storeB: { id: b.id, warehouseId: whB.id },
      users: {
        hqAdmin: admin.id,
        storeAAdmin: storeAAdmin.id,
        storeBAdmin: storeBAdmin.id,
        storeASuper: storeASuper.id,
        storeACashier: cashier.id,
      },
      products: { apple: apple.id, milk: milk.id, batchDrug: drug.id },
    };
  });
}

/** The actor a user would be after logging in: grants and scope resolved exactly as for a request. */
/**
 * The usual start of a test file: its own database and the test chain.
 *
 *   const { database, chain } = useTestChain();
 *
 * `chain` is filled in by a `beforeAll` registered here, before the file's own hooks run: read it inside
 * tests and hooks, never at the file's top level.
 */
export function useTestChain(): { database: () => Database; chain: TestChain } {
  const database = useTestDatabase();
  const chain = {} as TestChain;
  beforeAll(async () => {
    Object.assign(chain, await buildTestChain(database()));
  });
  return { database, chain };
}

export async function actorOf(database: Database, userId: number): Promise<Actor> {
  const token = await database.db.transaction().execute(async (trx) => {
    const s = await openSession(trx, userId, 'bearer', { ip: '127.0.0.1', userAgent: 'test', requestId: 'test' });
    return s.token;
  });
  const session = await resolveSession(database.db, token);
  if (!session) throw new Error(`user ${userId} cannot act`);
  return session.actor;
}

/** Runs `fn` as `userId` in one transaction. */
export async function asUser<T>(database: Database, userId: number, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  const actor = await actorOf(database, userId);
  return inTransaction(database.db, { actor, requestId: 'test', ip: '127.0.0.1' }, fn);
}

export { asSystem } from '@erp/core';
export { makeContext };
