import { randomUUID } from 'node:crypto';
import { type AuthorizationCommand, authorizationBody, authorizationPurposeLabels, DomainError, dec } from '@erp/contracts';
import { type DB, sql, type Transaction } from '@erp/db';
import { recordAudit } from '../audit/audit.service.js';
import { authorize, type Ctx } from '../platform/context.js';
import { discountLimit, userHasGrantAtStore } from './pos.access.js';
import { checkPin, dummyPinVerifier } from './pos.pins.js';
import { loadStoreSettings } from './settings.service.js';
import { MAX_FAILED_PINS, PIN_LOCK_MINUTES, resolveTill, type TillAuth } from './terminal.service.js';

// AUTH-4 special-function authorisation (特殊功能授权): a supervisor authorises one thing at the till with
// their login and till PIN; the result is short-lived, single-purpose, single-use and audited.

export type PinCheck =
  | { ok: true; user: { id: number; login: string; name: string; org_id: number } }
  | {
      ok: false;
      code: 'POS_PIN_INVALID' | 'POS_PIN_LOCKED' | 'POS_PIN_NOT_SET' | 'ACCOUNT_DISABLED';
      params: Record<string, string>;
    };

/** Checks a user's till PIN, counting failures towards a lockout (the caller must commit even on failure). */
export async function checkUserPin(db: Transaction<DB>, login: string, pin: string): Promise<PinCheck> {
  const user = await db
    .selectFrom('app_user')
    .select(['id', 'login', 'name', 'active', 'org_id'])
    .where(sql`lower(login)`, '=', login.toLowerCase())
    .executeTakeFirst();
  const cashier = user
    ? await db.selectFrom('pos_cashier').selectAll().where('user_id', '=', user.id).forUpdate().executeTakeFirst()
    : undefined;
  if (!user || !cashier?.pin_hash) {
    await checkPin(pin, await dummyPinVerifier());
    return user
      ? { ok: false, code: 'POS_PIN_NOT_SET', params: { login: user.login } }
      : { ok: false, code: 'POS_PIN_INVALID', params: {} };
  }
  const now = new Date();
  if (cashier.locked_until && cashier.locked_until > now) {
    return { ok: false, code: 'POS_PIN_LOCKED', params: { until: cashier.locked_until.toISOString() } };
  }
  const ok = await checkPin(pin, {
    salt: cashier.pin_salt as string,
    hash: cashier.pin_hash,
    iterations: cashier.pin_iterations as number,
  });
  if (!ok) {
    const failures = cashier.failed_pins + 1;
    const lock = failures >= MAX_FAILED_PINS ? new Date(now.getTime() + PIN_LOCK_MINUTES * 60_000) : null;
    await db
      .updateTable('pos_cashier')
      .set({ failed_pins: lock ? 0 : failures, locked_until: lock })
      .where('user_id', '=', user.id)
      .execute();
    return lock
      ? { ok: false, code: 'POS_PIN_LOCKED', params: { until: lock.toISOString() } }
      : { ok: false, code: 'POS_PIN_INVALID', params: {} };
  }
  if (!user.active) return { ok: false, code: 'ACCOUNT_DISABLED', params: {} };
  if (cashier.failed_pins || cashier.locked_until) {
    await db.updateTable('pos_cashier').set({ failed_pins: 0, locked_until: null }).where('user_id', '=', user.id).execute();
  }
  return { ok: true, user: { id: user.id, login: user.login, name: user.name, org_id: user.org_id } };
}

export interface AuthorizationDto {
  id: string;
  purpose: string;
  supervisor: { id: number; login: string; name: string };
  clientSaleId: string | null;
  maxDiscountRate: string | null;
  expiresAt: Date;
}

export type AuthorizationResult =
  | { ok: true; authorization: AuthorizationDto }
  | { ok: false; code: string; params: Record<string, string> };

/**
 * A supervisor authorises a special function at the caller's till (AUTH-4). A wrong PIN is answered with
 * `ok: false` (and the failure is kept, so the caller commits); other refusals throw.
 */
