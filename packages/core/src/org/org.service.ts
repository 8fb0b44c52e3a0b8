import {
  allowedParents,
  type CreateCounterCommand,
  type CreateOrgCommand,
  type CreateShelfCommand,
  type CreateWarehouseCommand,
  type DistributionRelationCommand,
  DomainError,
  GOODS_HOLDING_KINDS,
  type OrgKind,
  type OrgParamsCommand,
  type UpdateOrgCommand,
} from '@erp/contracts';
import { recordAudit } from '../audit/audit.service.js';
import { authorize, type Ctx } from '../platform/context.js';
import { findOrg, type OrgRow } from './org.repository.js';

export interface OrgDto {
  id: number;
  parentId: number | null;
  path: string;
  code: string;
  name: string;
  nameEn: string | null;
  kind: OrgKind;
  storeMode: 'direct' | 'franchise' | null;
  region: string | null;
  address: string | null;
  phone: string | null;
  active: boolean;
}

export function toOrgDto(r: OrgRow): OrgDto {
  return {
    id: r.id,
    parentId: r.parent_id,
    path: r.path,
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    kind: r.kind,
    storeMode: r.store_mode,
    region: r.region,
    address: r.address,
    phone: r.phone,
    active: r.active,
  };
}

/** An org the actor may see, or NOT_FOUND. */
export async function getVisibleOrg(ctx: Ctx, id: number): Promise<OrgRow> {
  ctx.scope.assert(id, 'org', id);
  const org = await findOrg(ctx.db, id);
  if (!org) throw new DomainError('NOT_FOUND', { entity: 'org', id });
  return org;
}

/** Whether an org or warehouse code is taken (codes are unique across the chain). Also the open-store check's rule. */
export async function isCodeTaken(ctx: Ctx, table: 'org' | 'warehouse', code: string): Promise<boolean> {
  const hit = await ctx.db.selectFrom(table).select('id').where('code', '=', code).executeTakeFirst();
  return !!hit;
}

async function assertCodeFree(ctx: Ctx, table: 'org' | 'warehouse', code: string): Promise<void> {
  if (await isCodeTaken(ctx, table, code)) throw new DomainError('DUPLICATE', { field: 'code', value: code });
}

/**
 * The parent a new org of `kind` goes under (ORG-1): one the actor sees, of a kind allowed above it. Only the
 * very first org, the company, has none; it is created by bootstrap.
 */
export async function checkedParent(ctx: Ctx, kind: OrgKind, parentId: number | null): Promise<OrgRow | undefined> {
  let parent: OrgRow | undefined;
  if (parentId === null) {
    const any = await ctx.db.selectFrom('org').select('id').limit(1).executeTakeFirst();
    if (any || kind !== 'company') throw new DomainError('ORG_INVALID_PARENT', { kind, parentKind: '-' });
  } else {
    parent = await getVisibleOrg(ctx, parentId);
  }
  const parentKind = parent?.kind ?? null;
  if (!allowedParents[kind].includes(parentKind)) {
    throw new DomainError('ORG_INVALID_PARENT', { kind, parentKind: parentKind ?? '-' });
  }
  return parent;
}

/** A distribution centre, or ORG_NOT_A_DC. It need not be in the actor's scope (a store is supplied by HQ's DC). */
export async function assertDc(ctx: Ctx, dcId: number): Promise<OrgRow> {
  const dc = await findOrg(ctx.db, dcId);
  // Named by the id asked for: the code of an org outside the actor's scope is not told.
  if (dc?.kind !== 'dc') throw new DomainError('ORG_NOT_A_DC', { org: String(dcId) });
  return dc;
}

