import { DomainError, dec, money, type PaymentCommand, type PaymentStatus, paymentBody } from '@erp/contracts';
import { sql } from '@erp/db';
import { recordAudit } from '../audit/audit.service.js';
import { authorize, type Ctx } from '../platform/context.js';
import {
  defaultPaymentProviderCode,
  type PaymentProvider,
  type ProviderPayResult,
  type ProviderQueryResult,
  ProviderTimeoutError,
  paymentProvider,
} from './payment.provider.js';
import type { TxRunner } from './sale.service.js';
import { resolveTill, type Till, type TillAuth } from './terminal.service.js';

/**
 * Mobile payments (POS-4) as payment intents. The rules that keep money and sales in step:
 *  - the intent is written (and committed) as 'pending' BEFORE the provider is called, keyed by an id the
 *    till generated, so a crash or a timeout never loses track of a charge;
 *  - no answer (timeout) leaves 'unknown'; only the provider's own answer (pay/query) makes it succeeded or
 *    failed — never a guess;
 *  - a sale becomes formal only with succeeded intents for exactly its amount (see the sale service);
 *  - an intent that succeeded but whose sale never completed is refunded by cleanup, daily close or
 *    reconcile — money is never kept without a sale.
 */

export interface PaymentIntentDto {
  id: string;
  clientSaleId: string;
  channel: string;
  provider: string;
  amount: string;
  status: PaymentStatus;
  providerRef: string | null;
  failureCode: string | null;
  refundedAmount: string;
  saleId: number | null;
  createdAt: Date;
  updatedAt: Date;
}

type IntentRow = {
  id: string;
  kind: 'payment' | 'refund';
  store_id: number;
  terminal_id: number;
  cashier_id: number;
  client_sale_id: string;
  channel: string;
  provider: string;
  amount: string;
  status: PaymentStatus;
  provider_ref: string | null;
  failure_code: string | null;
  refunded_amount: string;
  sale_id: number | null;
  created_at: Date;
  updated_at: Date;
};

