import { gzipSync } from 'node:zlib';
import {
  authorizationBody,
  cashierSettingsBody,
  cashMovementBody,
  cleanupBody,
  closeDayBody,
  createTerminalBody,
  dailyReportParams,
  dayStatusQuery,
  deferUploadErrorsBody,
  handoverBody,
  id,
  idParams,
  invoiceBody,
  journalQuery,
  type Locale,
  openShiftBody,
  ownPinBody,
  pairTerminalBody,
  paymentBody,
  priceTagQuery,
  receiptBlockBody,
  reconciliationQuery,
  reopenDayBody,
  returnBody,
  reviewBody,
  roleDiscountLimitBody,
  saleBody,
  shiftListQuery,
  stockCheckBody,
  storeSettingsBody,
  syncQuery,
  TERMINAL_TOKEN_HEADER,
  terminalListQuery,
  tillSignInBody,
  toProblem,
  updateTerminalBody,
  uploadBody,
  uploadErrorDiscardBody,
  uploadErrorEditBody,
  uploadErrorListQuery,
} from '@erp/contracts';
import {
  authorizeAtTill,
  beginPayment,
  type Ctx,
  callProvider,
  cancelPayment,
  checkout,
  checkTillStock,
  cleanupTemporarySales,
  closeDay,
  crashLeftSales,
  createTerminal,
  currentShift,
  dayStatus,
  deferUploadErrors,
  discardOpenSale,
  discardUploadError,
  editUploadError,
  exportJournal,
  getDailyReport,
  getPayment,
  getSale,
  getShift,
  getStoreSettings,
  getTerminal,
  getUploadError,
  handOverShift,
  journalBusinessDay,
  listAwaitingReview,
  listOpenSales,
  listRoleDiscountLimits,
  listShifts,
  listStoreCashiers,
  listTerminals,
  listUploadErrors,
  makeContext,
  openShift,
  pairTerminal,
  priceTags,
  queryPayment,
  receiptData,
  reconcileStorePayments,
  reconciliation,
  recordCashMovement,
  recordPaymentOutcome,
  recordReturn,
  reopenDay,
  requestReceiptBlock,
  resetTerminalPairing,
  resolveTill,
  retryUploadError,
  reviewSales,
  revokeSession,
  searchJournal,
  setOwnPin,
  setRoleDiscountLimit,
  setSaleInvoice,
  syncTill,
  type TillAuth,
  tillSignIn,
  updateCashierSettings,
  updateStoreSettings,
  updateTerminal,
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
import { xlsx } from './catalog-shared.js';

/**
 * The till's credentials on a request: the cashier's till session (bearer token) and the till's own token
 * (X-Terminal-Token). Identity and store come from these only, never from the request body.
 */
function tillAuth(req: FastifyRequest): TillAuth {
  const header = req.headers[TERMINAL_TOKEN_HEADER];
  return { sessionId: requireSession(req).sessionId, terminalToken: typeof header === 'string' ? header : undefined };
}

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

const origin = (req: FastifyRequest) => ({ ip: req.ip, userAgent: req.headers['user-agent'] ?? null, requestId: req.id });
const uuidParams = z.object({ id: z.uuid() });
const tags = ['pos'];

/** Routes of the pos module: the till's API (offline-first client) and the store-day back office. */
export function posRoutes(app: FastifyInstance, deps: RouteDeps): void {
  /** A transaction of its own for routes that must commit between steps (payments). */
  const inTx = <T>(req: FastifyRequest, fn: (ctx: Ctx) => Promise<T>) => {
    const session = requireSession(req);
    return deps.database.db
      .transaction()
      .execute((trx) =>
        fn(makeContext(trx, { actor: session.actor, requestId: req.id, ip: req.ip, locale: req.locale as Locale })),
      );
  };

  defineRoutes(app, deps, [
    // ---- tills (ORG-5), back office
    {
      method: 'GET',
      url: '/api/pos/terminals',
      summary: 'Tills of visible stores (收银机)',
      tags,
      querystring: terminalListQuery,
      handler: (ctx, { query }) => listTerminals(ctx, query),
    },
    {
      method: 'POST',
      url: '/api/pos/terminals',
      summary: 'Register a till to a store; answers the one-time pairing code (传输密码), shown once',
      tags,
      status: 201,
      body: createTerminalBody,
      handler: (ctx, { body }) => createTerminal(ctx, body),
    },
    {
      method: 'GET',
      url: '/api/pos/terminals/:id',
      summary: 'One till with its settings and receipt-number blocks',
      tags,
      params: idParams,
      handler: (ctx, { params }) => getTerminal(ctx, params.id),
    },
    {
      method: 'PATCH',
      url: '/api/pos/terminals/:id',
      summary: 'Rename, change peripherals (printer 58/80, drawer, display, scale), disable or enable a till',
      tags,
      params: idParams,
      body: updateTerminalBody,
      handler: (ctx, { params, body }) => updateTerminal(ctx, params.id, body),
    },
    {
      method: 'POST',
      url: '/api/pos/terminals/:id/pairing-code',
      summary: 'A new pairing code for a replaced device; the old device token stops working at once',
      tags,
      params: idParams,
      handler: (ctx, { params }) => resetTerminalPairing(ctx, params.id),
    },
    // ---- the device and the cashier at the till
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
        const header = req.headers[TERMINAL_TOKEN_HEADER];
        const terminalToken = body.terminalToken ?? (typeof header === 'string' ? header : '');
        const result = await deps.database.db
          .transaction()
          .execute((trx) => tillSignIn(trx, { terminalToken, login: body.login, pin: body.pin }, origin(req)));
        if (!result.ok) return sendProblem(req, reply, result.code, result.params ?? {});
        const extra = await deps.database.db.transaction().execute(async (trx) => {
          const open = await trx
            .selectFrom('pos_shift')
            .select(['id', 'float_amount', 'opened_at', 'business_day'])
            .where('terminal_id', '=', result.terminal.id)
            .where('cashier_id', '=', result.cashier.id)
            .where('status', '=', 'open')
            .executeTakeFirst();
          return { pendingSales: await crashLeftSales(trx, result.store.id, result.cashier.id), openShift: open ?? null };
        });
        return {
          token: result.token,
          expiresAt: result.expiresAt.toISOString(),
          cashier: result.cashier,
          terminal: result.terminal,
          store: result.store,
          ...extra,
        };
      },
    },
    {
      method: 'POST',
      url: '/api/pos/till/sign-out',
      summary: 'The cashier signs out of the till (ends the till session)',
      tags,
      handler: async (ctx, { req }) => {
        const auth = tillAuth(req);
        await resolveTill(ctx, auth);
        await revokeSession(ctx.db, auth.sessionId);
        return { ok: true };
      },
    },
    {
      method: 'GET',
      url: '/api/pos/till/me',
      summary: 'The till session: till, store, cashier, open shift, crash-left temporary sales',
      tags,
      handler: async (ctx, { req }) => {
        const till = await resolveTill(ctx, tillAuth(req));
        return {
          till,
          shift: await currentShift(ctx, tillAuth(req)),
          pendingSales: await crashLeftSales(ctx.db, till.storeId, till.cashierId),
        };
      },
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
    // ---- shifts (POS-7)
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
    {
      method: 'GET',
      url: '/api/pos/shifts',
      summary: 'Shifts of visible stores',
      tags,
      querystring: shiftListQuery,
      handler: (ctx, { query }) => listShifts(ctx, query),
    },
    {
      method: 'GET',
      url: '/api/pos/shifts/:id',
      summary: 'One shift with its totals per tender and expected cash',
      tags,
      params: uuidParams,
      handler: (ctx, { params }) => getShift(ctx, params.id),
    },
    {
      method: 'GET',
      url: '/api/pos/reconciliation',
      summary: 'Reconciliation per cashier and tender over a period (收银对账)',
      tags,
      querystring: reconciliationQuery,
      handler: (ctx, { query }) => reconciliation(ctx, query),
    },
    // ---- sales (POS-2…5)
    {
      method: 'POST',
      url: '/api/pos/sales',
      summary:
        'Checkout: record a sale (formal = paid, temporary = settled not fully paid, held = 挂单). clientId is the idempotency key: a replay returns the stored sale; the clientId of a temporary/held sale finishes it',
      tags,
      auth: 'public', // the session is required below: the checkout manages its own transactions (fast path, then full path)
      body: saleBody,
      handler: async (_ctx, { req, reply, body }) => {
        const run = <T>(fn: (ctx: Ctx) => Promise<T>) => inTx(req, fn);
        const idem = idempotentRequest(req);
        if (!idem) return checkout(run, tillAuth(req), body);
        // Idempotency-Key like every write: the fast path records it with the sale in its one write; the
        // full path claims it first (a replay answers the first response) and stores its answer.
        return checkout(run, tillAuth(req), body, {
          fast: idem,
          full: async (ctx, book) => {
            const first = await claimIdempotencyKey(ctx.db, idem);
            if (first) {
              reply.header('idempotent-replayed', 'true');
              return first.body;
            }
            const answer = await book();
            await saveIdempotentResponse(ctx.db, idem, 200, answer);
            return answer;
          },
        });
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
      url: '/api/pos/sales/cleanup',
      summary: 'Clear temporary sales of a store (清理临时销售单), refunding any payment they took',
      tags,
      body: cleanupBody,
      handler: (ctx, { body }) => cleanupTemporarySales(ctx, body),
    },
    {
      method: 'GET',
      url: '/api/pos/sales/:id',
      summary: 'One sale or return with lines (costs included) and tenders',
      tags,
      params: idParams,
      handler: (ctx, { params }) => getSale(ctx, params.id),
    },
    {
      method: 'GET',
      url: '/api/pos/sales/:id/receipt',
      summary: 'Receipt data to print or reprint (store template for 58/80 mm; text lines, QR content)',
      tags,
      params: idParams,
      querystring: z.object({ width: z.enum(['58', '80']).optional() }),
      handler: (ctx, { params, query }) =>
        receiptData(ctx, params.id, query.width ? (Number(query.width) as 58 | 80) : undefined),
    },
    {
      method: 'PUT',
      url: '/api/pos/sales/:id/invoice',
      summary: 'Record the invoice number and time of a sale',
      tags,
      params: idParams,
      body: invoiceBody,
      handler: (ctx, { params, body }) => setSaleInvoice(ctx, params.id, body),
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
        if (!r.ok) return sendProblem(req, reply, r.code, r.params);
        return r.authorization;
      },
    },
    // ---- mobile payments (POS-4)
    {
      method: 'POST',
      url: '/api/pos/payments',
      summary:
        "Charge a mobile payment: the intent is committed as 'pending' before the provider is called; a timeout leaves 'unknown' (then query). intentId is the idempotency key",
      tags,
      auth: 'public', // two transactions with the provider call between them (see beginPayment)
      body: paymentBody,
      handler: async (_ctx, { req, reply, body }) => {
        const auth = tillAuth(req);
        const idem = idempotentRequest(req);
        // The key is claimed with the pending intent and answered with the outcome; a replay meanwhile
        // (first answer not stored yet) gets the intent as it stands, never a second charge.
        const begun = await inTx(req, async (ctx) => {
          const first = idem ? await claimIdempotencyKey(ctx.db, idem) : null;
          if (first && first.status !== null) return { replay: first.body };
          const b = await beginPayment(ctx, auth, body);
          if (!b.call && idem && !first) await saveIdempotentResponse(ctx.db, idem, 200, b.intent);
          return { ...b, claimed: idem !== null && !first };
        });
        if ('replay' in begun) {
          reply.header('idempotent-replayed', 'true');
          return begun.replay;
        }
        if (!begun.call) return begun.intent;
        const call = begun.call;
        const outcome = await callProvider(call);
        return inTx(req, async (ctx) => {
          const intent = await recordPaymentOutcome(ctx, body.intentId, outcome);
          if (idem && begun.claimed) await saveIdempotentResponse(ctx.db, idem, 200, intent);
          return intent;
        });
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
    {
      method: 'POST',
      url: '/api/pos/payments/reconcile',
      summary:
        "Reconcile a store's payments with the provider: settle unknown ones, refund money taken for sales that never completed",
      tags,
      body: z.object({ storeId: id }),
      handler: (ctx, { body }) => reconcileStorePayments(ctx, body.storeId),
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
    {
      method: 'GET',
      url: '/api/pos/upload-errors',
      summary: 'Offline sales that could not be applied (upload-error queue)',
      tags,
      querystring: uploadErrorListQuery,
      handler: (ctx, { query }) => listUploadErrors(ctx, query),
    },
    {
      method: 'POST',
      url: '/api/pos/upload-errors/defer',
      summary:
        "A supervisor moves the open upload errors holding up the close of the store's earliest unclosed day to the next business day, with a reason (audited)",
      tags,
      body: deferUploadErrorsBody,
      handler: (ctx, { body }) => deferUploadErrors(ctx, body),
    },
    {
      method: 'GET',
      url: '/api/pos/upload-errors/:id',
      summary: 'One queued upload error with the sale as uploaded',
      tags,
      params: idParams,
      handler: (ctx, { params }) => getUploadError(ctx, params.id),
    },
    {
      method: 'PUT',
      url: '/api/pos/upload-errors/:id',
      summary:
        'Correct a queued sale (lines, tenders, discount, remarks; text fields such as references included) before retrying it',
      tags,
      params: idParams,
      body: uploadErrorEditBody,
      handler: (ctx, { params, body }) => editUploadError(ctx, params.id, body),
    },
    {
      method: 'POST',
      url: '/api/pos/upload-errors/:id/retry',
      summary: 'Retry a queued sale',
      tags,
      params: idParams,
      handler: (ctx, { params }) => retryUploadError(ctx, params.id),
    },
    {
      method: 'POST',
      url: '/api/pos/upload-errors/:id/discard',
      summary: 'Give up on a queued sale, with a reason (audited)',
      tags,
      params: idParams,
      body: uploadErrorDiscardBody,
      handler: (ctx, { params, body }) => discardUploadError(ctx, params.id, body.reason),
    },
    // ---- wholesale mode: outbound review (POS-5)
    {
      method: 'GET',
      url: '/api/pos/review',
      summary: 'Sales waiting for picking and the outbound review (零售出库复核), with their lines',
      tags,
      querystring: z.object({ storeId: id.optional() }),
      handler: (ctx, { query }) => listAwaitingReview(ctx, query),
    },
    {
      method: 'POST',
      url: '/api/pos/review',
      summary: 'Review picked sales: posts their stock through the ledger',
      tags,
      body: reviewBody,
      handler: (ctx, { body }) => reviewSales(ctx, body),
    },
    // ---- retail journal (POS-11)
    {
      method: 'GET',
      url: '/api/pos/journal',
      summary: 'Retail journal (零售流水): search by store, period, cashier, till, receipt number, product',
      tags,
      querystring: journalQuery,
      handler: (ctx, { query }) => searchJournal(ctx, query),
    },
    {
      method: 'GET',
      url: '/api/pos/journal/business-day',
      summary: "The day the retail journal opens at: a store's open business day, or today across stores",
      tags,
      querystring: z.object({ storeId: id.optional() }),
      handler: (ctx, { query }) => journalBusinessDay(ctx, query.storeId),
    },
    {
      method: 'GET',
      url: '/api/pos/journal/export',
      summary: 'The retail journal as .xlsx',
      tags,
      querystring: journalQuery.omit({ page: true, pageSize: true }),
      handler: async (ctx, { query, reply }) =>
        xlsx(reply, ctx.locale === 'en' ? 'retail-journal' : '零售流水', await exportJournal(ctx, query)),
    },
    {
      method: 'GET',
      url: '/api/pos/price-tags',
      summary: 'Price-tag (价签) data for products at a store',
      tags,
      querystring: priceTagQuery,
      handler: (ctx, { query }) => priceTags(ctx, query),
    },
    // ---- daily close (POS-8, ORG-4)
    {
      method: 'GET',
      url: '/api/pos/days/status',
      summary: "A store's day: last closed, the day a close would act on, what is still open",
      tags,
      querystring: dayStatusQuery,
      handler: (ctx, { query }) => dayStatus(ctx, query.storeId),
    },
    {
      method: 'POST',
      url: '/api/pos/days/close',
      summary: "Close the store's earliest unclosed business day (零售日结); clears temporary sales; answers the daily report",
      tags,
      body: closeDayBody,
      handler: (ctx, { body }) => closeDay(ctx, body),
    },
    {
      method: 'POST',
      url: '/api/pos/days/reopen',
      summary: 'Reopen the latest closed day (日结回填), only while finance has not started on it',
      tags,
      body: reopenDayBody,
      handler: (ctx, { body }) => reopenDay(ctx, body),
    },
    {
      method: 'GET',
      url: '/api/pos/days/:storeId/:day/report',
      summary: 'The daily report of a closed day (or a live preview of an open one)',
      tags,
      params: dailyReportParams,
      handler: (ctx, { params }) => getDailyReport(ctx, params.storeId, params.day),
    },
    // ---- settings and cashiers
    {
      method: 'GET',
      url: '/api/pos/stores/:id/settings',
      summary: 'Till settings of a store: rounding (抹零), hotkeys (热键设置), receipt templates',
      tags,
      params: idParams,
      handler: (ctx, { params }) => getStoreSettings(ctx, params.id),
    },
    {
      method: 'PUT',
      url: '/api/pos/stores/:id/settings',
      summary: 'Change the till settings of a store',
      tags,
      params: idParams,
      body: storeSettingsBody,
      handler: (ctx, { params, body }) => updateStoreSettings(ctx, params.id, body),
    },
    {
      method: 'GET',
      url: '/api/pos/stores/:id/cashiers',
      summary: 'Who may sell at a store, with PIN status and discount limits',
      tags,
      params: idParams,
      handler: (ctx, { params }) => listStoreCashiers(ctx, params.id),
    },
    {
      method: 'PUT',
      url: '/api/pos/cashiers/:id',
      summary: "Set a user's till PIN and/or own discount limit",
      tags,
      params: idParams,
      body: cashierSettingsBody,
      handler: (ctx, { params, body }) => updateCashierSettings(ctx, params.id, body),
    },
    {
      method: 'PUT',
      url: '/api/pos/me/pin',
      summary: 'Set my own till PIN (收银密码)',
      tags,
      body: ownPinBody,
      handler: (ctx, { body }) => setOwnPin(ctx, body.pin),
    },
    {
      method: 'GET',
      url: '/api/pos/discount-limits',
      summary: 'Discount limits per role at an org',
      tags,
      querystring: z.object({ orgId: id }),
      handler: (ctx, { query }) => listRoleDiscountLimits(ctx, query.orgId),
    },
    {
      method: 'PUT',
      url: '/api/pos/discount-limits',
      summary: 'Set the discount limit of a role at an org (applies to the stores below it)',
      tags,
      body: roleDiscountLimitBody,
      handler: (ctx, { body }) => setRoleDiscountLimit(ctx, body),
    },
  ]);
}
