import {
  DEFAULT_HOTKEYS,
  DomainError,
  type HotkeyAction,
  type ReceiptTemplate,
  type RoundingRule,
  receiptTemplate,
  roleDiscountLimitBody,
  type StoreSettingsCommand,
  storeSettingsBody,
} from '@erp/contracts';
import { type DB, sql, type Transaction } from '@erp/db';
import { recordAudit } from '../audit/audit.service.js';
import { getVisibleOrg } from '../org/org.service.js';
import { authorize, type Ctx } from '../platform/context.js';
import { discountLimits } from './pos.access.js';
import { makePinVerifier } from './pos.pins.js';
import { pinProblems } from './pos.rules.js';
import { forgetStore } from './till-cache.js';

// Per-store till settings (rounding 抹零, hotkeys 热键设置, receipt templates) and cashier settings
// (till PIN, discount limits per role and per user).

export function defaultReceiptTemplate(width: 58 | 80): ReceiptTemplate {
  return receiptTemplate.parse({
    header: width === 80 ? ['{storeName}', '{storeAddress}', '电话 {storePhone}'] : ['{storeName}'],
  });
}

export interface StoreSettingsDto {
  storeId: number;
  rounding: RoundingRule;
  hotkeys: { action: HotkeyAction; key: string }[];
  receiptTemplates: { '58': ReceiptTemplate; '80': ReceiptTemplate };
  allowOfflineAuthorization: boolean;
  authorizationTtlSeconds: number;
  /** Lots past their expiry may be sold (default no). */
  sellExpired: boolean;
  syncSeq: number;
}

type SettingsRow = {
  store_id: number;
  rounding_unit: '0' | '0.1' | '1';
  rounding_mode: 'down' | 'half_up';
  hotkeys: unknown;
  receipt_templates: unknown;
  allow_offline_authorization: boolean;
  authorization_ttl_seconds: number;
  sell_expired: boolean;
  sync_seq: number;
};

function toSettingsDto(storeId: number, r: SettingsRow | undefined): StoreSettingsDto {
  const templates = (r?.receipt_templates ?? {}) as Partial<Record<'58' | '80', unknown>>;
  const hotkeys = r?.hotkeys as StoreSettingsDto['hotkeys'] | undefined;
  return {
    storeId,
    rounding: { unit: r?.rounding_unit ?? '0', mode: r?.rounding_mode ?? 'down' },
    hotkeys: hotkeys?.length ? hotkeys : DEFAULT_HOTKEYS,
    receiptTemplates: {
      '58': templates['58'] ? receiptTemplate.parse(templates['58']) : defaultReceiptTemplate(58),
      '80': templates['80'] ? receiptTemplate.parse(templates['80']) : defaultReceiptTemplate(80),
    },
    allowOfflineAuthorization: r?.allow_offline_authorization ?? true,
    authorizationTtlSeconds: r?.authorization_ttl_seconds ?? 300,
    sellExpired: r?.sell_expired ?? false,
    syncSeq: Number(r?.sync_seq ?? 0),
  };
}

/** Settings as stored (or the defaults), without permission checks: for the till paths that already checked. */
export async function loadStoreSettings(db: Transaction<DB>, storeId: number): Promise<StoreSettingsDto> {
  const row = await db.selectFrom('pos_store_settings').selectAll().where('store_id', '=', storeId).executeTakeFirst();
  return toSettingsDto(storeId, row);
}

async function assertStore(ctx: Ctx, storeId: number) {
  const org = await getVisibleOrg(ctx, storeId);
  if (org.kind !== 'store') throw new DomainError('ORG_NOT_A_STORE', { org: org.code });
}

export async function getStoreSettings(ctx: Ctx, storeId: number): Promise<StoreSettingsDto> {
  authorize(ctx, 'pos.settings', 'view');
  await assertStore(ctx, storeId);
  return loadStoreSettings(ctx.db, storeId);
}

