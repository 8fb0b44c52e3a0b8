import { DomainError } from '@erp/contracts';
import type { DB, Kysely, Transaction } from '@erp/db';
import type { Ctx } from '../platform/context.js';

export type Db = Kysely<DB> | Transaction<DB>;

/** The org that owns company-wide master data: the root of the org tree (the company). */
export async function masterDataOrgId(db: Db): Promise<number> {
  const root = await db.selectFrom('org').select('id').where('parent_id', 'is', null).orderBy('id').executeTakeFirst();
  if (!root) throw new DomainError('NOT_FOUND', { entity: 'org', id: 'root' });
  return root.id;
}

/**
 * Company-wide master data (products, categories, brands, units, prices for all stores…) is maintained by
 * people whose data scope covers the company. A store user, whatever grants a role gives them, reads it
 * but cannot change it (AUTH-2): their scope is their store.
 */
export async function assertMasterDataWriter(ctx: Ctx): Promise<number> {
  const root = await masterDataOrgId(ctx.db);
  if (!ctx.scope.has(root)) throw new DomainError('MASTER_DATA_HQ_ONLY');
  return root;
}

/**
 * Orgs whose records the actor may read: the orgs in scope and every org above them (a store sees the
 * company's suppliers, not another store's). One query over the scope's paths.
 */
export async function readableOwnerOrgIds(ctx: Ctx): Promise<number[]> {
  const ids = ctx.scope.ids;
  if (!ids.length) return [-1];
  const rows = await ctx.db
    .selectFrom('org')
    .select('path')
    .where('id', 'in', [...ids])
    .execute();
  const out = new Set<number>(ids);
  for (const r of rows) for (const part of r.path.split('/')) if (part) out.add(Number(part));
  return [...out];
}

/** Whether `storeId` is a store the actor may see; NOT_FOUND otherwise (no leak of its existence). */
export async function assertVisibleStore(ctx: Ctx, storeId: number): Promise<{ id: number; region: string | null }> {
  ctx.scope.assert(storeId, 'org', storeId);
  const org = await ctx.db.selectFrom('org').select(['id', 'kind', 'region']).where('id', '=', storeId).executeTakeFirst();
  if (!org) throw new DomainError('NOT_FOUND', { entity: 'org', id: storeId });
  if (org.kind !== 'store') throw new DomainError('ORG_NOT_A_STORE', { org: storeId });
  return { id: org.id, region: org.region };
}

export function isoOrNull(d: Date | string | null | undefined): string | null {
  if (d === null || d === undefined) return null;
  return d instanceof Date ? d.toISOString() : new Date(d).toISOString();
}

export function iso(d: Date | string): string {
  return d instanceof Date ? d.toISOString() : new Date(d).toISOString();
}
