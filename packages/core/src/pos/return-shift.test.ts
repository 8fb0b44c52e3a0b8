import { randomUUID } from 'node:crypto';
import { dec, sum } from '@erp/contracts';
import {
  asUser,
  expectLedgerMatchesBalances,
  expectRefusal,
  payMobile,
  SUPERVISOR_PIN,
  saleCommand,
  signInTill,
  TEST_PIN,
  usePosFixture,
} from '@erp/test-kit';
import { describe, expect, it } from 'vitest';
import { authorizeAtTill } from './authorization.service.js';
import { simulatorProvider } from './payment.provider.js';
import { recordReturn } from './return.service.js';
import { recordSale } from './sale.service.js';
import { currentShift, handOverShift, openShift, reconciliation, recordCashMovement } from './shift.service.js';

const { database, chain, pos: f } = usePosFixture();

const sell = (cmd: Parameters<typeof recordSale>[2]) => f.till.run((ctx, a) => recordSale(ctx, a, cmd));
const giveBack = (cmd: Parameters<typeof recordReturn>[2]) => f.till.run((ctx, a) => recordReturn(ctx, a, cmd));

describe('returns (POS-6)', () => {
  it('partial returns from the receipt, never more than sold minus returned, refunded to the original tenders at the original cost', async () => {
    const clientId = randomUUID();
    const paid = await payMobile(f.till, clientId, '10');
    const sale = await sell({
      ...saleCommand(
        f.till,
        [
          { productId: f.products.apple, qty: '3' },
          { productId: f.products.milk, qty: '2' },
        ],
        {
          tenders: [
            { method: 'mobile', amount: '10', paymentIntentId: paid.id },
            { method: 'cash', amount: '20' },
          ],
        },
      ),
      clientId,
    });
    expect(sale.total).toBe('22.00'); // 15 + 7; cash paid 12 (change 8)
    const appleLine = sale.lines[0]!;
    const r1 = await giveBack({
      clientId: randomUUID(),
      receiptNo: f.terminal.next(),
      originalReceiptNo: sale.receiptNo,
      shiftId: f.till.shiftId,
      lines: [{ originalLineId: appleLine.id, qty: '1' }],
    });
    expect(r1).toMatchObject({ kind: 'return', status: 'formal', total: '-5.00', originalSaleId: sale.id });
    // refund split over mobile (10) and cash (12): 5 × 10/22 and 5 × 12/22
    expect(r1.tenders.map((t) => [t.method, t.amount])).toEqual([
      ['mobile', '-2.27'],
      ['cash', '-2.73'],
    ]);
    expect(simulatorProvider.peek(paid.id)).toEqual({ status: 'succeeded', refunded: '2.27' });
    // back in at the cost it went out at
    expect(r1.lines[0]).toMatchObject({ qty: '-1.000', unitCost: appleLine.unitCost, amount: '-5.00' });
    const ledger = await database()
      .db.selectFrom('stock_ledger')
      .selectAll()
      .where('source_type', '=', 'pos_sale')
      .where('source_id', '=', r1.id)
      .execute();
    expect(ledger.map((l) => [l.qty, l.unit_cost])).toEqual([['1.000', appleLine.unitCost]]);

    const tooMany = await expectRefusal(
      giveBack({
        clientId: randomUUID(),
        receiptNo: f.terminal.next(),
        originalReceiptNo: sale.receiptNo,
        shiftId: f.till.shiftId,
        lines: [{ originalLineId: appleLine.id, qty: '2.5' }],
      }),
      'POS_RETURN_EXCEEDS',
    );
    expect(tooMany.params).toMatchObject({
      sold: '3.000',
      returned: '1.000',
      requested: '2.500',
    });

    // the rest of the receipt: everything refunded sums to the sale exactly
    const r2 = await giveBack({
      clientId: randomUUID(),
      receiptNo: f.terminal.next(),
      originalReceiptNo: sale.receiptNo,
      shiftId: f.till.shiftId,
      lines: [
        { originalLineId: appleLine.id, qty: '2' },
        { originalLineId: sale.lines[1]!.id, qty: '2' },
      ],
    });
    expect(dec(r1.total).plus(r2.total).toFixed(2)).toBe('-22.00');
    const refundedByTender = sum([...r1.tenders, ...r2.tenders].filter((t) => t.method === 'mobile').map((t) => t.amount));
    expect(refundedByTender.toFixed(2)).toBe('-10.00');
    expect(simulatorProvider.peek(paid.id)).toEqual({ status: 'refunded', refunded: '10.00' });
    await expectRefusal(
      giveBack({
        clientId: randomUUID(),
        receiptNo: f.terminal.next(),
        originalReceiptNo: sale.receiptNo,
        shiftId: f.till.shiftId,
        lines: [{ originalLineId: appleLine.id, qty: '0.001' }],
      }),
      'POS_RETURN_EXCEEDS',
    );
    await expectLedgerMatchesBalances(database());
  });

  it('a return is idempotent on its client id (one refund, one stock movement)', async () => {
    const sale = await sell(
      saleCommand(f.till, [{ productId: f.products.milk, qty: '2' }], { tenders: [{ method: 'cash', amount: '7' }] }),
    );
    const cmd = {
      clientId: randomUUID(),
      receiptNo: f.terminal.next(),
      originalReceiptNo: sale.receiptNo,
      shiftId: f.till.shiftId,
      lines: [{ originalLineId: sale.lines[0]!.id, qty: '1' }],
    };
    const a = await giveBack(cmd);
    const b = await giveBack(cmd);
    expect(b.replayed).toBe(true);
    expect(b.id).toBe(a.id);
    const n = await database()
      .db.selectFrom('stock_ledger')
      .select('id')
      .where('source_type', '=', 'pos_sale')
      .where('source_id', '=', a.id)
      .execute();
    expect(n.length).toBe(1);
  });

  it('a return names lines of its receipt only; a receipt of another store is not found', async () => {
    const sale = await sell(
      saleCommand(f.till, [{ productId: f.products.milk, qty: '1' }], { tenders: [{ method: 'cash', amount: '5' }] }),
    );
    const other = await sell(
      saleCommand(f.till, [{ productId: f.products.milk, qty: '1' }], { tenders: [{ method: 'cash', amount: '5' }] }),
    );
    await expectRefusal(
      giveBack({
        clientId: randomUUID(),
        receiptNo: f.terminal.next(),
        originalReceiptNo: sale.receiptNo,
        shiftId: f.till.shiftId,
        lines: [{ originalLineId: other.lines[0]!.id, qty: '1' }],
      }),
      'POS_RETURN_LINE_INVALID',
    );
    await expectRefusal(
      giveBack({
        clientId: randomUUID(),
        receiptNo: f.terminal.next(),
        originalReceiptNo: 'SB-T1-00000001',
        shiftId: f.till.shiftId,
        lines: [{ originalLineId: 1, qty: '1' }],
      }),
      'NOT_FOUND',
    );
  });

  it('a manual return (no receipt) needs a supervisor authorisation for it', async () => {
    const cmd = {
      clientId: randomUUID(),
      receiptNo: f.terminal.next(),
      shiftId: f.till.shiftId,
      lines: [{ productId: f.products.apple, qty: '1', amount: '4.00' }],
      reason: '系统切换前的销售',
    };
    await expectRefusal(giveBack(cmd), 'POS_AUTHORIZATION_REQUIRED');
    const g = await f.till.run((ctx, a) =>
      authorizeAtTill(ctx, a, { login: 'sa_admin', pin: SUPERVISOR_PIN, purpose: 'manual_return', clientSaleId: cmd.clientId }),
    );
    if (!g.ok) throw new Error('authorisation failed');
    const wrongPurpose = await f.till.run((ctx, a) =>
      authorizeAtTill(ctx, a, { login: 'sa_admin', pin: SUPERVISOR_PIN, purpose: 'open_drawer' }),
    );
    if (!wrongPurpose.ok) throw new Error('authorisation failed');
    await expectRefusal(giveBack({ ...cmd, authorizationId: wrongPurpose.authorization.id }), 'POS_AUTHORIZATION_INVALID');
    const r = await giveBack({ ...cmd, authorizationId: g.authorization.id });
    expect(r).toMatchObject({ kind: 'return', total: '-4.00', originalSaleId: null });
    expect(r.tenders).toEqual([expect.objectContaining({ method: 'cash', amount: '-4.00' })]);
    await expectLedgerMatchesBalances(database());
  });
});

