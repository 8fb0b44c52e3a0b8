import type { DB, Transaction } from '@erp/db';
import { type RequestOrigin, revokeSession } from '../auth/index.js';
import type { Ctx } from '../platform/context.js';
import { crashLeftSales } from './sale.service.js';
import { currentShift } from './shift.service.js';
import { resolveTill, type TillAuth, type TillSignInResult, tillSignIn } from './terminal.service.js';

/**
 * The cashier's session at a till (ORG-5, POS-1, POS-2): signing in with the till PIN, who and where the
 * session is, signing out. What the till needs right after signing in comes with the answer: the temporary
 * sales this cashier left behind (a crash mid-payment) and the shift still open at this till.
 */

export type TillSignInOutcome =
  | { ok: true; answer: Awaited<ReturnType<typeof signedInAnswer>> }
  | { ok: false; code: string; params?: Record<string, string> };

/**
 * Signs the cashier in on the till the terminal token names. A refused PIN is an outcome, not a throw:
 * its failure count and audit must commit with the caller's transaction (the route answers the problem).
 */
export async function signInAtTill(
  trx: Transaction<DB>,
  cmd: { terminalToken: string; login: string; pin: string },
  origin: RequestOrigin,
): Promise<TillSignInOutcome> {
  const result = await tillSignIn(trx, cmd, origin);
  if (!result.ok) return result;
  return { ok: true, answer: await signedInAnswer(trx, result) };
}

async function signedInAnswer(trx: Transaction<DB>, result: Extract<TillSignInResult, { ok: true }>) {
  const openShift = await trx
    .selectFrom('pos_shift')
    .select(['id', 'float_amount', 'opened_at', 'business_day'])
    .where('terminal_id', '=', result.terminal.id)
    .where('cashier_id', '=', result.cashier.id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return {
    token: result.token,
    expiresAt: result.expiresAt.toISOString(),
    cashier: result.cashier,
    terminal: result.terminal,
    store: result.store,
    pendingSales: await crashLeftSales(trx, result.store.id, result.cashier.id),
    openShift: openShift ?? null,
  };
}

/** The till session as the till sees it after a reload: till, store and cashier, the open shift, crash-left sales. */
export async function tillSession(ctx: Ctx, auth: TillAuth) {
  const till = await resolveTill(ctx, auth);
  return {
    till,
    shift: await currentShift(ctx, auth),
    pendingSales: await crashLeftSales(ctx.db, till.storeId, till.cashierId),
  };
}

/** Ends the caller's till session (only its own, and only from its own till). */
export async function signOutAtTill(ctx: Ctx, auth: TillAuth): Promise<{ ok: true }> {
  await resolveTill(ctx, auth);
  await revokeSession(ctx.db, auth.sessionId);
  return { ok: true };
}