export async function updateStoreSettings(ctx: Ctx, storeId: number, input: StoreSettingsCommand): Promise<StoreSettingsDto> {
  const cmd = storeSettingsBody.parse(input);
  authorize(ctx, 'pos.settings', 'edit');
  await assertStore(ctx, storeId);
  const before = await loadStoreSettings(ctx.db, storeId);
  const templates = { ...before.receiptTemplates, ...(cmd.receiptTemplates ?? {}) };
  const values = {
    rounding_unit: cmd.rounding?.unit ?? before.rounding.unit,
    rounding_mode: cmd.rounding?.mode ?? before.rounding.mode,
    hotkeys: JSON.stringify(cmd.hotkeys ?? before.hotkeys),
    receipt_templates: JSON.stringify(templates),
    allow_offline_authorization: cmd.allowOfflineAuthorization ?? before.allowOfflineAuthorization,
    authorization_ttl_seconds: cmd.authorizationTtlSeconds ?? before.authorizationTtlSeconds,
    sell_expired: cmd.sellExpired ?? before.sellExpired,
  };
  await ctx.db
    .insertInto('pos_store_settings')
    .values({ store_id: storeId, ...values })
    .onConflict((oc) =>
      oc.column('store_id').doUpdateSet({ ...values, sync_seq: sql`nextval('pos_sync_seq')`, updated_at: new Date() }),
    )
    .execute();
  const after = await loadStoreSettings(ctx.db, storeId);
  forgetStore(storeId);
  await recordAudit(ctx, { action: 'update', entity: 'pos_store_settings', entityId: storeId, before, after, orgId: storeId });
  return after;
}

// ---- discount limits (AUTH-4)

export async function setRoleDiscountLimit(ctx: Ctx, input: unknown) {
  const cmd = roleDiscountLimitBody.parse(input);
  authorize(ctx, 'pos.settings', 'edit');
  ctx.scope.assert(cmd.orgId, 'org', cmd.orgId);
  const role = await ctx.db.selectFrom('role').select(['id', 'org_id']).where('id', '=', cmd.roleId).executeTakeFirst();
  if (!role || (role.org_id !== null && !ctx.scope.has(role.org_id)))
    throw new DomainError('NOT_FOUND', { entity: 'role', id: cmd.roleId });
  const before = await ctx.db
    .selectFrom('pos_role_limit')
    .selectAll()
    .where('org_id', '=', cmd.orgId)
    .where('role_id', '=', cmd.roleId)
    .executeTakeFirst();
  await ctx.db
    .insertInto('pos_role_limit')
    .values({ org_id: cmd.orgId, role_id: cmd.roleId, max_discount_rate: cmd.maxDiscountRate })
    .onConflict((oc) => oc.columns(['org_id', 'role_id']).doUpdateSet({ max_discount_rate: cmd.maxDiscountRate }))
    .execute();
  // Tills re-read their cashiers when any of these change.
  await sql`update pos_cashier set sync_seq = nextval('pos_sync_seq')
             where user_id in (select user_id from user_role where role_id = ${cmd.roleId})`.execute(ctx.db);
  const after = { orgId: cmd.orgId, roleId: cmd.roleId, maxDiscountRate: cmd.maxDiscountRate };
  await recordAudit(ctx, {
    action: 'update',
    entity: 'pos_role_limit',
    entityId: `${cmd.roleId}@${cmd.orgId}`,
    before: before ?? null,
    after,
    orgId: cmd.orgId,
  });
  return after;
}

export async function listRoleDiscountLimits(ctx: Ctx, orgId: number) {
  authorize(ctx, 'pos.settings', 'view');
  ctx.scope.assert(orgId, 'org', orgId);
  const rows = await ctx.db
    .selectFrom('pos_role_limit as l')
    .innerJoin('role as r', 'r.id', 'l.role_id')
    .select(['l.org_id', 'l.role_id', 'r.code', 'r.name', 'l.max_discount_rate'])
    .where('l.org_id', '=', orgId)
    .orderBy('r.code')
    .execute();
  return rows.map((r) => ({
    orgId: r.org_id,
    roleId: r.role_id,
    roleCode: r.code,
    roleName: r.name,
    maxDiscountRate: r.max_discount_rate,
  }));
}

function assertPin(pin: string): void {
  const problems = pinProblems(pin);
  if (problems.length) throw new DomainError('POS_PIN_POLICY', { problems: problems.join(',') });
}

