import { randomUUID } from 'node:crypto';
import { asUser, expectLedgerMatchesBalances, expectRefusal, payMobile, saleCommand, usePosFixture } from '@erp/test-kit';
import { describe, expect, it } from 'vitest';
import { simulatorProvider } from './payment.provider.js';
import { beginPayment, cancelPayment, queryPayment, reconcilePayments, recordPaymentOutcome } from './payment.service.js';
import { cleanupTemporarySales, recordSale } from './sale.service.js';

const { database, chain, pos: f } = usePosFixture();

const sell = (cmd: Parameters<typeof recordSale>[2]) => f.till.run((ctx, a) => recordSale(ctx, a, cmd));
const query = (id: string) => f.till.run((ctx, a) => queryPayment(ctx, a, id));
const intentRow = (id: string) =>
  database().db.selectFrom('pos_payment_intent').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** A 10.00 sale paid by mobile. */
function mobileSale(intentId: string, clientId = randomUUID()) {
  return {
    ...saleCommand(f.till, [{ productId: f.products.apple, qty: '2' }], {
      tenders: [{ method: 'mobile' as const, amount: '10', paymentIntentId: intentId }],
    }),
    clientId,
  };
}

describe('mobile payments (POS-4): money and sales stay in step', () => {
  it('success: the intent is recorded before the provider is called, and the sale takes it', async () => {
    const clientId = randomUUID();
    const intentId = randomUUID();
    const begun = await f.till.run((ctx, a) =>
      beginPayment(ctx, a, { intentId, clientSaleId: clientId, amount: '10', authCode: '134567890123456789' }),
    );
    expect(begun.intent.status).toBe('pending');
    expect((await intentRow(intentId)).status).toBe('pending'); // committed before any money moves
    const paid = await payMobile(f.till, clientId, '10');
    expect(paid.status).toBe('succeeded');
    const sale = await sell(mobileSale(paid.id, clientId));
    expect(sale.tenders[0]).toMatchObject({ method: 'mobile', amount: '10.00', paymentIntentId: paid.id });
    expect(Number((await intentRow(paid.id)).sale_id)).toBe(sale.id);
    await expectLedgerMatchesBalances(database());
  });

  it('the same intent id never charges twice', async () => {
    const clientId = randomUUID();
    const intentId = randomUUID();
    const calls = simulatorProvider.calls.pay;
    await f.till.run((ctx, a) =>
      beginPayment(ctx, a, { intentId, clientSaleId: clientId, amount: '10', authCode: '134567890123456789' }),
    );
    const again = await f.till.run((ctx, a) =>
      beginPayment(ctx, a, { intentId, clientSaleId: clientId, amount: '10', authCode: '134567890123456789' }),
    );
    expect(again.call).toBeNull();
    expect(simulatorProvider.calls.pay).toBe(calls);
    await expectRefusal(
      f.till.run((ctx, a) => beginPayment(ctx, a, { intentId, clientSaleId: clientId, amount: '11', authCode: '1345678901' })),
      'POS_PAYMENT_MISMATCH',
    );
  });

  it('decline: the payment fails and a sale cannot use it', async () => {
    const clientId = randomUUID();
    const declined = await payMobile(f.till, clientId, '10', '134567890123450001');
    expect(declined).toMatchObject({ status: 'failed', failureCode: 'INSUFFICIENT_FUNDS' });
    await expectRefusal(sell(mobileSale(declined.id, clientId)), 'POS_PAYMENT_NOT_SETTLED');
  });

  it('timeout without a charge: unknown, never paid; the query settles it as failed', async () => {
    const clientId = randomUUID();
    const t = await payMobile(f.till, clientId, '10', '134567890123450002');
    expect(t.status).toBe('unknown');
    await expectRefusal(sell(mobileSale(t.id, clientId)), 'POS_PAYMENT_NOT_SETTLED'); // no sale marked paid without money
    const settled = await query(t.id);
    expect(settled).toMatchObject({ status: 'failed', failureCode: 'NOT_FOUND' });
  });

  it('timeout with late success: unknown, then (after a pending answer) succeeded, and the sale completes', async () => {
    const clientId = randomUUID();
    const t = await payMobile(f.till, clientId, '10', '134567890123450003');
    expect(t.status).toBe('unknown');
    expect((await query(t.id)).status).toBe('unknown'); // the provider still says "paying"
    const ok = await query(t.id);
    expect(ok.status).toBe('succeeded');
    const sale = await sell(mobileSale(t.id, clientId));
    expect(sale.status).toBe('formal');
  });

  it('money taken for a sale that never completes is given back: reconcile refunds it', async () => {
    const clientId = randomUUID();
    const t = await payMobile(f.till, clientId, '10', '134567890123450003'); // late success, the till gave up
    expect(t.status).toBe('unknown');
    const summary = await asUser(database(), chain.users.storeAAdmin, (ctx) =>
      reconcilePayments(ctx, chain.storeA.id, { minAgeSeconds: 0, orphanMinutes: 0 }),
    );
    expect(summary.queried).toBeGreaterThanOrEqual(1);
    // first query: still pending; a second reconcile finds it paid with no sale, and refunds it
    const again = await asUser(database(), chain.users.storeAAdmin, (ctx) =>
      reconcilePayments(ctx, chain.storeA.id, { minAgeSeconds: 0, orphanMinutes: 0 }),
    );
    expect(again.refunded).toBeGreaterThanOrEqual(1);
    expect((await intentRow(t.id)).status).toBe('refunded');
    expect(simulatorProvider.peek(t.id)).toEqual({ status: 'refunded', refunded: '10.00' });
  });

  it('clearing a temporary sale refunds the payment it had taken', async () => {
    const clientId = randomUUID();
    const paid = await payMobile(f.till, clientId, '5');
    const tmp = await sell({
      ...saleCommand(f.till, [{ productId: f.products.apple, qty: '2' }], {
        status: 'temporary',
        tenders: [{ method: 'mobile', amount: '5', paymentIntentId: paid.id }],
      }),
      clientId,
    });
    expect(tmp).toMatchObject({ status: 'temporary', paid: '5.00' });
    const cleared = await asUser(database(), chain.users.storeAAdmin, (ctx) =>
      cleanupTemporarySales(ctx, { storeId: chain.storeA.id, olderThanMinutes: 0 }),
    );
    expect(cleared.refundedPayments).toBe(1);
    expect((await intentRow(paid.id)).status).toBe('refunded');
  });

  it('the till cancels a payment it will not use; a payment of a formal sale cannot be cancelled', async () => {
    const c1 = randomUUID();
    const p1 = await payMobile(f.till, c1, '10');
    const cancelled = await f.till.run((ctx, a) => cancelPayment(ctx, a, p1.id));
    expect(cancelled.status).toBe('refunded');
    const c2 = randomUUID();
    const p2 = await payMobile(f.till, c2, '10');
    await sell(mobileSale(p2.id, c2));
    await expectRefusal(
      f.till.run((ctx, a) => cancelPayment(ctx, a, p2.id)),
      'POS_PAYMENT_STATE',
    );
  });

  it('a payment with nothing left to give back is released without a 0.00 refund at the provider', async () => {
    const c = randomUUID();
    const p = await payMobile(f.till, c, '10');
    // Refunded in full outside the till (the provider's merchant back office); the provider still answers
    // the trade as paid, with its refunds (as WeChat Pay's SUCCESS/REFUND does).
    await simulatorProvider.refund({ intentId: p.id, refundId: randomUUID(), amount: '10.00' });
    await f.till.run((ctx) =>
      recordPaymentOutcome(ctx, p.id, {
        kind: 'query',
        result: { status: 'succeeded', providerRef: `SIM${p.id.slice(0, 8)}`, refunded: '10.00' },
      }),
    );
    expect(await intentRow(p.id)).toMatchObject({ status: 'succeeded', refunded_amount: '10.00' });
    const refunds = simulatorProvider.calls.refund;
    const released = await f.till.run((ctx, a) => cancelPayment(ctx, a, p.id));
    expect(released).toMatchObject({ status: 'refunded', refundedAmount: '10.00' });
    expect(simulatorProvider.calls.refund).toBe(refunds); // zero is not "positive" money to refund
  });

  it('a payment serves only its own sale and amount', async () => {
    const c = randomUUID();
    const p = await payMobile(f.till, c, '10');
    await expectRefusal(sell(mobileSale(p.id)), 'POS_PAYMENT_MISMATCH');
    await expectRefusal(
      sell({
        ...saleCommand(f.till, [{ productId: f.products.apple, qty: '3' }], {
          tenders: [{ method: 'mobile', amount: '15', paymentIntentId: p.id }],
        }),
        clientId: c,
      }),
      'POS_PAYMENT_MISMATCH',
    );
  });
});
