import { gzipSync } from 'node:zlib';
import {
  authorizationBody,
  cashMovementBody,
  handoverBody,
  type Locale,
  openShiftBody,
  pairTerminalBody,
  paymentBody,
  receiptBlockBody,
  returnBody,
  saleBody,
  stockCheckBody,
  syncQuery,
  TERMINAL_TOKEN_HEADER,
  tillSignInBody,
  toProblem,
  uploadBody,
} from '@erp/contracts';
import {
  authorizeAtTill,
  type CheckoutKey,
  cancelPayment,
  chargePayment,
  checkout,
  checkTillStock,
  currentShift,
  discardOpenSale,
  getPayment,
  handOverShift,
  listOpenSales,
  makeContext,
  openShift,
  pairTerminal,
  queryPayment,
  type RequestKey,
  recordCashMovement,
  recordReturn,
  requestReceiptBlock,
  signInAtTill,
  signOutAtTill,
  syncTill,
  type TillAuth,
  type TxRunner,
  tillSession,
  uploadOfflineSales,
} from '@erp/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  claimIdempotencyKey,
  defineRoutes,
  type IdempotentRequest,
  idempotencyKeyOf,
  type RouteDeps,
  requestHash,
  saveIdempotentResponse,
} from '../http/route.js';
import { requireSession } from '../http/session.js';

/**
 * The till's API (POS-1…9, ORG-5): what a till calls, the device with its terminal token, the cashier with a
 * till session bound to that till. Every route takes the same path as the rest of the server (parse →
 * session → transaction → one service call); the till's credentials go to the service as `tillAuth(req)`,
 * which resolves the till, its store and its cashier from them, never from the body.
 *
 * Two writes must commit between steps (the checkout's fast path then its full path; a mobile payment
 * around the provider call): they are `auth: 'public'` here and get a `TxRunner` that opens a transaction
 * per step as the session's user, and honour Idempotency-Key through a key the service is handed.
 *
 * The back office's pos routes (tills, journal, store days, settings…) are in pos-office.routes.ts.
 */
