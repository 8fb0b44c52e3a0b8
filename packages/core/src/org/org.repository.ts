import type { OrgTable } from '@erp/db';
import { type DB, type Selectable, sql, type Transaction } from '@erp/db';

export type OrgRow = Selectable<OrgTable>;

export function findOrg(db: Transaction<DB>, id: number): Promise<OrgRow | undefined> {
  return db.selectFrom('org').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findOrgByCode(db: Transaction<DB>, code: string): Promise<OrgRow | undefined> {
  return db.selectFrom('org').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Ids of `rootIds` and every org below them. */
export async function subtreeIds(db: Transaction<DB>, rootIds: readonly number[]): Promise<number[]> {
  if (rootIds.length === 0) return [];
  const rows = await db
    .selectFrom('org as o')
    .innerJoin('org as r', (j) => j.on(sql<boolean>`o.path like r.path || '%'`))
    .where('r.id', 'in', rootIds)
    .select('o.id')
    .distinct()
    .execute();
  return rows.map((r) => r.id);
}

export function ancestorIds(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number);
}
