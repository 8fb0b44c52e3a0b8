import {
  type CreateRoleCommand,
  type CreateUserCommand,
  createRoleBody,
  createUserBody,
  DomainError,
  grantKey,
  isValidGrant,
  type UpdateRoleCommand,
  type UpdateUserCommand,
} from '@erp/contracts';
import { sql } from '@erp/db';
import { recordAudit } from '../audit/audit.service.js';
import { authorize, type Ctx } from '../platform/context.js';
import { assertPasswordPolicy, hashPassword, verifyPassword } from './passwords.js';
import { revokeAllSessions } from './session.service.js';

export interface UserDto {
  id: number;
  login: string;
  name: string;
  orgId: number;
  active: boolean;
  locale: string;
  lockedUntil: Date | null;
  roles: { roleId: number; roleCode: string; roleName: string; orgId: number }[];
}

async function loadUser(ctx: Ctx, id: number): Promise<UserDto> {
  const u = await ctx.db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
  if (!u || !ctx.scope.has(u.org_id)) throw new DomainError('NOT_FOUND', { entity: 'user', id });
  const roles = await ctx.db
    .selectFrom('user_role as ur')
    .innerJoin('role as r', 'r.id', 'ur.role_id')
    .select(['ur.role_id', 'r.code', 'r.name', 'ur.org_id'])
    .where('ur.user_id', '=', id)
    .orderBy('r.code')
    .execute();
  return {
    id: u.id,
    login: u.login,
    name: u.name,
    orgId: u.org_id,
    active: u.active,
    locale: u.locale,
    lockedUntil: u.locked_until,
    roles: roles.map((r) => ({ roleId: r.role_id, roleCode: r.code, roleName: r.name, orgId: r.org_id })),
  };
}

/**
 * A user may hand out a role over an org only inside their own scope, and only a role whose grants they
 * hold themselves: a store admin manages their own store's staff and cannot mint an HQ admin.
 */
async function assertAssignable(ctx: Ctx, roles: { roleId: number; orgId: number }[]): Promise<void> {
  for (const r of roles) {
    ctx.scope.assert(r.orgId, 'org', r.orgId);
    const role = await ctx.db.selectFrom('role').select(['id', 'org_id']).where('id', '=', r.roleId).executeTakeFirst();
    if (!role || (role.org_id !== null && !ctx.scope.has(role.org_id))) {
      throw new DomainError('NOT_FOUND', { entity: 'role', id: r.roleId });
    }
    const grants = await ctx.db
      .selectFrom('role_grant')
      .select(['function_code', 'action'])
      .where('role_id', '=', r.roleId)
      .execute();
    for (const g of grants) {
      const key = `${g.function_code}:${g.action}`;
      if (!ctx.actor.grants.has(key)) throw new DomainError('ROLE_GRANT_BEYOND_OWN', { grant: key });
    }
  }
}

function assertManageable(ctx: Ctx, orgId: number): void {
  if (!ctx.scope.has(orgId)) throw new DomainError('CANNOT_MANAGE_USER');
}

/** Whether a login name is taken; logins are unique ignoring case. Also the open-store check's rule. */
export async function isLoginTaken(ctx: Ctx, login: string): Promise<boolean> {
  const dup = await ctx.db
    .selectFrom('app_user')
    .select('id')
    .where(sql`lower(login)`, '=', login.toLowerCase())
    .executeTakeFirst();
  return !!dup;
}

