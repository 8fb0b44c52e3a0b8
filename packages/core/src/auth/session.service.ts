import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DomainError, type LoginCommand } from '@erp/contracts';
import { type DB, type Kysely, sql, type Transaction } from '@erp/db';
import { recordAudit } from '../audit/audit.service.js';
import type { Actor } from '../platform/context.js';
import { effectiveFailures, isLocked, LOCKOUT_MINUTES, MAX_FAILED_LOGINS, SESSION_POLICY } from './auth.rules.js';
import { dummyPasswordHash, verifyPassword } from './passwords.js';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

export type LoginResult =
  | { ok: true; token: string; csrfToken: string | null; expiresAt: Date; userId: number }
  | { ok: false; code: 'INVALID_CREDENTIALS' | 'ACCOUNT_LOCKED' | 'ACCOUNT_DISABLED'; until?: Date };

/**
 * Checks a login and opens a session. Failures are recorded and committed (so the lockout counts them);
 * the caller turns a failed result into an error after the transaction.
 */
export async function login(trx: Transaction<DB>, cmd: LoginCommand, origin: RequestOrigin): Promise<LoginResult> {
  const now = new Date();
  const user = await trx
    .selectFrom('app_user')
    .selectAll()
    .where(sql`lower(login)`, '=', cmd.login.toLowerCase())
    .forUpdate()
    .executeTakeFirst();
  const auditCtx = {
    db: trx,
    ip: origin.ip,
    requestId: origin.requestId,
    actor: { userId: user?.id ?? 0, login: cmd.login, orgId: user?.org_id ?? 0 },
  };
  if (!user) {
    await verifyPassword(await dummyPasswordHash(), cmd.password);
    await recordAudit(auditCtx, { action: 'login_failed', entity: 'session', detail: { reason: 'unknown_login' }, orgId: null });
    return { ok: false, code: 'INVALID_CREDENTIALS' };
  }
  if (isLocked(user.locked_until, now)) {
    await recordAudit(auditCtx, { action: 'login_failed', entity: 'session', detail: { reason: 'locked' } });
    return { ok: false, code: 'ACCOUNT_LOCKED', until: user.locked_until as Date };
  }
  const valid = await verifyPassword(user.password_hash, cmd.password);
  if (!valid) {
    const failures = effectiveFailures(user.failed_logins, user.locked_until, now) + 1;
    const lock = failures >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) : null;
    await trx
      .updateTable('app_user')
      .set({ failed_logins: lock ? 0 : failures, locked_until: lock })
      .where('id', '=', user.id)
      .execute();
    await recordAudit(auditCtx, {
      action: 'login_failed',
      entity: 'session',
      entityId: null,
      detail: { reason: 'wrong_password', failures, lockedUntil: lock },
    });
    return lock ? { ok: false, code: 'ACCOUNT_LOCKED', until: lock } : { ok: false, code: 'INVALID_CREDENTIALS' };
  }
  if (!user.active) {
    await recordAudit(auditCtx, { action: 'login_failed', entity: 'session', detail: { reason: 'disabled' } });
    return { ok: false, code: 'ACCOUNT_DISABLED' };
  }
  await trx.updateTable('app_user').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
  const session = await openSession(trx, user.id, cmd.mode, origin);
  await recordAudit(auditCtx, { action: 'login', entity: 'session', entityId: session.id, detail: { mode: cmd.mode } });
  return { ok: true, token: session.token, csrfToken: session.csrfToken, expiresAt: session.expiresAt, userId: user.id };
}

export async function openSession(
  trx: Transaction<DB>,
  userId: number,
  kind: 'cookie' | 'bearer',
  origin: RequestOrigin,
  opts: { label?: string; days?: number } = {},
) {
  const token = newToken();
  const csrfToken = kind === 'cookie' ? newToken() : null;
  const now = Date.now();
  const expiresAt =
    kind === 'cookie'
      ? new Date(now + SESSION_POLICY.cookieIdleMinutes * 60_000)
      : new Date(now + (opts.days ?? SESSION_POLICY.bearerDays) * 86_400_000);
  const row = await trx
    .insertInto('user_session')
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      kind,
      csrf_token: csrfToken,
      label: opts.label ?? null,
      ip: origin.ip,
      user_agent: origin.userAgent?.slice(0, 300) ?? null,
      expires_at: expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token, csrfToken, expiresAt };
}

