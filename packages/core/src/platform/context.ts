import { type Action, DomainError, type FunctionCode, grantKey, type Locale } from '@erp/contracts';
import { type DB, sql, type Transaction } from '@erp/db';

/** Who is acting: resolved from the session only, never from request fields (AUTH-2). */
export interface Actor {
  userId: number;
  login: string;
  name: string;
  /** The user's home org. */
  orgId: number;
  /** "function:action" keys the user holds. */
  grants: ReadonlySet<string>;
  /** Every org id the user may see: the union of the subtrees their roles are held over. */
  orgIds: readonly number[];
}

/**
 * Passed to every service call. It can only be built around an open transaction, so a service can never
 * write outside one; org scoping and permission checks go through it, not through each route.
 */
export interface Ctx {
  db: Transaction<DB>;
  actor: Actor;
  scope: OrgScope;
  requestId: string;
  ip: string | null;
  locale: Locale;
}

export class OrgScope {
  private readonly set: Set<number>;
  private list: number[];

  constructor(ids: readonly number[]) {
    this.list = [...ids];
    this.set = new Set(ids);
  }

  get ids(): readonly number[] {
    return this.list;
  }

  /** An org created inside a visible subtree during this request is visible for the rest of it. */
  include(orgId: number): void {
    if (this.set.has(orgId)) return;
    this.set.add(orgId);
    this.list = [...this.list, orgId];
  }

  has(orgId: number | null | undefined): boolean {
    return orgId != null && this.set.has(orgId);
  }

  /** Refuses an org outside the scope as if it did not exist (no information leak). */
  assert(orgId: number | null | undefined, entity: string, id: string | number): void {
    if (!this.has(orgId)) throw new DomainError('NOT_FOUND', { entity, id: String(id) });
  }
}

export function can(actor: Actor, fn: FunctionCode, action: Action): boolean {
  return actor.grants.has(grantKey({ function: fn, action }));
}

export function authorize(ctx: Pick<Ctx, 'actor'>, fn: FunctionCode, action: Action): void {
  if (!can(ctx.actor, fn, action)) throw new DomainError('FORBIDDEN', { function: fn, action });
}

export interface ContextInit {
  actor: Actor;
  requestId?: string;
  ip?: string | null;
  locale?: Locale;
}

export function makeContext(db: Transaction<DB>, init: ContextInit): Ctx {
  return {
    db,
    actor: init.actor,
    scope: new OrgScope(init.actor.orgIds),
    requestId: init.requestId ?? 'internal',
    ip: init.ip ?? null,
    locale: init.locale ?? 'zh-CN',
  };
}

/**
 * `column = id` for a single id, `column = any(ids)` otherwise (never an empty IN list). The single-id form
 * matters: PostgreSQL 15 can walk an index in order for `=`, not for `= any(array)`, so a one-warehouse
 * page reads 50 rows instead of sorting the whole warehouse.
 */
export function inIds(column: string, ids: readonly number[]) {
  return ids.length === 1
    ? sql<boolean>`${sql.ref(column)} = ${ids[0]}::int`
    : sql<boolean>`${sql.ref(column)} = any(${[...ids]}::int[])`;
}