export function posTillRoutes(app: FastifyInstance, deps: RouteDeps): void {
  /** A transaction per step, as the session's user, for the writes that must commit between steps. */
  const transactions =
    (req: FastifyRequest): TxRunner =>
    (fn) => {
      const session = requireSession(req);
      return deps.database.db
        .transaction()
        .execute((trx) =>
          fn(makeContext(trx, { actor: session.actor, requestId: req.id, ip: req.ip, locale: req.locale as Locale })),
        );
    };

  defineRoutes(app, deps, [
    // ---- the device and the cashier at the till (ORG-5)
    {
      method: 'POST',
      url: '/api/pos/terminal/pair',
      summary: 'The device redeems its pairing code for its terminal token (once) and its first receipt-number block',
      tags,
      auth: 'public',
      rateLimit: 20,
      body: pairTerminalBody,
      handler: (_ctx, { body, req }) => deps.database.db.transaction().execute((trx) => pairTerminal(trx, body, origin(req))),
    },
    {
      method: 'POST',
      url: '/api/pos/till/sign-in',
      summary:
        'A cashier signs in ON a till (terminal token + login + till PIN): a bearer session bound to the till and store, the crash-left temporary sales and the open shift',
      tags,
      auth: 'public',
      rateLimit: deps.loginRateLimit,
      body: tillSignInBody,
      handler: async (_ctx, { body, req, reply }) => {
        const terminalToken = body.terminalToken ?? terminalTokenOf(req) ?? '';
        const signedIn = await deps.database.db
          .transaction()
          .execute((trx) => signInAtTill(trx, { terminalToken, login: body.login, pin: body.pin }, origin(req)));
        // A wrong PIN must still count (lockout): the outcome is answered here, after the transaction committed.
        return signedIn.ok ? signedIn.answer : sendProblem(req, reply, signedIn.code, signedIn.params ?? {});
      },
    },
    {
      method: 'POST',
      url: '/api/pos/till/sign-out',
      summary: 'The cashier signs out of the till (ends the till session)',
      tags,
      handler: (ctx, { req }) => signOutAtTill(ctx, tillAuth(req)),
    },
    {
      method: 'GET',
      url: '/api/pos/till/me',
      summary: 'The till session: till, store, cashier, open shift, crash-left temporary sales',
      tags,
      handler: (ctx, { req }) => tillSession(ctx, tillAuth(req)),
    },
    {
      method: 'POST',
      url: '/api/pos/till/receipt-blocks',
      summary: 'Another block of receipt numbers for this till (ask while online, before the block runs out)',
      tags,
      body: receiptBlockBody,
      handler: (ctx, { req, body }) => requestReceiptBlock(ctx, tillAuth(req), body.size),
    },
    {
      method: 'POST',
      url: '/api/pos/till/stock-check',
      summary:
        "Before payment: can the store sell these quantities? Per line the product's requested total, available (sellable, not expired, negative keys counted), expired, and short (more than can be taken while the store forbids negative stock). Read-only",
      tags,
      readOnly: true,
      body: stockCheckBody,
      handler: (ctx, { req, body }) => checkTillStock(ctx, tillAuth(req), body),
    },
    {
      method: 'GET',
      url: '/api/pos/sync',
      summary:
        'Till sync: without a cursor the cold load, with one only what changed since; compact rows (see `columns`), paged while `hasMore`',
      tags,
      querystring: syncQuery,
      handler: async (ctx, { req, reply, query }) => gzipped(req, reply, await syncTill(ctx, tillAuth(req), query)),
    },
    // ---- the cashier's shift (POS-7)
    {
      method: 'POST',
      url: '/api/pos/shifts',
      summary: 'Open a shift at this till with a float (id from the till: idempotent)',
      tags,
      body: openShiftBody,
      handler: (ctx, { req, body }) => openShift(ctx, tillAuth(req), body),
    },
    {
      method: 'GET',
      url: '/api/pos/shifts/current',
      summary: "The cashier's open shift at this till and its running totals",
      tags,
      handler: (ctx, { req }) => currentShift(ctx, tillAuth(req)),
    },
    {
      method: 'POST',
      url: '/api/pos/shifts/current/cash-movements',
      summary: 'Cash paid out of (or into) the drawer during the shift',
      tags,
      body: cashMovementBody,
      handler: (ctx, { req, body }) => recordCashMovement(ctx, tillAuth(req), body),
    },
    {
      method: 'POST',
      url: '/api/pos/shifts/current/handover',
      summary: 'Hand over (交班) with the cash deposit (零售缴款): expected cash and over/short are recorded',
      tags,
      body: handoverBody,
      handler: (ctx, { req, body }) => handOverShift(ctx, tillAuth(req), body),
    },
    // ---- sales and returns (POS-2…6)
    {
      method: 'POST',
      url: '/api/pos/sales',
      summary:
        'Checkout: record a sale (formal = paid, temporary = settled not fully paid, held = 挂单). clientId is the idempotency key: a replay returns the stored sale; the clientId of a temporary/held sale finishes it',
      tags,
      auth: 'public', // the session is required below: the checkout manages its own transactions (fast path, then full path)
      body: saleBody,
      handler: async (_ctx, { req, reply, body }) => {
        const idem = idempotentRequest(req);
        const run = transactions(req);
        return idem ? checkout(run, tillAuth(req), body, checkoutKey(idem, reply)) : checkout(run, tillAuth(req), body);
      },
    },
    {
      method: 'GET',
      url: '/api/pos/sales/open',
      summary: "Held sales of the store and the cashier's temporary sales (to resume or clear)",
      tags,
      querystring: z.object({ status: z.enum(['temporary', 'held']).optional() }),
      handler: (ctx, { req, query }) => listOpenSales(ctx, tillAuth(req), query),
    },
    {
      method: 'POST',
      url: '/api/pos/sales/:id/discard',
      summary: 'Discard a temporary or held sale at the till (by its clientId); a payment it took is refunded',
      tags,
      params: uuidParams,
      handler: (ctx, { req, params }) => discardOpenSale(ctx, tillAuth(req), params.id),
    },
    {
      method: 'POST',
      url: '/api/pos/returns',
      summary: 'A return from the original receipt (partial; refunds to the original tenders) or manual with authorisation',
      tags,
      body: returnBody,
      handler: (ctx, { req, body }) => recordReturn(ctx, tillAuth(req), body),
    },
    {
      method: 'POST',
      url: '/api/pos/authorizations',
      summary:
        "A supervisor's special-function authorisation at this till (login + till PIN): short-lived, single-purpose, audited",
      tags,
      body: authorizationBody,
      handler: async (ctx, { req, reply, body }) => {
        const r = await authorizeAtTill(ctx, tillAuth(req), body);
        // A wrong PIN must still count (lockout): answer the problem ourselves and let the transaction commit.
        return r.ok ? r.authorization : sendProblem(req, reply, r.code, r.params);
      },
    },
    // ---- mobile payments (POS-4)
    {
      method: 'POST',
      url: '/api/pos/payments',
      summary:
        "Charge a mobile payment: the intent is committed as 'pending' before the provider is called; a timeout leaves 'unknown' (then query). intentId is the idempotency key",
      tags,
      auth: 'public', // two transactions with the provider call between them (see chargePayment)
      body: paymentBody,
      handler: async (_ctx, { req, reply, body }) => {
        const auth = tillAuth(req);
        const key = requestKey(req);
        const charged = key
          ? await chargePayment(transactions(req), auth, body, key)
          : await chargePayment(transactions(req), auth, body);
        return 'replay' in charged ? replayed(reply, charged.replay) : charged.intent;
      },
    },
    {
      method: 'GET',
      url: '/api/pos/payments/:id',
      summary: 'A payment intent as the server knows it',
      tags,
      params: uuidParams,
      handler: (ctx, { req, params }) => getPayment(ctx, tillAuth(req), params.id),
    },
    {
      method: 'POST',
      url: '/api/pos/payments/:id/query',
      summary: "Ask the provider again (after a timeout): settles an 'unknown' payment",
      tags,
      params: uuidParams,
      handler: (ctx, { req, params }) => queryPayment(ctx, tillAuth(req), params.id),
    },
    {
      method: 'POST',
      url: '/api/pos/payments/:id/cancel',
      summary: 'Give the money back for a payment whose sale will not complete (closes or refunds it at the provider)',
      tags,
      params: uuidParams,
      handler: (ctx, { req, params }) => cancelPayment(ctx, tillAuth(req), params.id),
    },
    // ---- offline upload (POS-9)
    {
      method: 'POST',
      url: '/api/pos/uploads',
      summary:
        'Upload sales made offline (脱机上传): idempotent per clientId (concurrent uploads of one sale book it once); each sale is validated on its own; per-sale results (accepted / duplicate, with businessDay and late, or queued with the reason); failures go to the error queue as sent, never dropped',
      tags,
      body: uploadBody,
      handler: (ctx, { req, body }) => uploadOfflineSales(ctx, tillAuth(req), body),
    },
  ]);
}

