import { DomainError } from '@erp/contracts';
import { type DB, sql, type Transaction } from '@erp/db';
import { ancestorIds } from '../org/index.js';
import { type Ctx, OrgScope } from '../platform/context.js';

export interface OrgFacts {
  id: number;
  code: string;
  name: string;
  kind: 'company' | 'hq' | 'dc' | 'retail_centre' | 'store';
  path: string;
}

export async function orgFacts(db: Transaction<DB>, orgId: number): Promise<OrgFacts> {
  const org = await db
    .selectFrom('org')
    .select(['id', 'code', 'name', 'kind', 'path'])
    .where('id', '=', orgId)
    .executeTakeFirst();
  if (!org) throw new DomainError('NOT_FOUND', { entity: 'org', id: orgId });
  return org;
}

/** Purchase orders, receipts and returns belong to an org that holds goods and buys them: a DC or a store. */
export function assertPurchasingOrg(org: OrgFacts): void {
  if (org.kind !== 'dc' && org.kind !== 'store')
    throw new DomainError('PUR_ORG_CANNOT_PURCHASE', { org: `${org.code} ${org.name}` });
}

/**
 * Whether the actor acts as headquarters for `orgPath`: their data scope holds the company or an HQ org
 * above (or at) it. Store users never do, whatever grants a role gives them.
 */
export async function isHqActorFor(ctx: Ctx, orgPath: string): Promise<boolean> {
  const chain = ancestorIds(orgPath);
  const rows = await sql<{ id: number }>`
    select id from org where id = any(${chain}::int[]) and kind in ('company', 'hq')`.execute(ctx.db);
  return rows.rows.some((r) => ctx.scope.has(r.id));
}

export async function assertHqActorFor(ctx: Ctx, orgPath: string, what: string): Promise<void> {
  if (!(await isHqActorFor(ctx, orgPath))) throw new DomainError('PUR_HQ_ONLY', { what });
}

/**
 * The same caller, same transaction, with the grants and scope a consequence of their act needs: an order
 * completes itself when a receipt fills it (the keeper posting the receipt holds no grant to complete
 * orders), and an approved first-operation application creates its master record (the approver's grant
 * to approve is the authority for that one record). Audit entries still name the real user.
 */
export function actingFor(ctx: Ctx, grants: readonly string[], extraOrgIds: readonly number[] = []): Ctx {
  return {
    ...ctx,
    actor: { ...ctx.actor, grants: new Set([...ctx.actor.grants, ...grants]) },
    scope: new OrgScope([...ctx.scope.ids, ...extraOrgIds]),
  };
}

/** The root of the org tree (the company): owner of company-wide master data. */
export async function companyId(db: Transaction<DB>): Promise<number> {
  const root = await db.selectFrom('org').select('id').where('parent_id', 'is', null).orderBy('id').executeTakeFirstOrThrow();
  return root.id;
}
