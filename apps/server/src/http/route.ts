import { createHash } from 'node:crypto';
import { DomainError, type Locale } from '@erp/contracts';
import { type Ctx, makeContext } from '@erp/core';
import type { Database, DB, Transaction } from '@erp/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { requireSession } from './session.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  req: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteSpec<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined> {
  method: Method;
  url: string;
  summary: string;
  tags: string[];
  params?: P;
  querystring?: Q;
  body?: B;
  response?: Schema;
  /** 201 for creations. */
  status?: number;
  /** 'public' routes run without a session and without a transaction of their own. */
  auth?: 'session' | 'public';
  /** A POST that changes nothing (a question with a body): no Idempotency-Key record is kept for it. */
  readOnly?: boolean;
  /** Requests per IP per minute. */
  rateLimit?: number;
  /** Raw handlers manage their own response (file downloads, login cookies). */
  handler: (ctx: Ctx, input: RouteInput<Out<P>, Out<Q>, Out<B>>) => Promise<unknown>;
}

export interface RegisteredRoute {
  method: Method;
  url: string;
  auth: 'session' | 'public';
  /** The request schemas, so tests can walk every field of every route (clean text, labels). */
  schemas: { params?: Schema; querystring?: Schema; body?: Schema };
}

/** Every route registered through `defineRoutes`, so tests can walk them all (scope, idempotency, input). */
export const routeRegistry: RegisteredRoute[] = [];

const WRITE: ReadonlySet<Method> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What a replay must repeat exactly: method, URL and (parsed) body. */
export function requestHash(req: FastifyRequest): string {
  return createHash('sha256')
    .update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`)
    .digest('hex');
}

/** The request's `Idempotency-Key` (a write's), checked for length; undefined when it sends none. */
export function idempotencyKeyOf(req: FastifyRequest): string | undefined {
  const key = req.headers['idempotency-key'] as string | undefined;
  if (key !== undefined && (key.length < 8 || key.length > 200)) {
    throw new DomainError('VALIDATION_FAILED', {}, [
      {
        path: 'Idempotency-Key',
        code: 'invalid',
        message: '幂等键长度须为 8–200',
        messageEn: 'Idempotency-Key must have 8–200 characters',
        messageZh: '幂等键长度须为 8–200',
      },
    ]);
  }
  return key;
}

export interface IdempotentRequest {
  userId: number;
  key: string;
  requestHash: string;
}

/** A stored first answer; `status` null: the first request is still under way (a multi-transaction route). */
export type IdempotentReplay = { status: number | null; body: unknown };

/**
 * Claims the key for this request in the caller's transaction, or answers the first request's stored
 * response. A concurrent replay waits on the key's row until the first commits. The same key with another
 * request is refused.
 */
export async function claimIdempotencyKey(trx: Transaction<DB>, r: IdempotentRequest): Promise<IdempotentReplay | null> {
  const claimed = await trx
    .insertInto('idempotency_record')
    .values({ user_id: r.userId, key: r.key, request_hash: r.requestHash })
    .onConflict((oc) => oc.doNothing())
    .returning('key')
    .executeTakeFirst();
  if (claimed) return null;
  const first = await trx
    .selectFrom('idempotency_record')
    .selectAll()
    .where('user_id', '=', r.userId)
    .where('key', '=', r.key)
    .executeTakeFirstOrThrow();
  if (first.request_hash !== r.requestHash) throw new DomainError('IDEMPOTENCY_KEY_REUSED', { key: r.key });
  return { status: first.status_code, body: first.response };
}

/** Stores the answer of a claimed key, in the transaction of the change it describes. */
export async function saveIdempotentResponse(trx: Transaction<DB>, r: IdempotentRequest, status: number, body: unknown) {
  await trx
    .updateTable('idempotency_record')
    .set({ status_code: status, response: JSON.stringify(body ?? null) })
    .where('user_id', '=', r.userId)
    .where('key', '=', r.key)
    .execute();
}

export interface RouteDeps {
  database: Database;
  loginRateLimit: number;
}

/**
 * The one path every request takes: parse (Zod, by Fastify) → authenticate → one transaction with a
 * context → the service call → response. Write requests honour `Idempotency-Key`: the first response is
 * stored in the same transaction as the change it describes, and a replay returns it unchanged.
 */
// biome-ignore lint/suspicious/noExplicitAny: a module's routes have different schemas; each spec is checked where it is written.
export function defineRoutes(app: FastifyInstance, deps: RouteDeps, specs: RouteSpec<any, any, any>[]): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  for (const spec of specs) {
    const auth = spec.auth ?? 'session';
    const schemas = { params: spec.params, querystring: spec.querystring, body: spec.body };
    routeRegistry.push({ method: spec.method, url: spec.url, auth, schemas });
    typed.route({
      method: spec.method,
      url: spec.url,
      schema: {
        summary: spec.summary,
        tags: spec.tags,
        ...(spec.params ? { params: spec.params } : {}),
        ...(spec.querystring ? { querystring: spec.querystring } : {}),
        ...(spec.body ? { body: spec.body } : {}),
        ...(spec.response ? { response: { [spec.status ?? 200]: spec.response } } : {}),
        ...(auth === 'session' ? { security: [{ cookie: [] }, { bearer: [] }] } : {}),
      },
      ...(spec.rateLimit ? { config: { rateLimit: { max: spec.rateLimit, timeWindow: '1 minute' } } } : {}),
      handler: async (req, reply) => {
        const input = { params: req.params, query: req.query, body: req.body, req, reply } as RouteInput<
          unknown,
          unknown,
          unknown
        > as never;
        if (auth === 'public') {
          const result = await spec.handler(undefined as unknown as Ctx, input);
          if (reply.sent) return reply;
          return reply.code(spec.status ?? 200).send(result);
        }
        const session = requireSession(req);
        const key = WRITE.has(spec.method) && !spec.readOnly ? idempotencyKeyOf(req) : undefined;
        const idem = key === undefined ? null : { userId: session.actor.userId, key, requestHash: requestHash(req) };
        const outcome = await deps.database.db.transaction().execute(async (trx) => {
          const ctx = makeContext(trx, {
            actor: session.actor,
            requestId: req.id,
            ip: req.ip,
            locale: req.locale as Locale,
          });
          if (idem) {
            const first = await claimIdempotencyKey(trx, idem);
            if (first) return { replay: true, status: first.status ?? 200, body: first.body };
          }
          const body = await spec.handler(ctx, input);
          const status = spec.status ?? 200;
          if (idem) await saveIdempotentResponse(trx, idem, status, body);
          return { replay: false, status, body };
        });
        if (reply.sent) return reply;
        if (outcome.replay) reply.header('idempotent-replayed', 'true');
        return reply.code(outcome.status).send(outcome.body);
      },
    });
  }
}