export interface ResolvedSession {
  sessionId: number;
  kind: 'cookie' | 'bearer';
  csrfToken: string | null;
  expiresAt: Date;
  locale: string;
  actor: Actor;
}

interface SessionRow {
  session_id: number;
  kind: 'cookie' | 'bearer';
  csrf_token: string | null;
  expires_at: Date;
  last_seen_at: Date;
  created_at: Date;
  user_id: number;
  login: string;
  name: string;
  org_id: number;
  locale: string;
  grants: string[] | null;
  org_ids: number[] | null;
}

/**
 * Resolves a token to the acting user in one query: a revoked or expired session, or a disabled user,
 * stops working at once (AUTH-3). Grants and the visible org subtree are read fresh on every request.
 */
export async function resolveSession(db: Kysely<DB>, token: string): Promise<ResolvedSession | null> {
  const result = await sql<SessionRow>`
    select s.id as session_id, s.kind, s.csrf_token, s.expires_at, s.last_seen_at, s.created_at,
           u.id as user_id, u.login, u.name, u.org_id, u.locale,
           (select array_agg(distinct g.function_code || ':' || g.action)
              from user_role ur join role_grant g on g.role_id = ur.role_id
             where ur.user_id = u.id) as grants,
           (select array_agg(distinct o.id)
              from user_role ur join org r on r.id = ur.org_id join org o on o.path like r.path || '%'
             where ur.user_id = u.id) as org_ids
      from user_session s join app_user u on u.id = s.user_id
     where s.token_hash = ${hashToken(token)} and s.revoked_at is null and s.expires_at > now() and u.active`.execute(db);
  const row = result.rows[0];
  if (!row) return null;
  const now = Date.now();
  if (now - new Date(row.last_seen_at).getTime() > SESSION_POLICY.touchSeconds * 1000) {
    await touchSession(db, row, now);
  }
  return {
    sessionId: row.session_id,
    kind: row.kind,
    csrfToken: row.csrf_token,
    expiresAt: new Date(row.expires_at),
    locale: row.locale,
    actor: {
      userId: row.user_id,
      login: row.login,
      name: row.name,
      orgId: row.org_id,
      grants: new Set(row.grants ?? []),
      orgIds: (row.org_ids ?? []).map(Number),
    },
  };
}

async function touchSession(db: Kysely<DB>, row: SessionRow, now: number): Promise<void> {
  if (row.kind === 'cookie') {
    // Sliding idle timeout, capped by the absolute lifetime.
    const absolute = new Date(row.created_at).getTime() + SESSION_POLICY.cookieAbsoluteHours * 3_600_000;
    const expires = new Date(Math.min(absolute, now + SESSION_POLICY.cookieIdleMinutes * 60_000));
    await db
      .updateTable('user_session')
      .set({ last_seen_at: new Date(now), expires_at: expires })
      .where('id', '=', row.session_id)
      .execute();
  } else {
    await db
      .updateTable('user_session')
      .set({ last_seen_at: new Date(now) })
      .where('id', '=', row.session_id)
      .execute();
  }
}

export async function revokeSession(trx: Transaction<DB>, sessionId: number): Promise<void> {
  await trx.updateTable('user_session').set({ revoked_at: new Date() }).where('id', '=', sessionId).execute();
}

/** Logout everywhere: every open session of the user ends now. */
export async function revokeAllSessions(trx: Transaction<DB>, userId: number): Promise<number> {
  const r = await trx
    .updateTable('user_session')
    .set({ revoked_at: new Date() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export function loginError(result: Extract<LoginResult, { ok: false }>): DomainError {
  if (result.code === 'ACCOUNT_LOCKED') return new DomainError('ACCOUNT_LOCKED', { until: result.until?.toISOString() ?? '' });
  return new DomainError(result.code);
}