export async function authorizeAtTill(ctx: Ctx, auth: TillAuth, input: AuthorizationCommand): Promise<AuthorizationResult> {
  const cmd = authorizationBody.parse(input);
  const till = await resolveTill(ctx, auth);
  authorize(ctx, 'pos.sale', 'create');
  const check = await checkUserPin(ctx.db, cmd.login, cmd.pin);
  if (!check.ok) {
    await recordAudit(ctx, {
      action: 'pos.authorization_failed',
      entity: 'pos_authorization',
      detail: { login: cmd.login, purpose: cmd.purpose, reason: check.code },
      orgId: till.storeId,
    });
    return { ok: false, code: check.code, params: check.params };
  }
  const supervisor = check.user;
  if (!(await userHasGrantAtStore(ctx.db, supervisor.id, till.storeId, 'pos.authorize', 'approve'))) {
    throw new DomainError('POS_NOT_A_SUPERVISOR', { login: supervisor.login });
  }
  let maxRate: string | null = null;
  if (cmd.purpose === 'discount') {
    const limit = await discountLimit(ctx.db, supervisor.id, till.storeId);
    const asked = cmd.maxDiscountRate ?? limit;
    if (dec(asked).greaterThan(limit)) throw new DomainError('POS_DISCOUNT_BEYOND_LIMIT', { rate: asked, limit });
    maxRate = asked;
  }
  const settings = await loadStoreSettings(ctx.db, till.storeId);
  const expiresAt = new Date(Date.now() + settings.authorizationTtlSeconds * 1000);
  const id = randomUUID();
  await ctx.db
    .insertInto('pos_authorization')
    .values({
      id,
      store_id: till.storeId,
      terminal_id: till.terminalId,
      supervisor_id: supervisor.id,
      requested_by: till.cashierId,
      purpose: cmd.purpose,
      client_sale_id: cmd.clientSaleId ?? null,
      max_discount_rate: maxRate,
      reason: cmd.reason ?? null,
      expires_at: expiresAt,
    })
    .execute();
  const dto: AuthorizationDto = {
    id,
    purpose: cmd.purpose,
    supervisor: { id: supervisor.id, login: supervisor.login, name: supervisor.name },
    clientSaleId: cmd.clientSaleId ?? null,
    maxDiscountRate: maxRate,
    expiresAt,
  };
  await recordAudit(ctx, {
    action: 'pos.authorization_granted',
    entity: 'pos_authorization',
    entityId: id,
    after: dto,
    detail: { terminal: till.terminalCode, cashierId: till.cashierId, purposeLabel: authorizationPurposeLabels[cmd.purpose].zh },
    orgId: till.storeId,
  });
  return { ok: true, authorization: dto };
}

/**
 * An online authorisation presented with an operation: valid for its purpose, its store, its sale (if it
 * named one), not expired and not used. The caller marks it used in the same transaction.
 */
export async function checkAuthorization(
  ctx: Ctx,
  p: { id: string; storeId: number; purpose: string; clientSaleId: string; offline: boolean },
) {
  const a = await ctx.db.selectFrom('pos_authorization').selectAll().where('id', '=', p.id).forUpdate().executeTakeFirst();
  const valid =
    a &&
    a.store_id === p.storeId &&
    a.purpose === p.purpose &&
    a.used_at === null &&
    (p.offline || a.expires_at > new Date()) &&
    (a.client_sale_id === null || a.client_sale_id === p.clientSaleId);
  if (!valid) throw new DomainError('POS_AUTHORIZATION_INVALID', { id: p.id });
  return a;
}

/**
 * An authorisation the till verified itself while offline (the supervisor typed their PIN on the till):
 * accepted on upload if the store allows it and the supervisor really may authorise that much; recorded as
 * an authorisation row and in the audit log like an online one.
 */
export async function authorizeOffline(
  ctx: Ctx,
  env: { storeId: number; terminalId: number; cashierId: number; allowOfflineAuthorization: boolean },
  clientSaleId: string,
  a: { supervisorId: number; purpose: string; at: string; maxDiscountRate?: string | undefined },
  rate: string | null,
): Promise<string> {
  if (!env.allowOfflineAuthorization) throw new DomainError('POS_AUTHORIZATION_REQUIRED', { purpose: a.purpose });
  if (!(await userHasGrantAtStore(ctx.db, a.supervisorId, env.storeId, 'pos.authorize', 'approve'))) {
    throw new DomainError('POS_NOT_A_SUPERVISOR', { login: String(a.supervisorId) });
  }
  if (rate !== null) {
    const limit = await discountLimit(ctx.db, a.supervisorId, env.storeId);
    if (dec(rate).greaterThan(limit) || (a.maxDiscountRate !== undefined && dec(rate).greaterThan(a.maxDiscountRate))) {
      throw new DomainError('POS_DISCOUNT_BEYOND_LIMIT', { rate, limit });
    }
  }
  const id = randomUUID();
  await ctx.db
    .insertInto('pos_authorization')
    .values({
      id,
      store_id: env.storeId,
      terminal_id: env.terminalId,
      supervisor_id: a.supervisorId,
      requested_by: env.cashierId,
      purpose: a.purpose,
      client_sale_id: clientSaleId,
      max_discount_rate: rate,
      offline: true,
      created_at: new Date(a.at),
      expires_at: new Date(a.at),
    })
    .execute();
  await recordAudit(ctx, {
    action: 'pos.authorization_offline',
    entity: 'pos_authorization',
    entityId: id,
    after: { supervisorId: a.supervisorId, purpose: a.purpose, clientSaleId, rate, verifiedAt: a.at },
    orgId: env.storeId,
  });
  return id;
}