export async function createUser(ctx: Ctx, input: CreateUserCommand): Promise<UserDto> {
  authorize(ctx, 'user', 'create');
  const cmd = createUserBody.parse(input);
  assertManageable(ctx, cmd.orgId);
  assertPasswordPolicy(cmd.password, cmd.login);
  if (await isLoginTaken(ctx, cmd.login)) throw new DomainError('DUPLICATE', { field: 'login', value: cmd.login });
  await assertAssignable(ctx, cmd.roles);
  const row = await ctx.db
    .insertInto('app_user')
    .values({
      login: cmd.login,
      name: cmd.name,
      org_id: cmd.orgId,
      password_hash: await hashPassword(cmd.password),
      locale: cmd.locale,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (cmd.roles.length) {
    await ctx.db
      .insertInto('user_role')
      .values(cmd.roles.map((r) => ({ user_id: row.id, role_id: r.roleId, org_id: r.orgId })))
      .execute();
  }
  const dto = await loadUser(ctx, row.id);
  await recordAudit(ctx, { action: 'create', entity: 'user', entityId: row.id, after: dto, orgId: cmd.orgId });
  return dto;
}

export async function updateUser(ctx: Ctx, id: number, cmd: UpdateUserCommand): Promise<UserDto> {
  authorize(ctx, 'user', 'edit');
  const before = await loadUser(ctx, id);
  assertManageable(ctx, before.orgId);
  if (cmd.active === false && id === ctx.actor.userId) throw new DomainError('CANNOT_MANAGE_USER');
  if (cmd.roles) {
    authorize(ctx, 'user', 'manage');
    // Roles over orgs the actor cannot see stay as they are.
    await assertAssignable(ctx, cmd.roles);
    await ctx.db
      .deleteFrom('user_role')
      .where('user_id', '=', id)
      .where('org_id', 'in', [...ctx.scope.ids, -1])
      .execute();
    if (cmd.roles.length) {
      await ctx.db
        .insertInto('user_role')
        .values(cmd.roles.map((r) => ({ user_id: id, role_id: r.roleId, org_id: r.orgId })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }
  await ctx.db
    .updateTable('app_user')
    .set({
      ...(cmd.name !== undefined ? { name: cmd.name } : {}),
      ...(cmd.locale !== undefined ? { locale: cmd.locale } : {}),
      ...(cmd.active !== undefined ? { active: cmd.active } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
  if (cmd.active === false) await revokeAllSessions(ctx.db, id);
  const after = await loadUser(ctx, id);
  await recordAudit(ctx, { action: 'update', entity: 'user', entityId: id, before, after, orgId: after.orgId });
  return after;
}

export async function resetUserPassword(ctx: Ctx, id: number, newPassword: string): Promise<void> {
  authorize(ctx, 'user', 'manage');
  const user = await loadUser(ctx, id);
  assertManageable(ctx, user.orgId);
  assertPasswordPolicy(newPassword, user.login);
  await ctx.db
    .updateTable('app_user')
    .set({
      password_hash: await hashPassword(newPassword),
      password_changed_at: new Date(),
      failed_logins: 0,
      locked_until: null,
    })
    .where('id', '=', id)
    .execute();
  await revokeAllSessions(ctx.db, id);
  await recordAudit(ctx, { action: 'reset_password', entity: 'user', entityId: id, orgId: user.orgId });
}

export async function changeOwnPassword(ctx: Ctx, currentPassword: string, newPassword: string): Promise<void> {
  const u = await ctx.db.selectFrom('app_user').selectAll().where('id', '=', ctx.actor.userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(u.password_hash, currentPassword))) throw new DomainError('WRONG_PASSWORD');
  assertPasswordPolicy(newPassword, u.login);
  await ctx.db
    .updateTable('app_user')
    .set({ password_hash: await hashPassword(newPassword), password_changed_at: new Date() })
    .where('id', '=', u.id)
    .execute();
  await recordAudit(ctx, { action: 'change_password', entity: 'user', entityId: u.id, orgId: u.org_id });
}

export async function getUser(ctx: Ctx, id: number): Promise<UserDto> {
  authorize(ctx, 'user', 'view');
  return loadUser(ctx, id);
}

export async function listUsers(ctx: Ctx, q: { orgId?: number; q?: string; page: number; pageSize: number }) {
  authorize(ctx, 'user', 'view');
  if (q.orgId !== undefined) ctx.scope.assert(q.orgId, 'org', q.orgId);
  let query = ctx.db
    .selectFrom('app_user as u')
    .innerJoin('org as o', 'o.id', 'u.org_id')
    .where('u.org_id', 'in', q.orgId !== undefined ? [q.orgId] : [...ctx.scope.ids, -1]);
  if (q.q) query = query.where((eb) => eb.or([eb('u.login', 'ilike', `%${q.q}%`), eb('u.name', 'ilike', `%${q.q}%`)]));
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const items = await query
    .select([
      'u.id',
      'u.login',
      'u.name',
      'u.org_id as orgId',
      'o.name as orgName',
      'u.active',
      'u.locale',
      'u.locked_until as lockedUntil',
    ])
    .orderBy('u.login')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return { items, total: Number(total), page: q.page, pageSize: q.pageSize };
}

/** Logout everywhere for oneself, or for a manageable user. */
export async function logoutEverywhere(ctx: Ctx, userId: number): Promise<number> {
  if (userId !== ctx.actor.userId) {
    authorize(ctx, 'user', 'manage');
    const user = await loadUser(ctx, userId);
    assertManageable(ctx, user.orgId);
  }
  const n = await revokeAllSessions(ctx.db, userId);
  await recordAudit(ctx, { action: 'logout_everywhere', entity: 'user', entityId: userId, detail: { sessions: n } });
  return n;
}

// ---- roles

export interface RoleDto {
  id: number;
  code: string;
  name: string;
  nameEn: string | null;
  orgId: number | null;
  builtin: boolean;
  grants: { function: string; action: string }[];
}

async function loadRole(ctx: Ctx, id: number): Promise<RoleDto> {
  const r = await ctx.db.selectFrom('role').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r || (r.org_id !== null && !ctx.scope.has(r.org_id))) throw new DomainError('NOT_FOUND', { entity: 'role', id });
  const grants = await ctx.db
    .selectFrom('role_grant')
    .select(['function_code as function', 'action'])
    .where('role_id', '=', id)
    .orderBy('function_code')
    .orderBy('action')
    .execute();
  return { id: r.id, code: r.code, name: r.name, nameEn: r.name_en, orgId: r.org_id, builtin: r.builtin, grants };
}

function validateGrants(ctx: Ctx, grants: { function: string; action: string }[]): void {
  for (const g of grants) {
    if (!isValidGrant(g)) {
      throw new DomainError('VALIDATION_FAILED', {}, [
        { path: 'grants', code: 'invalid_grant', message: `${g.function}:${g.action}` },
      ]);
    }
    if (!ctx.actor.grants.has(grantKey(g))) throw new DomainError('ROLE_GRANT_BEYOND_OWN', { grant: grantKey(g) });
  }
}

export async function createRole(ctx: Ctx, input: CreateRoleCommand, opts: { builtin?: boolean } = {}): Promise<RoleDto> {
  authorize(ctx, 'role', 'create');
  const cmd = createRoleBody.parse(input);
  // A role belongs to an org (a store's own roles) or, when created by someone who sees the whole chain, to all.
  const orgId = cmd.orgId ?? null;
  if (orgId !== null) ctx.scope.assert(orgId, 'org', orgId);
  else {
    const root = await ctx.db.selectFrom('org').select('id').where('parent_id', 'is', null).executeTakeFirst();
    if (root && !ctx.scope.has(root.id)) throw new DomainError('FORBIDDEN', { function: 'role', action: 'create' });
  }
  validateGrants(ctx, cmd.grants);
  const dup = await ctx.db.selectFrom('role').select('id').where('code', '=', cmd.code).executeTakeFirst();
  if (dup) throw new DomainError('DUPLICATE', { field: 'code', value: cmd.code });
  const row = await ctx.db
    .insertInto('role')
    .values({ code: cmd.code, name: cmd.name, name_en: cmd.nameEn ?? null, org_id: orgId, builtin: opts.builtin ?? false })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (cmd.grants.length) {
    await ctx.db
      .insertInto('role_grant')
      .values(cmd.grants.map((g) => ({ role_id: row.id, function_code: g.function, action: g.action })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  const dto = await loadRole(ctx, row.id);
  await recordAudit(ctx, { action: 'create', entity: 'role', entityId: row.id, after: dto, orgId: orgId ?? ctx.actor.orgId });
  return dto;
}

export async function updateRole(ctx: Ctx, id: number, cmd: UpdateRoleCommand): Promise<RoleDto> {
  authorize(ctx, 'role', 'edit');
  const before = await loadRole(ctx, id);
  if (before.orgId === null) {
    const root = await ctx.db.selectFrom('org').select('id').where('parent_id', 'is', null).executeTakeFirst();
    if (root && !ctx.scope.has(root.id)) throw new DomainError('FORBIDDEN', { function: 'role', action: 'edit' });
  }
  if (cmd.grants) {
    validateGrants(ctx, cmd.grants);
    await ctx.db.deleteFrom('role_grant').where('role_id', '=', id).execute();
    if (cmd.grants.length) {
      await ctx.db
        .insertInto('role_grant')
        .values(cmd.grants.map((g) => ({ role_id: id, function_code: g.function, action: g.action })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }
  await ctx.db
    .updateTable('role')
    .set({
      ...(cmd.name !== undefined ? { name: cmd.name } : {}),
      ...(cmd.nameEn !== undefined ? { name_en: cmd.nameEn } : {}),
    })
    .where('id', '=', id)
    .execute();
  const after = await loadRole(ctx, id);
  await recordAudit(ctx, {
    action: 'update',
    entity: 'role',
    entityId: id,
    before,
    after,
    orgId: before.orgId ?? ctx.actor.orgId,
  });
  return after;
}

export async function listRoles(ctx: Ctx): Promise<RoleDto[]> {
  authorize(ctx, 'role', 'view');
  const rows = await ctx.db
    .selectFrom('role')
    .select('id')
    .where((eb) => eb.or([eb('org_id', 'is', null), eb('org_id', 'in', [...ctx.scope.ids, -1])]))
    .orderBy('code')
    .execute();
  return Promise.all(rows.map((r) => loadRole(ctx, r.id)));
}

export async function getRole(ctx: Ctx, id: number): Promise<RoleDto> {
  authorize(ctx, 'role', 'view');
  return loadRole(ctx, id);
}

export async function findRoleByCode(ctx: Ctx, code: string): Promise<RoleDto> {
  const r = await ctx.db.selectFrom('role').select('id').where('code', '=', code).executeTakeFirst();
  if (!r) throw new DomainError('NOT_FOUND', { entity: 'role', id: code });
  return loadRole(ctx, r.id);
}
