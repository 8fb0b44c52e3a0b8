import type { FunctionCode } from '@erp/contracts';
import { type DB, sql, type Transaction } from '@erp/db';

/**
 * Whether a user holds `fn:action` through a role held over the store or an org above it: the same rule the
 * session applies (AUTH-1/2), asked for someone who is not the caller (a cashier uploaded by a till, a
 * supervisor authorising at a till).
 */
export async function usersWithGrantAtStore(
  db: Transaction<DB>,
  storeId: number,
  fn: FunctionCode,
  action: string,
  userIds?: readonly number[],
): Promise<Set<number>> {
  const rows = await sql<{ user_id: number }>`
    select distinct ur.user_id
      from user_role ur
      join role_grant g on g.role_id = ur.role_id and g.function_code = ${fn} and g.action = ${action}
      join app_user u on u.id = ur.user_id and u.active
     where ur.org_id in (select unnest(string_to_array(trim(both '/' from o.path), '/')::int[]) from org o where o.id = ${storeId})
       ${userIds ? sql`and ur.user_id = any(${[...userIds]}::int[])` : sql``}`.execute(db);
  return new Set(rows.rows.map((r) => r.user_id));
}

export async function userHasGrantAtStore(
  db: Transaction<DB>,
  userId: number,
  storeId: number,
  fn: FunctionCode,
  action: string,
): Promise<boolean> {
  return (await usersWithGrantAtStore(db, storeId, fn, action, [userId])).has(userId);
}

/** The highest discount a user may give at a store, in percent: their own setting, else the best of their roles'. */
export async function discountLimit(db: Transaction<DB>, userId: number, storeId: number): Promise<string> {
  return (await discountLimits(db, storeId, [userId])).get(userId) ?? '0';
}

/** discountLimit for several users in one query. */
export async function discountLimits(
  db: Transaction<DB>,
  storeId: number,
  userIds: readonly number[],
): Promise<Map<number, string>> {
  if (userIds.length === 0) return new Map();
  const r = await sql<{ user_id: number; own: string | null; by_role: string | null }>`
    with chain as (
      select t.id, t.depth from org o,
             unnest(string_to_array(trim(both '/' from o.path), '/')::int[]) with ordinality as t(id, depth)
       where o.id = ${storeId}
    ),
    per_role as (
      select distinct on (ur.user_id, rl.role_id) ur.user_id, rl.max_discount_rate
        from user_role ur
        join pos_role_limit rl on rl.role_id = ur.role_id
        join chain c on c.id = rl.org_id
       where ur.user_id = any(${[...userIds]}::int[]) and ur.org_id in (select id from chain)
       order by ur.user_id, rl.role_id, c.depth desc
    )
    select u.id as user_id, pc.max_discount_rate as own,
           (select max(p.max_discount_rate) from per_role p where p.user_id = u.id) as by_role
      from unnest(${[...userIds]}::int[]) as u(id)
      left join pos_cashier pc on pc.user_id = u.id`.execute(db);
  return new Map(r.rows.map((row) => [row.user_id, row.own ?? row.by_role ?? '0']));
}
