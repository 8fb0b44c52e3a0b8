import type { PageQuery } from '@erp/contracts';
import { type Actor, authorize, type Ctx } from '../platform/context.js';

/** What an audit entry needs to know about the caller; a full Ctx qualifies, so does a login attempt. */
export type AuditCtx = Pick<Ctx, 'db' | 'ip' | 'requestId'> & { actor: Pick<Actor, 'userId' | 'login' | 'orgId'> };

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  detail?: unknown;
  /** The org the changed data belongs to; drives who may read the entry. */
  orgId?: number | null;
}

function json(v: unknown): string | null {
  return v === undefined || v === null ? null : JSON.stringify(v);
}

/** Appends one audit entry in the caller's transaction: who, when, from where, what changed (AUTH-3). */
export async function recordAudit(ctx: AuditCtx, entry: AuditEntry): Promise<void> {
  await ctx.db
    .insertInto('audit_log')
    .values({
      user_id: ctx.actor.userId > 0 ? ctx.actor.userId : null,
      login: ctx.actor.login,
      org_id: entry.orgId ?? ctx.actor.orgId,
      ip: ctx.ip,
      request_id: ctx.requestId,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId == null ? null : String(entry.entityId),
      before: json(entry.before),
      after: json(entry.after),
      detail: json(entry.detail),
    })
    .execute();
}

export interface AuditQuery extends PageQuery {
  entity?: string;
  entityId?: string;
  action?: string;
  userId?: number;
  from?: string;
  to?: string;
}

/** Audit entries of orgs the actor may see, newest first. */
export async function listAudit(ctx: Ctx, q: AuditQuery) {
  authorize(ctx, 'audit', 'view');
  let query = ctx.db.selectFrom('audit_log').where('org_id', 'in', ctx.scope.ids.length ? ctx.scope.ids : [-1]);
  if (q.entity) query = query.where('entity', '=', q.entity);
  if (q.entityId) query = query.where('entity_id', '=', q.entityId);
  if (q.action) query = query.where('action', '=', q.action);
  if (q.userId) query = query.where('user_id', '=', q.userId);
  if (q.from) query = query.where('at', '>=', new Date(q.from));
  if (q.to) query = query.where('at', '<', new Date(q.to));
  if (q.q) query = query.where((eb) => eb.or([eb('login', 'ilike', `%${q.q}%`), eb('entity_id', '=', q.q as string)]));
  const [{ total }] = (await query.select((eb) => eb.fn.countAll<number>().as('total')).execute()) as [{ total: number }];
  const items = await query
    .selectAll()
    .orderBy('id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return { items, total: Number(total), page: q.page, pageSize: q.pageSize };
}

/**
 * Appends many audit entries in a few statements (bulk imports): the same columns as `recordAudit`, a
 * thousand rows per statement instead of one statement per changed row.
 */
export async function recordAuditMany(ctx: AuditCtx, entries: readonly AuditEntry[], chunk = 1000): Promise<void> {
  for (let i = 0; i < entries.length; i += chunk) {
    await ctx.db
      .insertInto('audit_log')
      .values(
        entries.slice(i, i + chunk).map((entry) => ({
          user_id: ctx.actor.userId > 0 ? ctx.actor.userId : null,
          login: ctx.actor.login,
          org_id: entry.orgId ?? ctx.actor.orgId,
          ip: ctx.ip,
          request_id: ctx.requestId,
          action: entry.action,
          entity: entry.entity,
          entity_id: entry.entityId == null ? null : String(entry.entityId),
          before: json(entry.before),
          after: json(entry.after),
          detail: json(entry.detail),
        })),
      )
      .execute();
  }
}