const tags = ['pos'];
const uuidParams = z.object({ id: z.uuid() });
const origin = (req: FastifyRequest) => ({ ip: req.ip, userAgent: req.headers['user-agent'] ?? null, requestId: req.id });

function terminalTokenOf(req: FastifyRequest): string | undefined {
  const header = req.headers[TERMINAL_TOKEN_HEADER];
  return typeof header === 'string' ? header : undefined;
}

/**
 * The till's credentials on a request: the cashier's till session (bearer token) and the till's own token
 * (X-Terminal-Token). Identity and store come from these only, never from the request body.
 */
function tillAuth(req: FastifyRequest): TillAuth {
  return { sessionId: requireSession(req).sessionId, terminalToken: terminalTokenOf(req) };
}

/** A refusal the service answered instead of throwing (its transaction must commit): problem+json. */
function sendProblem(req: FastifyRequest, reply: FastifyReply, code: string, params: Record<string, string>) {
  const problem = toProblem(code as never, (req.locale ?? 'zh-CN') as Locale, params, { requestId: req.id });
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

/**
 * A large JSON answer gzip-compressed when the client accepts it (a browser always does): a cold-load page
 * of the till's catalog is megabytes of compact rows that compress ~8:1, over a store's uplink that is
 * what the cold load costs. Level 1: most of the gain for a fraction of the CPU.
 */
function gzipped(req: FastifyRequest, reply: FastifyReply, body: unknown): unknown {
  const accept = req.headers['accept-encoding'];
  if (typeof accept !== 'string' || !/\bgzip\b/i.test(accept)) return body;
  const json = JSON.stringify(body);
  if (json.length < 1024) return body; // as @fastify/compress: below 1 KB it is not worth it
  reply.header('content-type', 'application/json; charset=utf-8');
  reply.header('content-encoding', 'gzip');
  reply.header('vary', 'accept-encoding');
  return gzipSync(json, { level: 1 });
}

/** The Idempotency-Key of a till write that runs its own transactions (checkout, payment), or null. */
function idempotentRequest(req: FastifyRequest): IdempotentRequest | null {
  const key = idempotencyKeyOf(req);
  return key === undefined ? null : { userId: requireSession(req).actor.userId, key, requestHash: requestHash(req) };
}

/** The request's Idempotency-Key as a service spanning transactions takes it, or undefined without one. */
function requestKey(req: FastifyRequest): RequestKey | undefined {
  const idem = idempotentRequest(req);
  if (!idem) return undefined;
  return {
    claim: (ctx) => claimIdempotencyKey(ctx.db, idem),
    save: (ctx, answer) => saveIdempotentResponse(ctx.db, idem, 200, answer),
  };
}

/**
 * Idempotency-Key like every write: the checkout's fast path records it with the sale in its one write;
 * the full path claims it first (a replay answers the first response) and stores its answer.
 */
function checkoutKey(idem: IdempotentRequest, reply: FastifyReply): CheckoutKey {
  return {
    fast: idem,
    full: async (ctx, book) => {
      const first = await claimIdempotencyKey(ctx.db, idem);
      if (first) return replayed(reply, first.body);
      const answer = await book();
      await saveIdempotentResponse(ctx.db, idem, 200, answer);
      return answer;
    },
  };
}

/** The first request's answer, marked as a replay. */
function replayed(reply: FastifyReply, body: unknown): unknown {
  reply.header('idempotent-replayed', 'true');
  return body;
}