describe('shifts (POS-7)', () => {
  it('expected cash = float + cash sales − cash refunds − paid-outs; the deposit records over/short', async () => {
    const t = await signInTill(database(), f.terminal, 'sa_admin', SUPERVISOR_PIN, { float: '300.00' });
    await expectRefusal(
      t.run((ctx, a) => openShift(ctx, a, { id: randomUUID(), float: '1' })),
      'POS_SHIFT_ALREADY_OPEN',
    );
    const s1 = await t.run((ctx, a) =>
      recordSale(
        ctx,
        a,
        saleCommand(t, [{ productId: f.products.apple, qty: '4' }], { tenders: [{ method: 'cash', amount: '50' }] }),
      ),
    ); // cash 20
    await t.run((ctx, a) =>
      recordSale(
        ctx,
        a,
        saleCommand(t, [{ productId: f.products.milk, qty: '2' }], { tenders: [{ method: 'bank_card', amount: '7' }] }),
      ),
    );
    await t.run((ctx, a) =>
      recordReturn(ctx, a, {
        clientId: randomUUID(),
        receiptNo: t.terminal.next(),
        originalReceiptNo: s1.receiptNo,
        shiftId: t.shiftId,
        lines: [{ originalLineId: s1.lines[0]!.id, qty: '1' }],
      }),
    ); // cash refund 5
    await t.run((ctx, a) => recordCashMovement(ctx, a, { kind: 'paid_out', amount: '12.50', reason: '购买清洁用品' }));
    const running = await t.run((ctx, a) => currentShift(ctx, a));
    expect(running.totals).toMatchObject({
      float: '300.00',
      cashSales: '20.00',
      cashRefunds: '5.00',
      paidOut: '12.50',
      expectedCash: '302.50',
    });
    const done = await t.run((ctx, a) => handOverShift(ctx, a, { deposit: '300.00', denominations: { '100': 3 } }));
    expect(done.shift).toMatchObject({ status: 'handed_over', expectedCash: '302.50', deposit: '300.00', overShort: '-2.50' });
    expect(done.totals.byTender).toEqual(
      expect.arrayContaining([
        { method: 'bank_card', sales: '7.00', refunds: '0.00', net: '7.00' },
        { method: 'cash', sales: '20.00', refunds: '5.00', net: '15.00' },
      ]),
    );
    // after hand-over, selling needs a new shift
    await expectRefusal(
      t.run((ctx, a) =>
        recordSale(
          ctx,
          a,
          saleCommand(t, [{ productId: f.products.apple, qty: '1' }], { tenders: [{ method: 'cash', amount: '5' }] }),
        ),
      ),
      'POS_SHIFT_REQUIRED',
    );

    const today = new Date().toISOString().slice(0, 10);
    const rec = await asUser(database(), chain.users.storeAAdmin, (ctx) =>
      reconciliation(ctx, { storeId: chain.storeA.id, from: '2000-01-01', to: '2999-12-31' }),
    );
    const mgr = rec.cashiers.find((c) => c.login === 'sa_admin');
    expect(mgr).toMatchObject({ expectedCash: '302.50', deposited: '300.00', overShort: '-2.50', net: '22.00' });
    expect(rec.cashiers.find((c) => c.login === 'sa_cashier')).toBeDefined();
    expect(rec.byTender.find((t) => t.method === 'cash')).toBeDefined();
    expect(today.length).toBe(10);
  });

  it("a cashier cannot hand over another cashier's shift or sell on it", async () => {
    const t = await signInTill(database(), f.terminal, 'sa_cashier', TEST_PIN, { float: null });
    await expectRefusal(
      t.run((ctx, a) =>
        recordSale(ctx, a, {
          ...saleCommand(t, [{ productId: f.products.apple, qty: '1' }], { tenders: [{ method: 'cash', amount: '5' }] }),
          shiftId: randomUUID(),
        }),
      ),
      'POS_SHIFT_REQUIRED',
    );
  });
});
