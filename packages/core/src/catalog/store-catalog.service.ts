import { DomainError, type OpenStoreCatalogOption, type StoreCatalogDto, storeCatalogBody } from '@erp/contracts';
import { recordAudit } from '../audit/audit.service.js';
import { authorize, type Ctx } from '../platform/context.js';
import { assertVisibleStore, type Db } from './catalog.access.js';

async function readStoreCatalog(db: Db, storeId: number): Promise<StoreCatalogDto> {
  const row = await db.selectFrom('store_catalog').select('category_ids').where('store_id', '=', storeId).executeTakeFirst();
  const categoryIds = row?.category_ids ?? [];
  return { storeId, categoryIds, wholeCatalog: categoryIds.length === 0 };
}

/** 门店基础资料 (ORG-2): the categories of HQ's catalog a store may see (none listed = all of it). */
export async function getStoreCatalog(ctx: Ctx, storeId: number): Promise<StoreCatalogDto> {
  authorize(ctx, 'store_catalog', 'view');
  await assertVisibleStore(ctx, storeId);
  return readStoreCatalog(ctx.db, storeId);
}

export async function setStoreCatalog(ctx: Ctx, storeId: number, input: { categoryIds: number[] }): Promise<StoreCatalogDto> {
  authorize(ctx, 'store_catalog', 'edit');
  await assertVisibleStore(ctx, storeId);
  const { categoryIds } = storeCatalogBody.parse(input);
  const ids = [...new Set(categoryIds)].sort((a, b) => a - b);
  if (ids.length) {
    const found = await ctx.db.selectFrom('category').select('id').where('id', 'in', ids).execute();
    const have = new Set(found.map((r) => r.id));
    const missing = ids.find((i) => !have.has(i));
    if (missing !== undefined) throw new DomainError('NOT_FOUND', { entity: 'category', id: missing });
  }
  const before = await readStoreCatalog(ctx.db, storeId);
  await ctx.db
    .insertInto('store_catalog')
    .values({ store_id: storeId, category_ids: ids })
    .onConflict((oc) => oc.column('store_id').doUpdateSet({ category_ids: ids, updated_at: new Date() }))
    .execute();
  const after = await readStoreCatalog(ctx.db, storeId);
  await recordAudit(ctx, { action: 'update', entity: 'store_catalog', entityId: storeId, before, after, orgId: storeId });
  return after;
}

/** Used by 开新店: copy another store's assortment, or start the new store with the named categories. */
export async function applyStoreCatalogOnOpen(ctx: Ctx, storeId: number, option: OpenStoreCatalogOption | undefined) {
  if (!option) return null;
  if (option.copyFromStoreId !== undefined) {
    const source = await getStoreCatalog(ctx, option.copyFromStoreId);
    return setStoreCatalog(ctx, storeId, { categoryIds: source.categoryIds });
  }
  if (option.categoryIds !== undefined) return setStoreCatalog(ctx, storeId, { categoryIds: option.categoryIds });
  return null;
}