async function writeCashier(
  ctx: Ctx,
  userId: number,
  patch: { pin?: string | undefined; maxDiscountRate?: string | null | undefined },
): Promise<void> {
  const values: Record<string, unknown> = {};
  if (patch.pin !== undefined) {
    assertPin(patch.pin);
    const v = await makePinVerifier(patch.pin);
    Object.assign(values, {
      pin_salt: v.salt,
      pin_hash: v.hash,
      pin_iterations: v.iterations,
      failed_pins: 0,
      locked_until: null,
    });
  }
  if (patch.maxDiscountRate !== undefined) values.max_discount_rate = patch.maxDiscountRate;
  await ctx.db
    .insertInto('pos_cashier')
    .values({ user_id: userId, ...values })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({ ...values, sync_seq: sql`nextval('pos_sync_seq')`, updated_at: new Date() }),
    )
    .execute();
}

/** An administrator sets a user's till PIN and/or own discount limit (the user must be in the actor's scope). */
export async function updateCashierSettings(
  ctx: Ctx,
  userId: number,
  cmd: { pin?: string | undefined; maxDiscountRate?: string | null | undefined },
) {
  authorize(ctx, 'pos.settings', 'edit');
  const user = await ctx.db.selectFrom('app_user').select(['id', 'org_id', 'login']).where('id', '=', userId).executeTakeFirst();
  if (!user || !ctx.scope.has(user.org_id)) throw new DomainError('NOT_FOUND', { entity: 'user', id: userId });
  const before = await ctx.db
    .selectFrom('pos_cashier')
    .select(['max_discount_rate'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  await writeCashier(ctx, userId, cmd);
  const after = { maxDiscountRate: cmd.maxDiscountRate ?? before?.max_discount_rate ?? null, pinChanged: cmd.pin !== undefined };
  await recordAudit(ctx, {
    action: 'update',
    entity: 'pos_cashier',
    entityId: userId,
    before: { maxDiscountRate: before?.max_discount_rate ?? null },
    after,
    orgId: user.org_id,
  });
  return { userId, ...after };
}

/** A cashier sets their own till PIN (signed in to the back office with their password). */
export async function setOwnPin(ctx: Ctx, pin: string) {
  await writeCashier(ctx, ctx.actor.userId, { pin });
  await recordAudit(ctx, { action: 'pos.pin_changed', entity: 'pos_cashier', entityId: ctx.actor.userId });
  return { ok: true as const };
}

/** Cashiers of a store with their limits, for the back office. */
export async function listStoreCashiers(ctx: Ctx, storeId: number) {
  authorize(ctx, 'pos.settings', 'view');
  await assertStore(ctx, storeId);
  const rows = await sql<{
    id: number;
    login: string;
    name: string;
    has_pin: boolean;
    own_rate: string | null;
    can_authorize: boolean;
    locked_until: Date | null;
  }>`
    select u.id, u.login, u.name, c.pin_hash is not null as has_pin, c.max_discount_rate as own_rate, c.locked_until,
           exists (select 1 from user_role ur2 join role_grant g2 on g2.role_id = ur2.role_id
                    where ur2.user_id = u.id and g2.function_code = 'pos.authorize' and g2.action = 'approve'
                      and ur2.org_id in (select unnest(string_to_array(trim(both '/' from o.path), '/')::int[]))) as can_authorize
      from org o
      join user_role ur on ur.org_id in (select unnest(string_to_array(trim(both '/' from o.path), '/')::int[]))
      join role_grant g on g.role_id = ur.role_id and g.function_code = 'pos.sale' and g.action = 'create'
      join app_user u on u.id = ur.user_id and u.active
      left join pos_cashier c on c.user_id = u.id
     where o.id = ${storeId} and u.id <> 0
     group by u.id, u.login, u.name, c.pin_hash, c.max_discount_rate, c.locked_until, o.path
     order by u.login`.execute(ctx.db);
  const limits = await discountLimits(
    ctx.db,
    storeId,
    rows.rows.map((r) => r.id),
  );
  return rows.rows.map((r) => ({
    userId: r.id,
    login: r.login,
    name: r.name,
    hasPin: r.has_pin,
    ownDiscountRate: r.own_rate,
    effectiveDiscountRate: limits.get(r.id) ?? '0',
    canAuthorize: r.can_authorize,
    lockedUntil: r.locked_until,
  }));
}