export async function createOrg(ctx: Ctx, cmd: CreateOrgCommand): Promise<OrgDto> {
  authorize(ctx, 'org', 'create');
  const parent = await checkedParent(ctx, cmd.kind, cmd.parentId);
  await assertCodeFree(ctx, 'org', cmd.code);
  const inserted = await ctx.db
    .insertInto('org')
    .values({
      parent_id: cmd.parentId,
      code: cmd.code,
      name: cmd.name,
      name_en: cmd.nameEn ?? null,
      kind: cmd.kind,
      store_mode: cmd.kind === 'store' ? (cmd.storeMode ?? 'direct') : null,
      region: cmd.region ?? null,
      address: cmd.address ?? null,
      phone: cmd.phone ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const path = `${parent?.path ?? '/'}${inserted.id}/`;
  const row = await ctx.db
    .updateTable('org')
    .set({ path })
    .where('id', '=', inserted.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (GOODS_HOLDING_KINDS.includes(cmd.kind)) {
    await ctx.db.insertInto('org_params').values({ org_id: row.id }).execute();
  }
  ctx.scope.include(row.id);
  const dto = toOrgDto(row);
  await recordAudit(ctx, { action: 'create', entity: 'org', entityId: row.id, after: dto, orgId: row.id });
  return dto;
}

export async function updateOrg(ctx: Ctx, id: number, cmd: UpdateOrgCommand): Promise<OrgDto> {
  authorize(ctx, 'org', 'edit');
  const before = await getVisibleOrg(ctx, id);
  const row = await ctx.db
    .updateTable('org')
    .set({
      ...(cmd.name !== undefined ? { name: cmd.name } : {}),
      ...(cmd.nameEn !== undefined ? { name_en: cmd.nameEn } : {}),
      ...(cmd.region !== undefined ? { region: cmd.region } : {}),
      ...(cmd.address !== undefined ? { address: cmd.address } : {}),
      ...(cmd.phone !== undefined ? { phone: cmd.phone } : {}),
      ...(cmd.active !== undefined ? { active: cmd.active } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const dto = toOrgDto(row);
  await recordAudit(ctx, { action: 'update', entity: 'org', entityId: id, before: toOrgDto(before), after: dto, orgId: id });
  return dto;
}

export async function listOrgs(ctx: Ctx, filter: { kind?: OrgKind; q?: string } = {}): Promise<OrgDto[]> {
  authorize(ctx, 'org', 'view');
  let q = ctx.db
    .selectFrom('org')
    .selectAll()
    .where('id', 'in', ctx.scope.ids.length ? [...ctx.scope.ids] : [-1]);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.q) q = q.where((eb) => eb.or([eb('code', 'ilike', `%${filter.q}%`), eb('name', 'ilike', `%${filter.q}%`)]));
  const rows = await q.orderBy('path').execute();
  return rows.map(toOrgDto);
}

export async function getOrg(ctx: Ctx, id: number): Promise<OrgDto> {
  authorize(ctx, 'org', 'view');
  return toOrgDto(await getVisibleOrg(ctx, id));
}

// ---- store parameters (ORG-3)

export interface OrgParamsDto {
  orgId: number;
  businessMode: 'supermarket' | 'wholesale';
  allowNegativeStock: boolean;
  receivingUpdatesDefaultShelf: boolean;
  handoverShowsExpectedCash: boolean;
}

async function holdingOrg(ctx: Ctx, orgId: number): Promise<OrgRow> {
  const org = await getVisibleOrg(ctx, orgId);
  if (!GOODS_HOLDING_KINDS.includes(org.kind)) throw new DomainError('ORG_HOLDS_NO_GOODS', { org: org.code });
  return org;
}

export async function getOrgParams(ctx: Ctx, orgId: number): Promise<OrgParamsDto> {
  authorize(ctx, 'org_params', 'view');
  await holdingOrg(ctx, orgId);
  const p = await ctx.db.selectFrom('org_params').selectAll().where('org_id', '=', orgId).executeTakeFirstOrThrow();
  return {
    orgId,
    businessMode: p.business_mode,
    allowNegativeStock: p.allow_negative_stock,
    receivingUpdatesDefaultShelf: p.receiving_updates_default_shelf,
    handoverShowsExpectedCash: p.handover_shows_expected_cash,
  };
}

export async function updateOrgParams(ctx: Ctx, orgId: number, cmd: OrgParamsCommand): Promise<OrgParamsDto> {
  authorize(ctx, 'org_params', 'edit');
  const before = await getOrgParams(ctx, orgId);
  await ctx.db
    .updateTable('org_params')
    .set({
      ...(cmd.businessMode !== undefined ? { business_mode: cmd.businessMode } : {}),
      ...(cmd.allowNegativeStock !== undefined ? { allow_negative_stock: cmd.allowNegativeStock } : {}),
      ...(cmd.receivingUpdatesDefaultShelf !== undefined
        ? { receiving_updates_default_shelf: cmd.receivingUpdatesDefaultShelf }
        : {}),
      ...(cmd.handoverShowsExpectedCash !== undefined ? { handover_shows_expected_cash: cmd.handoverShowsExpectedCash } : {}),
      updated_at: new Date(),
    })
    .where('org_id', '=', orgId)
    .execute();
  const after = await getOrgParams(ctx, orgId);
  await recordAudit(ctx, { action: 'update', entity: 'org_params', entityId: orgId, before, after, orgId });
  return after;
}

// ---- warehouses, counters, shelves

export interface WarehouseDto {
  id: number;
  orgId: number;
  code: string;
  name: string;
  isDefault: boolean;
  active: boolean;
}

export async function createWarehouse(ctx: Ctx, cmd: CreateWarehouseCommand): Promise<WarehouseDto> {
  authorize(ctx, 'warehouse', 'create');
  await holdingOrg(ctx, cmd.orgId);
  await assertCodeFree(ctx, 'warehouse', cmd.code);
  const existingDefault = await ctx.db
    .selectFrom('warehouse')
    .select('id')
    .where('org_id', '=', cmd.orgId)
    .where('is_default', '=', true)
    .executeTakeFirst();
  const isDefault = cmd.isDefault ?? !existingDefault;
  if (isDefault && existingDefault) {
    await ctx.db.updateTable('warehouse').set({ is_default: false }).where('id', '=', existingDefault.id).execute();
  }
  const row = await ctx.db
    .insertInto('warehouse')
    .values({ org_id: cmd.orgId, code: cmd.code, name: cmd.name, is_default: isDefault })
    .returningAll()
    .executeTakeFirstOrThrow();
  const dto = { id: row.id, orgId: row.org_id, code: row.code, name: row.name, isDefault: row.is_default, active: row.active };
  await recordAudit(ctx, { action: 'create', entity: 'warehouse', entityId: row.id, after: dto, orgId: cmd.orgId });
  return dto;
}

export async function listWarehouses(ctx: Ctx, orgId?: number): Promise<WarehouseDto[]> {
  authorize(ctx, 'warehouse', 'view');
  if (orgId !== undefined) ctx.scope.assert(orgId, 'org', orgId);
  const rows = await ctx.db
    .selectFrom('warehouse')
    .selectAll()
    .where('org_id', 'in', orgId !== undefined ? [orgId] : [...ctx.scope.ids, -1])
    .orderBy('code')
    .execute();
  return rows.map((r) => ({ id: r.id, orgId: r.org_id, code: r.code, name: r.name, isDefault: r.is_default, active: r.active }));
}

/** A warehouse the actor may see, with its org; NOT_FOUND otherwise. */
export async function getVisibleWarehouse(ctx: Ctx, id: number) {
  const wh = await ctx.db.selectFrom('warehouse').selectAll().where('id', '=', id).executeTakeFirst();
  if (!wh || !ctx.scope.has(wh.org_id)) throw new DomainError('NOT_FOUND', { entity: 'warehouse', id });
  return wh;
}

export async function createCounter(ctx: Ctx, cmd: CreateCounterCommand) {
  authorize(ctx, 'warehouse', 'create');
  const org = await holdingOrg(ctx, cmd.orgId);
  if (org.kind !== 'store') throw new DomainError('ORG_NOT_A_STORE', { org: org.code });
  const dup = await ctx.db
    .selectFrom('counter')
    .select('id')
    .where('org_id', '=', cmd.orgId)
    .where('code', '=', cmd.code)
    .executeTakeFirst();
  if (dup) throw new DomainError('DUPLICATE', { field: 'code', value: cmd.code });
  const row = await ctx.db
    .insertInto('counter')
    .values({ org_id: cmd.orgId, code: cmd.code, name: cmd.name })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(ctx, { action: 'create', entity: 'counter', entityId: row.id, after: row, orgId: cmd.orgId });
  return { id: row.id, orgId: row.org_id, code: row.code, name: row.name, active: row.active };
}

export async function listCounters(ctx: Ctx, orgId: number) {
  authorize(ctx, 'warehouse', 'view');
  ctx.scope.assert(orgId, 'org', orgId);
  const rows = await ctx.db.selectFrom('counter').selectAll().where('org_id', '=', orgId).orderBy('code').execute();
  return rows.map((r) => ({ id: r.id, orgId: r.org_id, code: r.code, name: r.name, active: r.active }));
}

export async function createShelf(ctx: Ctx, cmd: CreateShelfCommand) {
  authorize(ctx, 'warehouse', 'create');
  const wh = await getVisibleWarehouse(ctx, cmd.warehouseId);
  if (cmd.counterId !== undefined) {
    const counter = await ctx.db.selectFrom('counter').selectAll().where('id', '=', cmd.counterId).executeTakeFirst();
    if (!counter || counter.org_id !== wh.org_id) throw new DomainError('NOT_FOUND', { entity: 'counter', id: cmd.counterId });
  }
  const dup = await ctx.db
    .selectFrom('shelf')
    .select('id')
    .where('warehouse_id', '=', cmd.warehouseId)
    .where('code', '=', cmd.code)
    .executeTakeFirst();
  if (dup) throw new DomainError('DUPLICATE', { field: 'code', value: cmd.code });
  const row = await ctx.db
    .insertInto('shelf')
    .values({ warehouse_id: cmd.warehouseId, counter_id: cmd.counterId ?? null, code: cmd.code, name: cmd.name })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(ctx, { action: 'create', entity: 'shelf', entityId: row.id, after: row, orgId: wh.org_id });
  return { id: row.id, warehouseId: row.warehouse_id, counterId: row.counter_id, code: row.code, name: row.name };
}

export async function listShelves(ctx: Ctx, warehouseId: number) {
  authorize(ctx, 'warehouse', 'view');
  await getVisibleWarehouse(ctx, warehouseId);
  const rows = await ctx.db.selectFrom('shelf').selectAll().where('warehouse_id', '=', warehouseId).orderBy('code').execute();
  return rows.map((r) => ({ id: r.id, warehouseId: r.warehouse_id, counterId: r.counter_id, code: r.code, name: r.name }));
}

// ---- distribution relations

export async function setDistributionRelation(ctx: Ctx, cmd: DistributionRelationCommand) {
  authorize(ctx, 'org', 'edit');
  const store = await getVisibleOrg(ctx, cmd.storeId);
  if (store.kind !== 'store') throw new DomainError('ORG_NOT_A_STORE', { org: store.code });
  // The DC need not be inside the actor's scope (a store admin cannot see HQ's DC), but the actor must be
  // able to edit the store; only HQ-level users normally hold org:edit.
  await assertDc(ctx, cmd.dcId);
  const row = await ctx.db
    .insertInto('distribution_relation')
    .values({ store_id: cmd.storeId, dc_id: cmd.dcId, priority: cmd.priority, level: cmd.level })
    .onConflict((oc) => oc.columns(['store_id', 'dc_id']).doUpdateSet({ priority: cmd.priority, level: cmd.level }))
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(ctx, { action: 'update', entity: 'distribution_relation', entityId: row.id, after: row, orgId: cmd.storeId });
  return { id: row.id, storeId: row.store_id, dcId: row.dc_id, priority: row.priority, level: row.level };
}

export async function listDistributionRelations(ctx: Ctx, storeId?: number) {
  authorize(ctx, 'org', 'view');
  if (storeId !== undefined) ctx.scope.assert(storeId, 'org', storeId);
  const rows = await ctx.db
    .selectFrom('distribution_relation as r')
    .innerJoin('org as dc', 'dc.id', 'r.dc_id')
    .innerJoin('org as s', 's.id', 'r.store_id')
    .select(['r.id', 'r.store_id', 'r.dc_id', 'r.priority', 'r.level', 'dc.name as dc_name', 's.name as store_name'])
    .where('r.store_id', 'in', storeId !== undefined ? [storeId] : [...ctx.scope.ids, -1])
    .orderBy('r.store_id')
    .orderBy('r.level')
    .orderBy('r.priority')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    storeId: r.store_id,
    storeName: r.store_name,
    dcId: r.dc_id,
    dcName: r.dc_name,
    priority: r.priority,
    level: r.level,
  }));
}
