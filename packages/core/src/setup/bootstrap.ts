import { allGrants } from '@erp/contracts';
import type { DB, Kysely } from '@erp/db';
import { assertPasswordPolicy, hashPassword } from '../auth/passwords.js';
import { createOrg } from '../org/org.service.js';
import type { Actor, Ctx } from '../platform/context.js';
import { inTransaction } from '../platform/transaction.js';
import { allBuiltinRoles } from '../registry.js';

/** The actor of set-up and background jobs: every grant, every org. Never reachable through the API. */
export async function systemActor(db: Kysely<DB>): Promise<Actor> {
  const orgs = await db.selectFrom('org').select('id').execute();
  return {
    userId: 0,
    login: 'system',
    name: 'System',
    orgId: orgs[0]?.id ?? 0,
    grants: new Set(allGrants().map((g) => `${g.function}:${g.action}`)),
    orgIds: orgs.map((o) => o.id),
  };
}

export async function asSystem<T>(db: Kysely<DB>, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  return inTransaction(db, { actor: await systemActor(db), requestId: 'system' }, fn);
}

/** Creates missing built-in roles and brings their grants up to date. */
export async function syncBuiltinRoles(db: Kysely<DB>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const def of allBuiltinRoles()) {
      const row = await trx
        .insertInto('role')
        .values({ code: def.code, name: def.name, name_en: def.nameEn, org_id: null, builtin: true })
        .onConflict((oc) => oc.column('code').doUpdateSet({ builtin: true }))
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.deleteFrom('role_grant').where('role_id', '=', row.id).execute();
      const grants = def.grants();
      if (grants.length) {
        await trx
          .insertInto('role_grant')
          .values(grants.map((g) => ({ role_id: row.id, function_code: g.function, action: g.action })))
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    }
  });
}

export interface BootstrapOptions {
  companyCode: string;
  companyName: string;
  hqCode: string;
  hqName: string;
  adminLogin: string;
  adminPassword: string;
  adminName?: string;
}

/**
 * First start of an empty database: the company, its HQ, and the first HQ administrator. Does nothing
 * when an org already exists. Returns whether it created anything.
 */
export async function bootstrap(db: Kysely<DB>, opts: BootstrapOptions): Promise<boolean> {
  await syncBuiltinRoles(db);
  const existing = await db.selectFrom('org').select('id').limit(1).executeTakeFirst();
  if (existing) return false;
  assertPasswordPolicy(opts.adminPassword, opts.adminLogin);
  await asSystem(db, async (ctx) => {
    const company = await createOrg(ctx, { parentId: null, code: opts.companyCode, name: opts.companyName, kind: 'company' });
    const hq = await createOrg(ctx, { parentId: company.id, code: opts.hqCode, name: opts.hqName, kind: 'hq' });
    const admin = await ctx.db
      .insertInto('app_user')
      .values({
        login: opts.adminLogin,
        name: opts.adminName ?? '系统管理员',
        org_id: hq.id,
        password_hash: await hashPassword(opts.adminPassword),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const role = await ctx.db.selectFrom('role').select('id').where('code', '=', 'hq_admin').executeTakeFirstOrThrow();
    await ctx.db.insertInto('user_role').values({ user_id: admin.id, role_id: role.id, org_id: company.id }).execute();
  });
  return true;
}
