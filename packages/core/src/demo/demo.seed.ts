import type { Database } from '@erp/db';
import { createUser, findRoleByCode } from '../auth/user.service.js';
import { openStore } from '../org/open-store.service.js';
import { createOrg, createWarehouse } from '../org/org.service.js';
import type { DemoChain } from '../platform/module.js';
import { seedModuleDemos } from '../registry.js';
import { asSystem, bootstrap } from '../setup/bootstrap.js';

export const DEMO_PASSWORD = 'Retail2026go';

export const DEMO_LOGINS = [
  { login: 'admin', password: DEMO_PASSWORD, role: '总部管理员 HQ administrator' },
  { login: 'buyer', password: DEMO_PASSWORD, role: '采购员 buyer (HQ)' },
  { login: 'finance', password: DEMO_PASSWORD, role: '财务 finance (HQ)' },
  { login: 'dc_keeper', password: DEMO_PASSWORD, role: '配送中心保管员 DC warehouse keeper' },
  { login: 's001_mgr', password: DEMO_PASSWORD, role: '门店店长 store manager, 人民路店' },
  { login: 's001_cash', password: DEMO_PASSWORD, role: '收银员 cashier, 人民路店' },
  { login: 's003_mgr', password: DEMO_PASSWORD, role: '加盟店店长 franchise store manager, 滨江加盟店' },
] as const;

/**
 * A believable small chain, built through the product's own services on first start of an empty
 * database: HQ, a DC, a retail centre, three stores (one franchise), staff for each role, and goods in
 * stock. Returns false when the database already has data.
 */
export async function seedDemo(database: Database): Promise<boolean> {
  const created = await bootstrap(database.db, {
    companyCode: 'JXL',
    companyName: '佳鲜连锁商业有限公司',
    hqCode: 'HQ',
    hqName: '佳鲜总部',
    adminLogin: 'admin',
    adminPassword: DEMO_PASSWORD,
    adminName: '王总管',
  });
  if (!created) return false;
  await asSystem(database.db, async (ctx) => {
    const hq = await ctx.db.selectFrom('org').selectAll().where('code', '=', 'HQ').executeTakeFirstOrThrow();
    const dc = await createOrg(ctx, {
      parentId: hq.id,
      code: 'DC01',
      name: '华东配送中心',
      nameEn: 'East China DC',
      kind: 'dc',
      region: '华东',
      address: '杭州市余杭区仓前物流园 8 号',
    });
    const dcWh = await createWarehouse(ctx, { orgId: dc.id, code: 'DC01-01', name: '常温仓' });
    await createWarehouse(ctx, { orgId: dc.id, code: 'DC01-02', name: '冷链仓', isDefault: false });
    const rc = await createOrg(ctx, {
      parentId: hq.id,
      code: 'RC01',
      name: '杭州零售中心',
      nameEn: 'Hangzhou retail centre',
      kind: 'retail_centre',
      region: '华东',
    });
    const stores = [
      { code: 'S001', name: '人民路店', nameEn: 'Renmin Road', mode: 'direct' as const, address: '杭州市上城区人民路 128 号' },
      { code: 'S002', name: '文三路店', nameEn: 'Wensan Road', mode: 'direct' as const, address: '杭州市西湖区文三路 77 号' },
      {
        code: 'S003',
        name: '滨江加盟店',
        nameEn: 'Binjiang (franchise)',
        mode: 'franchise' as const,
        address: '杭州市滨江区江南大道 300 号',
      },
    ];
    for (const [i, s] of stores.entries()) {
      await openStore(ctx, {
        parentId: rc.id,
        code: s.code,
        name: s.name,
        nameEn: s.nameEn,
        storeMode: s.mode,
        region: '华东',
        address: s.address,
        supplyingDcs: [{ dcId: dc.id, priority: (i + 1) * 10, level: 1 }],
        params: { businessMode: 'supermarket', allowNegativeStock: s.mode === 'franchise' },
        users: [
          { login: `${s.code.toLowerCase()}_mgr`, name: `${s.name}店长`, password: DEMO_PASSWORD, roleCodes: ['store_admin'] },
          { login: `${s.code.toLowerCase()}_cash`, name: `${s.name}收银员`, password: DEMO_PASSWORD, roleCodes: ['cashier'] },
        ],
      });
    }
    const role = async (code: string) => (await findRoleByCode(ctx, code)).id;
    await createUser(ctx, {
      login: 'buyer',
      name: '李采购',
      orgId: hq.id,
      password: DEMO_PASSWORD,
      roles: [{ roleId: await role('buyer'), orgId: hq.parent_id ?? hq.id }],
    });
    await createUser(ctx, {
      login: 'finance',
      name: '赵会计',
      orgId: hq.id,
      password: DEMO_PASSWORD,
      roles: [{ roleId: await role('finance'), orgId: hq.parent_id ?? hq.id }],
    });
    await createUser(ctx, {
      login: 'dc_keeper',
      name: '陈保管',
      orgId: dc.id,
      password: DEMO_PASSWORD,
      roles: [{ roleId: await role('dc_keeper'), orgId: dc.id }],
    });
    const storeRows = await ctx.db
      .selectFrom('org as o')
      .innerJoin('warehouse as w', (j) => j.onRef('w.org_id', '=', 'o.id').on('w.is_default', '=', true))
      .select(['o.id', 'o.code', 'o.name', 'o.store_mode', 'w.id as warehouse_id'])
      .where('o.kind', '=', 'store')
      .orderBy('o.code')
      .execute();
    const chain: DemoChain = {
      companyId: hq.parent_id as number,
      hqId: hq.id,
      dcId: dc.id,
      dcWarehouseId: dcWh.id,
      retailCentreId: rc.id,
      stores: storeRows.map((s) => ({
        id: s.id,
        code: s.code,
        name: s.name,
        warehouseId: s.warehouse_id,
        franchise: s.store_mode === 'franchise',
      })),
    };
    // Each module seeds its own demo data through its own services, in the registry's order.
    await seedModuleDemos(ctx, chain);
  });
  return true;
}