export function toIntentDto(r: IntentRow): PaymentIntentDto {
  return {
    id: r.id,
    clientSaleId: r.client_sale_id,
    channel: r.channel,
    provider: r.provider,
    amount: money(r.amount),
    status: r.status,
    providerRef: r.provider_ref,
    failureCode: r.failure_code,
    refundedAmount: money(r.refunded_amount),
    saleId: r.sale_id === null ? null : Number(r.sale_id),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const OPEN: readonly PaymentStatus[] = ['pending', 'unknown'];

async function loadIntent(ctx: Ctx, id: string, forUpdate = false): Promise<IntentRow> {
  let q = ctx.db.selectFrom('pos_payment_intent').selectAll().where('id', '=', id).where('kind', '=', 'payment');
  if (forUpdate) q = q.forUpdate();
  const row = (await q.executeTakeFirst()) as IntentRow | undefined;
  if (!row || !ctx.scope.has(row.store_id)) throw new DomainError('NOT_FOUND', { entity: 'payment', id });
  return row;
}

async function tillIntent(ctx: Ctx, auth: TillAuth, id: string): Promise<{ till: Till; row: IntentRow }> {
  const till = await resolveTill(ctx, auth);
  authorize(ctx, 'pos.sale', 'create');
  const row = await loadIntent(ctx, id, true);
  if (row.store_id !== till.storeId) throw new DomainError('NOT_FOUND', { entity: 'payment', id });
  return { till, row };
}

/** What the route does between the two transactions of a payment. */
export type ProviderCall = { kind: 'pay'; intentId: string; provider: string; amount: string; authCode: string; channel: string };

export type ProviderOutcome =
  | { kind: 'pay'; result: ProviderPayResult }
  | { kind: 'timeout' }
  | { kind: 'query'; result: ProviderQueryResult };

/**
 * Phase 1 of a mobile payment: records the intent as 'pending' (the caller commits before calling the
 * provider). A repeated request with the same intent id returns the intent as it is, without charging again.
 */
export async function beginPayment(
  ctx: Ctx,
  auth: TillAuth,
  input: PaymentCommand,
): Promise<{ intent: PaymentIntentDto; call: ProviderCall | null }> {
  const cmd = paymentBody.parse(input);
  const till = await resolveTill(ctx, auth);
  authorize(ctx, 'pos.sale', 'create');
  const existing = (await ctx.db
    .selectFrom('pos_payment_intent')
    .selectAll()
    .where('id', '=', cmd.intentId)
    .executeTakeFirst()) as IntentRow | undefined;
  if (existing) {
    if (
      existing.store_id !== till.storeId ||
      existing.client_sale_id !== cmd.clientSaleId ||
      !dec(existing.amount).equals(cmd.amount)
    ) {
      throw new DomainError('POS_PAYMENT_MISMATCH', { intent: cmd.intentId });
    }
    return { intent: toIntentDto(existing), call: null };
  }
  const sale = await ctx.db
    .selectFrom('pos_sale')
    .select(['status', 'receipt_no', 'store_id'])
    .where('client_id', '=', cmd.clientSaleId)
    .executeTakeFirst();
  if (sale && (sale.store_id !== till.storeId || sale.status === 'formal' || sale.status === 'void')) {
    throw new DomainError('POS_SALE_STATE', { receiptNo: sale.receipt_no, status: sale.status, action: 'pay' });
  }
  const provider = defaultPaymentProviderCode();
  const row = (await ctx.db
    .insertInto('pos_payment_intent')
    .values({
      id: cmd.intentId,
      store_id: till.storeId,
      terminal_id: till.terminalId,
      cashier_id: till.cashierId,
      client_sale_id: cmd.clientSaleId,
      channel: cmd.channel,
      provider,
      amount: cmd.amount,
      status: 'pending',
      attempts: 1,
    })
    .returningAll()
    .executeTakeFirstOrThrow()) as IntentRow;
  await recordAudit(ctx, {
    action: 'pos.payment_started',
    entity: 'pos_payment_intent',
    entityId: row.id,
    after: toIntentDto(row),
    orgId: till.storeId,
  });
  return {
    intent: toIntentDto(row),
    call: { kind: 'pay', intentId: row.id, provider, amount: money(row.amount), authCode: cmd.authCode, channel: cmd.channel },
  };
}

/** Phase 2, outside any transaction: the provider call. A timeout is an outcome, not an error. */
export async function callProvider(call: ProviderCall): Promise<ProviderOutcome> {
  try {
    const result = await paymentProvider(call.provider).pay(call);
    return { kind: 'pay', result };
  } catch (e) {
    if (e instanceof ProviderTimeoutError) return { kind: 'timeout' };
    throw e;
  }
}

function nextState(row: IntentRow, outcome: ProviderOutcome): Partial<IntentRow> | null {
  if (outcome.kind === 'timeout') return OPEN.includes(row.status) ? { status: 'unknown' } : null;
  if (outcome.kind === 'pay') {
    if (!OPEN.includes(row.status)) return null;
    const r = outcome.result;
    if (r.status === 'succeeded') return { status: 'succeeded', provider_ref: r.providerRef };
    if (r.status === 'failed') return { status: 'failed', failure_code: r.failureCode };
    return { status: 'unknown' };
  }
  const r = outcome.result;
  switch (r.status) {
    case 'succeeded':
      return OPEN.includes(row.status) || row.status === 'succeeded'
        ? { status: 'succeeded', provider_ref: r.providerRef, refunded_amount: money(r.refunded) }
        : null;
    case 'refunded':
      return { status: 'refunded', provider_ref: r.providerRef, refunded_amount: money(row.amount) };
    case 'failed':
      return OPEN.includes(row.status) ? { status: 'failed', failure_code: r.failureCode } : null;
    case 'not_found':
      // The provider never took the money (the request never reached it, or it expired unpaid).
      return OPEN.includes(row.status) ? { status: 'failed', failure_code: 'NOT_FOUND' } : null;
    case 'pending':
      return OPEN.includes(row.status) ? { status: 'unknown' } : null;
  }
}

/** Phase 3: records what the provider said. */
export async function recordPaymentOutcome(ctx: Ctx, intentId: string, outcome: ProviderOutcome): Promise<PaymentIntentDto> {
  const row = await loadIntent(ctx, intentId, true);
  const patch = nextState(row, outcome);
  if (!patch) return toIntentDto(row);
  const updated = (await ctx.db
    .updateTable('pos_payment_intent')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', intentId)
    .returningAll()
    .executeTakeFirstOrThrow()) as IntentRow;
  if (updated.status !== row.status) {
    await recordAudit(ctx, {
      action: 'pos.payment_status',
      entity: 'pos_payment_intent',
      entityId: intentId,
      before: { status: row.status },
      after: { status: updated.status, providerRef: updated.provider_ref, failureCode: updated.failure_code },
      detail: { outcome: outcome.kind },
      orgId: row.store_id,
    });
  }
  return toIntentDto(updated);
}

async function queryProvider(provider: PaymentProvider, intentId: string): Promise<ProviderOutcome> {
  try {
    return { kind: 'query', result: await provider.query(intentId) };
  } catch (e) {
    if (e instanceof ProviderTimeoutError) return { kind: 'timeout' };
    throw e;
  }
}

/**
 * How a till write that spans transactions honours the request's Idempotency-Key (the route knows the key
 * and where answers are kept): `claim` takes the key in the given transaction, or answers the first
 * request's stored response (`status` null while that request is still under way); `save` stores the
 * answer in the transaction of the change it describes.
 */
export interface RequestKey {
  claim(ctx: Ctx): Promise<{ status: number | null; body: unknown } | null>;
  save(ctx: Ctx, answer: unknown): Promise<void>;
}

/**
 * A mobile payment as the till's API runs it: the intent committed as pending, the provider called outside
 * any transaction, its outcome committed. Under a request key the key is claimed with the pending intent and
 * answered with the outcome; a replay meanwhile (no answer stored yet) gets the intent as it stands, never a
 * second charge; a replay afterwards gets the first answer (`replay`).
 */
export function chargePayment(run: TxRunner, auth: TillAuth, cmd: PaymentCommand): Promise<{ intent: PaymentIntentDto }>;
export function chargePayment(
  run: TxRunner,
  auth: TillAuth,
  cmd: PaymentCommand,
  key: RequestKey,
): Promise<{ intent: PaymentIntentDto } | { replay: unknown }>;
export async function chargePayment(
  run: TxRunner,
  auth: TillAuth,
  cmd: PaymentCommand,
  key?: RequestKey,
): Promise<{ intent: PaymentIntentDto } | { replay: unknown }> {
  const begun = await run(async (ctx) => {
    const first = key ? await key.claim(ctx) : null;
    if (first && first.status !== null) return { replay: first.body };
    const b = await beginPayment(ctx, auth, cmd);
    if (!b.call && key && !first) await key.save(ctx, b.intent);
    return { ...b, claimed: key !== undefined && !first };
  });
  if ('replay' in begun) return { replay: begun.replay };
  if (!begun.call) return { intent: begun.intent };
  const outcome = await callProvider(begun.call);
  return run(async (ctx) => {
    const intent = await recordPaymentOutcome(ctx, cmd.intentId, outcome);
    if (key && begun.claimed) await key.save(ctx, intent);
    return { intent };
  });
}

/** The till asks again after a timeout (查询): the provider's answer settles the intent. */
export async function queryPayment(ctx: Ctx, auth: TillAuth, intentId: string): Promise<PaymentIntentDto> {
  const { row } = await tillIntent(ctx, auth, intentId);
  if (!OPEN.includes(row.status)) return toIntentDto(row);
  await ctx.db.updateTable('pos_payment_intent').set({ attempts: sql`attempts + 1` }).where('id', '=', intentId).execute();
  return recordPaymentOutcome(ctx, intentId, await queryProvider(paymentProvider(row.provider), intentId));
}

export async function getPayment(ctx: Ctx, auth: TillAuth, intentId: string): Promise<PaymentIntentDto> {
  const { row } = await tillIntent(ctx, auth, intentId);
  return toIntentDto(row);
}

/**
 * Gives the money back for a payment whose sale will not complete (the customer walks away, the cashier
 * switches to cash): an open intent is closed at the provider (which reverses it if it was in fact paid),
 * a succeeded one is refunded. A payment of a formal sale is refused: that takes a return.
 */
export async function cancelPayment(ctx: Ctx, auth: TillAuth, intentId: string): Promise<PaymentIntentDto> {
  const { row } = await tillIntent(ctx, auth, intentId);
  return releasePayment(ctx, row, 'cancelled_by_till');
}

async function releasePayment(ctx: Ctx, row: IntentRow, reason: string): Promise<PaymentIntentDto> {
  if (row.sale_id !== null) {
    const sale = await ctx.db
      .selectFrom('pos_sale')
      .select(['status', 'receipt_no'])
      .where('id', '=', row.sale_id)
      .executeTakeFirst();
    if (sale?.status === 'formal') {
      throw new DomainError('POS_PAYMENT_STATE', { intent: row.id, status: row.status, action: 'cancel' });
    }
  }
  const provider = paymentProvider(row.provider);
  let patch: Partial<IntentRow> | null = null;
  if (OPEN.includes(row.status)) {
    const r = await provider.cancel(row.id);
    patch = r.status === 'refunded' ? { status: 'refunded', refunded_amount: money(row.amount) } : { status: 'cancelled' };
  } else if (row.status === 'succeeded') {
    const left = dec(row.amount).minus(row.refunded_amount);
    // decimal.js counts 0 as positive: nothing left means no refund call (a provider refuses a 0.00 refund).
    if (left.greaterThan(0)) {
      const r = await provider.refund({ intentId: row.id, refundId: `${row.id}:release`, amount: money(left) });
      if (r.status !== 'succeeded')
        throw new DomainError('POS_PAYMENT_STATE', { intent: row.id, status: row.status, action: 'refund' });
    }
    patch = { status: 'refunded', refunded_amount: money(row.amount) };
  }
  if (!patch) return toIntentDto(row);
  const updated = (await ctx.db
    .updateTable('pos_payment_intent')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow()) as IntentRow;
  await recordAudit(ctx, {
    action: 'pos.payment_released',
    entity: 'pos_payment_intent',
    entityId: row.id,
    before: { status: row.status },
    after: { status: updated.status, refundedAmount: updated.refunded_amount },
    detail: { reason },
    orgId: row.store_id,
  });
  return toIntentDto(updated);
}

export interface ReconcileSummary {
  queried: number;
  settled: number;
  refunded: number;
  stillUnknown: number;
}

/**
 * Reconciles a store's payments with the provider: open intents older than `minAgeSeconds` are queried;
 * succeeded intents whose sale did not complete (no sale, or a cleared one; not a temporary/held sale still
 * being finished) and older than `orphanMinutes` are refunded. Run by cleanup, by the daily close, and on
 * demand. `clientSaleIds` limits it to the payments of those sales (cleared at cleanup) whatever their age.
 */
export async function reconcilePayments(
  ctx: Ctx,
  storeId: number,
  opts: { minAgeSeconds?: number; orphanMinutes?: number; clientSaleIds?: readonly string[] } = {},
): Promise<ReconcileSummary> {
  ctx.scope.assert(storeId, 'org', storeId);
  const only = opts.clientSaleIds;
  if (only && only.length === 0) return { queried: 0, settled: 0, refunded: 0, stillUnknown: 0 };
  const minAge = only ? 0 : (opts.minAgeSeconds ?? 60);
  const orphanAge = only ? 0 : (opts.orphanMinutes ?? 30);
  const open = (
    await sql<IntentRow>`
    select * from pos_payment_intent
     where store_id = ${storeId} and kind = 'payment' and status in ('pending', 'unknown')
       and updated_at <= clock_timestamp() - make_interval(secs => ${minAge})
       ${only ? sql`and client_sale_id = any(${[...only]}::uuid[])` : sql``}
     order by created_at for update`.execute(ctx.db)
  ).rows;
  const summary: ReconcileSummary = { queried: 0, settled: 0, refunded: 0, stillUnknown: 0 };
  for (const row of open) {
    summary.queried++;
    const dto = await recordPaymentOutcome(ctx, row.id, await queryProvider(paymentProvider(row.provider), row.id));
    if (dto.status === 'unknown') summary.stillUnknown++;
    else summary.settled++;
  }
  const orphans = (
    await sql<IntentRow>`
    select i.* from pos_payment_intent i
     where i.store_id = ${storeId} and i.kind = 'payment' and i.status = 'succeeded'
       and i.updated_at <= clock_timestamp() - make_interval(mins => ${orphanAge})
       ${only ? sql`and i.client_sale_id = any(${[...only]}::uuid[])` : sql``}
       and not exists (select 1 from pos_sale s where s.client_id = i.client_sale_id and s.status in ('temporary', 'held', 'formal'))
     order by i.created_at for update`.execute(ctx.db)
  ).rows;
  for (const row of orphans) {
    await releasePayment(ctx, row, 'orphaned');
    summary.refunded++;
  }
  return summary;
}

/** On-demand reconcile by a supervisor (also run by cleanup and the daily close). */
export async function reconcileStorePayments(ctx: Ctx, storeId: number): Promise<ReconcileSummary> {
  authorize(ctx, 'pos.sale', 'void');
  return reconcilePayments(ctx, storeId);
}

/**
 * Refunds part of a paid mobile payment for a return (POS-6), idempotently: `refundId` is derived from the
 * return's client id, so a repeated return request refunds once. Returns the refund's reference.
 */
export async function refundPayment(
  ctx: Ctx,
  p: { intentId: string; refundId: string; amount: string; till: Till; clientSaleId: string },
): Promise<string | null> {
  const row = await loadIntent(ctx, p.intentId, true);
  const left = dec(row.amount).minus(row.refunded_amount);
  if (dec(p.amount).greaterThan(left))
    throw new DomainError('POS_PAYMENT_STATE', { intent: row.id, status: row.status, action: 'refund' });
  const r = await paymentProvider(row.provider).refund({ intentId: row.id, refundId: p.refundId, amount: p.amount });
  if (r.status !== 'succeeded')
    throw new DomainError('POS_PAYMENT_STATE', { intent: row.id, status: row.status, action: 'refund' });
  const refunded = dec(row.refunded_amount).plus(p.amount);
  await ctx.db
    .updateTable('pos_payment_intent')
    .set({ refunded_amount: money(refunded), updated_at: new Date() })
    .where('id', '=', row.id)
    .execute();
  await ctx.db
    .insertInto('pos_payment_intent')
    .values({
      id: p.refundId,
      kind: 'refund',
      original_intent_id: row.id,
      store_id: row.store_id,
      terminal_id: p.till.terminalId,
      cashier_id: p.till.cashierId,
      client_sale_id: p.clientSaleId,
      channel: row.channel,
      provider: row.provider,
      amount: p.amount,
      status: 'succeeded',
      provider_ref: r.providerRef ?? null,
    })
    .execute();
  return r.providerRef ?? null;
}
