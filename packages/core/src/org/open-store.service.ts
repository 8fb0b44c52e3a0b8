import { type OpenStoreCommand, openStoreBody } from '@erp/contracts';
import { recordAudit } from '../audit/audit.service.js';
import { createUser, findRoleByCode } from '../auth/user.service.js';
import { applyStoreCatalogOnOpen } from '../catalog/index.js';
import { authorize, type Ctx } from '../platform/context.js';
import {
  createOrg,
  createWarehouse,
  type OrgDto,
  setDistributionRelation,
  updateOrgParams,
  type WarehouseDto,
} from './org.service.js';

/**
 * 开新店 (ORG-2): the store, its warehouses, the DCs that supply it, its parameters and its staff, in one
 * call and one transaction — a half-opened store never exists.
 */
export async function openStore(ctx: Ctx, input: OpenStoreCommand) {
  authorize(ctx, 'org', 'create');
  const cmd = openStoreBody.parse(input);
  const store: OrgDto = await createOrg(ctx, {
    parentId: cmd.parentId,
    code: cmd.code,
    name: cmd.name,
    nameEn: cmd.nameEn,
    kind: 'store',
    storeMode: cmd.storeMode,
    region: cmd.region,
    address: cmd.address,
    phone: cmd.phone,
  });
  const warehouseDefs = cmd.warehouses.length ? cmd.warehouses : [{ code: `${cmd.code}-W1`, name: `${cmd.name}仓库` }];
  const warehouses: WarehouseDto[] = [];
  for (const [i, w] of warehouseDefs.entries()) {
    warehouses.push(await createWarehouse(ctx, { orgId: store.id, code: w.code, name: w.name, isDefault: i === 0 }));
  }
  const relations = [];
  for (const r of cmd.supplyingDcs) {
    relations.push(await setDistributionRelation(ctx, { storeId: store.id, dcId: r.dcId, priority: r.priority, level: r.level }));
  }
  const params = await updateOrgParams(ctx, store.id, cmd.params);
  const users = [];
  for (const u of cmd.users) {
    const roles = [];
    for (const code of u.roleCodes) roles.push({ roleId: (await findRoleByCode(ctx, code)).id, orgId: store.id });
    users.push(await createUser(ctx, { login: u.login, name: u.name, orgId: store.id, password: u.password, roles }));
  }
  const catalog = await applyStoreCatalogOnOpen(ctx, store.id, cmd.catalog);
  await recordAudit(ctx, {
    action: 'open_store',
    entity: 'org',
    entityId: store.id,
    detail: { warehouses: warehouses.length, supplyingDcs: relations.length, users: users.length },
    orgId: store.id,
  });
  return { store, warehouses, distributionRelations: relations, params, users, catalog };
}
