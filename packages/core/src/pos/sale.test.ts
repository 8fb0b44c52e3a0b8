import { randomUUID } from 'node:crypto';
import { dec, sum } from '@erp/contracts';
import { sql } from '@erp/db';
import {
  asSystem,
  asUser,
  checkoutAtTill,
  expectLedgerMatchesBalances,
  expectRefusal,
  givePrices,
  SUPERVISOR_PIN,
  saleCommand,
  signInTill,
  TEST_PIN,
  usePosFixture,
} from '@erp/test-kit';
import { describe, expect, it } from 'vitest';
import { updateOrgParams } from '../org/org.service.js';
import { authorizeAtTill } from './authorization.service.js';
import { listAwaitingReview, reviewSales } from './review.service.js';
import { loadSale } from './sale.repository.js';
import { cleanupTemporarySales, crashLeftSales, listOpenSales, RestartSale, recordSale, recordSaleFast } from './sale.service.js';
import { setRoleDiscountLimit, updateCashierSettings, updateStoreSettings } from './settings.service.js';

const { database, chain, pos: f } = usePosFixture();

const sell = (cmd: Parameters<typeof recordSale>[2]) => f.till.run((ctx, a) => recordSale(ctx, a, cmd));
const balance = async (productId: number) => {
  const r = await database()
    .db.selectFrom('stock_balance')
    .select((eb) => eb.fn.sum<string>('qty').as('q'))
    .where('warehouse_id', '=', chain.storeA.warehouseId)
    .where('product_id', '=', productId)
    .executeTakeFirst();
  return dec(r?.q ?? 0).toFixed(3);
};
const count = async (table: 'pos_sale' | 'stock_ledger', where: Record<string, unknown> = {}) => {
  let q = database()
    .db.selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'));
  for (const [k, v] of Object.entries(where)) q = q.where(k as never, '=', v as never);
  return Number((await q.executeTakeFirstOrThrow()).n);
};

describe('the fast checkout path', () => {
  it('records a new paid sale without reading the till context, and gives the same result as the full path', async () => {
    const cmd = saleCommand(
      f.till,
      [
        { productId: f.products.apple, qty: '2' },
        { productId: f.products.milk, qty: '1' },
      ],
      { tenders: [{ method: 'cash', amount: '20' }] },
    );
    const fast = await f.till.run((ctx, a) => recordSaleFast(ctx, a, cmd));
    expect(fast).toMatchObject({ status: 'formal', total: '13.50', change: '6.50', cogs: '8.5000', fulfilment: 'posted' });
    const stored = await f.till.run((ctx) => loadSale(ctx.db, { ids: [fast.id] }));
    expect(stored).toMatchObject({ total: '13.50', change: '6.50', cogs: '8.5000', receiptNo: cmd.receiptNo });
    expect(stored?.lines.map((l) => l.unitCost)).toEqual(['3.2000', '2.1000']);
    await expectLedgerMatchesBalances(database());
  });

  it('a replay, a held sale being finished, or a closed shift send the sale down the full path', async () => {
    const cmd = saleCommand(f.till, [{ productId: f.products.apple, qty: '1' }], { tenders: [{ method: 'cash', amount: '5' }] });
    const first = await checkoutAtTill(f.till, cmd);
    await expect(f.till.run((ctx, a) => recordSaleFast(ctx, a, cmd))).rejects.toBeInstanceOf(RestartSale);
    const replay = await checkoutAtTill(f.till, cmd);
    expect(replay).toMatchObject({ id: first.id, replayed: true });
    const held = await checkoutAtTill(
      f.till,
      saleCommand(f.till, [{ productId: f.products.milk, qty: '1' }], { status: 'held' }),
    );
    const done = await checkoutAtTill(f.till, {
      ...saleCommand(f.till, [{ productId: f.products.milk, qty: '1' }], { tenders: [{ method: 'cash', amount: '5' }] }),
      clientId: held.clientId,
    });
    expect(done).toMatchObject({ id: held.id, status: 'formal' });
    expect(await count('pos_sale', { client_id: cmd.clientId })).toBe(1);
  });

  it("a close racing the sale (seen through the store's settings row) sends it to the full path and the new day", async () => {
    const cmd = () =>
      saleCommand(f.till, [{ productId: f.products.apple, qty: '1' }], { tenders: [{ method: 'cash', amount: '5' }] });
    await checkoutAtTill(f.till, cmd()); // the till context is cached now
    // Another server process closes the day: the row's sequence changes, this process's cache does not know.
    await sql`update pos_store_settings set sync_seq = nextval('pos_sync_seq') where store_id = ${chain.storeA.id}`.execute(
      database().db,
    );
    await expect(f.till.run((ctx, a) => recordSaleFast(ctx, a, cmd()))).rejects.toBeInstanceOf(RestartSale);
    const sale = await checkoutAtTill(f.till, cmd());
    expect(sale.status).toBe('formal');
    await expectLedgerMatchesBalances(database());
  });
});

describe('checkout (POS-2…5)', () => {
  it('records a cash sale with change, posts stock at once and stores the cost of goods sold per line', async () => {
    const before = await balance(f.products.apple);
    const cmd = saleCommand(
      f.till,
      [
        { productId: f.products.apple, qty: '2' },
        { productId: f.products.milk, qty: '1' },
      ],
      { tenders: [{ method: 'cash', amount: '20' }] },
    );
    const sale = await sell(cmd);
    expect(sale).toMatchObject({
      status: 'formal',
      kind: 'sale',
      total: '13.50',
      paid: '20.00',
      change: '6.50',
      fulfilment: 'posted',
    });
    expect(sale.tenders).toEqual([
      expect.objectContaining({ method: 'cash', tendered: '20.00', change: '6.50', amount: '13.50' }),
    ]);
    expect(sale.lines.map((l) => [l.basePrice, l.unitCost, l.costAmount])).toEqual([
      ['5.00', '3.2000', '6.4000'],
      ['3.50', '2.1000', '2.1000'],
    ]);
    expect(sale.cogs).toBe('8.5000');
    expect(
      dec(before)
        .minus(await balance(f.products.apple))
        .toFixed(3),
    ).toBe('2.000');
    const ledger = await database()
      .db.selectFrom('stock_ledger')
      .selectAll()
      .where('source_type', '=', 'pos_sale')
      .where('source_id', '=', sale.id)
      .execute();
    expect(ledger.map((l) => [Number(l.source_line_id), l.qty])).toEqual(
      sale.lines.map((l) => [l.id, dec(l.qty).negated().toFixed(3)]),
    );
    const audit = await database()
      .db.selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'pos_sale')
      .where('entity_id', '=', String(sale.id))
      .execute();
    expect(audit[0]).toMatchObject({ action: 'pos.sale_formal', login: 'sa_cashier', org_id: chain.storeA.id });
    await expectLedgerMatchesBalances(database());
  });

  it('the client id is the idempotency key: a replay returns the stored sale and moves nothing', async () => {
    const cmd = saleCommand(f.till, [{ productId: f.products.apple, qty: '1' }], { tenders: [{ method: 'cash', amount: '5' }] });
    const first = await sell(cmd);
    const stock = await balance(f.products.apple);
    const second = await sell(cmd);
    expect(second.replayed).toBe(true);
    expect(second.id).toBe(first.id);
    expect(second.total).toBe(first.total);
    expect(await balance(f.products.apple)).toBe(stock);
    expect(await count('pos_sale', { client_id: cmd.clientId })).toBe(1);
  });

  it('a client id means one sale: reused for another body it is refused, never answered with the other sale', async () => {
    const cmd = saleCommand(f.till, [{ productId: f.products.apple, qty: '1', unitPrice: '5.00' }], {
      tenders: [{ method: 'cash', amount: '5' }],
    });
    const first = await checkoutAtTill(f.till, cmd);
    expect(first.replayed).toBe(false);
    const stock = await balance(f.products.apple);
    // The same sale written differently ("1.000", "5", the price as "5.0000") is the same sale.
    const same = await checkoutAtTill(f.till, {
      ...cmd,
      lines: [{ productId: f.products.apple, qty: '1.000', unitPrice: '5.0000' }],
      tenders: [{ method: 'cash', amount: '5.00' }],
    });
    expect(same).toMatchObject({ id: first.id, replayed: true });
    for (const other of [
      { ...cmd, lines: [{ productId: f.products.apple, qty: '2' }], tenders: [{ method: 'cash' as const, amount: '10' }] },
      { ...cmd, receiptNo: f.terminal.next() },
      { ...cmd, remarks: '另一笔' },
    ]) {
      const e = await expectRefusal(checkoutAtTill(f.till, other), 'POS_CLIENT_ID_REUSED');
      expect(e.params).toMatchObject({ clientId: cmd.clientId, receiptNo: cmd.receiptNo });
    }
    expect(await balance(f.products.apple)).toBe(stock);
    expect(await count('pos_sale', { client_id: cmd.clientId })).toBe(1);
  });

  it('several tenders: cash and card; only cash gives change; card never exceeds what is due', async () => {
    const sale = await sell(
      saleCommand(f.till, [{ productId: f.products.apple, qty: '3' }], {
        tenders: [
          { method: 'bank_card', amount: '10', reference: 'POS-778812' },
          { method: 'cash', amount: '10' },
        ],
      }),
    );
    expect(sale.total).toBe('15.00');
    expect(sale.change).toBe('5.00');
    expect(sale.tenders.map((t) => [t.method, t.amount, t.change])).toEqual([
      ['bank_card', '10.00', '0.00'],
      ['cash', '5.00', '5.00'],
    ]);
    await expectRefusal(
      sell(saleCommand(f.till, [{ productId: f.products.apple, qty: '1' }], { tenders: [{ method: 'bank_card', amount: '6' }] })),
      'POS_TENDER_INVALID',
    );
    await expectRefusal(
      sell(saleCommand(f.till, [{ productId: f.products.apple, qty: '1' }], { tenders: [{ method: 'cash', amount: '4.99' }] })),
      'POS_TENDER_SHORT',
    );
  });

  it('rounding (抹零) per store setting, allocated to lines; the lines sum to the payable amount', async () => {
    await asSystem(database().db, (ctx) => updateStoreSettings(ctx, chain.storeA.id, { rounding: { unit: '1', mode: 'down' } }));
    try {
      const sale = await sell(
        saleCommand(
          f.till,
          [
            { productId: f.products.milk, qty: '3' },
            { productId: f.products.apple, qty: '0.3' },
          ],
          { tenders: [{ method: 'cash', amount: '20' }] },
        ),
      );
      expect(sale.gross).toBe('12.00');
      expect(sale.total).toBe('12.00');
      const s2 = await sell(
        saleCommand(
          f.till,
          [
            { productId: f.products.milk, qty: '1' },
            { productId: f.products.apple, qty: '1' },
          ],
          { tenders: [{ method: 'cash', amount: '10' }] },
        ),
      );
      expect(s2.gross).toBe('8.50');
      expect(s2.rounding).toBe('-0.50');
      expect(s2.total).toBe('8.00');
      expect(s2.change).toBe('2.00');
      expect(sum(s2.lines.map((l) => l.amount)).toFixed(2)).toBe('8.00');
    } finally {
      await asSystem(database().db, (ctx) =>
        updateStoreSettings(ctx, chain.storeA.id, { rounding: { unit: '0', mode: 'down' } }),
      );
    }
  });

  it('a whole-sale discount is allocated to the lines exactly (stored lines sum to the total)', async () => {
    await asSystem(database().db, (ctx) => updateCashierSettings(ctx, chain.users.storeACashier, { maxDiscountRate: '20' }));
    const sale = await sell(
      saleCommand(
        f.till,
        [
          { productId: f.products.apple, qty: '1.333' },
          { productId: f.products.milk, qty: '3' },
          { productId: f.products.apple, qty: '0.667' },
        ],
        { saleDiscount: { kind: 'amount', value: '1.00' }, tenders: [{ method: 'cash', amount: '30' }] },
      ),
    );
    const lines = await database()
      .db.selectFrom('pos_sale_line')
      .selectAll()
      .where('sale_id', '=', sale.id)
      .orderBy('line_no')
      .execute();
    expect(sum(lines.map((l) => l.sale_discount)).toFixed(2)).toBe('1.00');
    expect(sum(lines.map((l) => l.amount)).toFixed(2)).toBe(sale.total);
    expect(sale.total).toBe(dec(sale.gross).minus('1.00').toFixed(2));
  });

  it("manual discounts within the cashier's limit pass; beyond it a supervisor authorises at the till (AUTH-4)", async () => {
    await asSystem(database().db, (ctx) => updateCashierSettings(ctx, chain.users.storeACashier, { maxDiscountRate: null }));
    const role = async (code: string) =>
      (await database().db.selectFrom('role').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
    const [cashierRole, managerRole] = [await role('cashier'), await role('store_admin')];
    await asSystem(database().db, async (ctx) => {
      await setRoleDiscountLimit(ctx, { orgId: chain.storeA.id, roleId: cashierRole, maxDiscountRate: '10' });
      // The supervisor may authorise up to the store managers' limit, set at the retail centre above the store.
      await setRoleDiscountLimit(ctx, { orgId: chain.retailCentreId, roleId: managerRole, maxDiscountRate: '30' });
    });
    const ok = await sell(
      saleCommand(f.till, [{ productId: f.products.apple, qty: '2', discount: { kind: 'percent', value: '10' } }], {
        tenders: [{ method: 'cash', amount: '9' }],
      }),
    );
    expect(ok.lineDiscount).toBe('1.00');
    const cmd = saleCommand(f.till, [{ productId: f.products.apple, qty: '2', discount: { kind: 'price', value: '4.00' } }], {
      tenders: [{ method: 'cash', amount: '8' }],
    });
    const e = await expectRefusal(sell(cmd), 'POS_DISCOUNT_BEYOND_LIMIT');
    expect(e.params).toMatchObject({ rate: '20.00', limit: '10.00' });
    expect(await count('pos_sale', { client_id: cmd.clientId })).toBe(0);

    const granted = await f.till.run((ctx, a) =>
      authorizeAtTill(ctx, a, {
        login: 'sa_admin',
        pin: SUPERVISOR_PIN,
        purpose: 'discount',
        clientSaleId: cmd.clientId,
        maxDiscountRate: '25',
      }),
    );
    if (!granted.ok) throw new Error('authorisation failed');
    const authorised = await sell({ ...cmd, authorizationId: granted.authorization.id });
    expect(authorised.total).toBe('8.00');
    const row = await database()
      .db.selectFrom('pos_authorization')
      .selectAll()
      .where('id', '=', granted.authorization.id)
      .executeTakeFirstOrThrow();
    expect(Number(row.used_by_sale_id)).toBe(authorised.id);
    const audit = await database()
      .db.selectFrom('audit_log')
      .select(['action', 'after'])
      .where('entity_id', '=', String(authorised.id))
      .where('entity', '=', 'pos_sale')
      .executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({
      authorization: { authorizationId: granted.authorization.id, supervisorId: chain.users.storeAAdmin },
    });

    // Single-use, single-sale, short-lived.
    await expectRefusal(
      sell({ ...saleCommand(f.till, cmd.lines, { tenders: cmd.tenders }), authorizationId: granted.authorization.id }),
      'POS_AUTHORIZATION_INVALID',
    );
    const g2 = await f.till.run((ctx, a) =>
      authorizeAtTill(ctx, a, { login: 'sa_admin', pin: SUPERVISOR_PIN, purpose: 'discount', maxDiscountRate: '15' }),
    );
    if (!g2.ok) throw new Error('authorisation failed');
    await expectRefusal(
      sell({ ...saleCommand(f.till, cmd.lines, { tenders: cmd.tenders }), authorizationId: g2.authorization.id }),
      'POS_AUTHORIZATION_INVALID',
    );
    await database()
      .db.updateTable('pos_authorization')
      .set({ max_discount_rate: '30', expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', g2.authorization.id)
      .execute();
    await expectRefusal(
      sell({ ...saleCommand(f.till, cmd.lines, { tenders: cmd.tenders }), authorizationId: g2.authorization.id }),
      'POS_AUTHORIZATION_INVALID',
    );
  });

  it('a sale authorised while temporary completes through the till API with the same authorisation', async () => {
    const cmd = saleCommand(f.till, [{ productId: f.products.apple, qty: '2', discount: { kind: 'price', value: '4.00' } }], {
      tenders: [{ method: 'cash', amount: '8' }],
    });
    const granted = await f.till.run((ctx, a) =>
      authorizeAtTill(ctx, a, {
        login: 'sa_admin',
        pin: SUPERVISOR_PIN,
        purpose: 'discount',
        clientSaleId: cmd.clientId,
        maxDiscountRate: '25',
      }),
    );
    if (!granted.ok) throw new Error('authorisation failed');
    const authorised = { ...cmd, authorizationId: granted.authorization.id };
    const tmp = await checkoutAtTill(f.till, { ...authorised, status: 'temporary', tenders: [] });
    expect(tmp.status).toBe('temporary');
    const done = await checkoutAtTill(f.till, authorised);
    expect(done).toMatchObject({ status: 'formal', total: '8.00' });
    expect(await count('pos_sale', { client_id: cmd.clientId })).toBe(1);
    // Another sale still cannot use it.
    await expectRefusal(
      checkoutAtTill(f.till, {
        ...saleCommand(f.till, cmd.lines, { tenders: cmd.tenders }),
        authorizationId: granted.authorization.id,
      }),
      'POS_AUTHORIZATION_INVALID',
    );
    await expectLedgerMatchesBalances(database());
  });

  it('base prices come from master data for the store; a stale till price is refused; member prices for members', async () => {
    await expectRefusal(
      sell(
        saleCommand(f.till, [{ productId: f.products.apple, qty: '1', unitPrice: '4.80' }], {
          tenders: [{ method: 'cash', amount: '5' }],
        }),
      ),
      'POS_PRICE_CHANGED',
    );
    await expectRefusal(
      sell(
        saleCommand(f.till, [{ productId: f.products.apple, qty: '1' }], {
          expectedTotal: '4.80',
          tenders: [{ method: 'cash', amount: '5' }],
        }),
      ),
      'POS_TOTAL_MISMATCH',
    );
    await givePrices(database(), { [f.products.apple]: '4.50' }, 'member');
    const member = await sell(
      saleCommand(
        f.till,
        [
          { productId: f.products.apple, qty: '2' },
          { productId: f.products.milk, qty: '1' },
        ],
        { memberId: 77, tenders: [{ method: 'cash', amount: '20' }] },
      ),
    );
    expect(member.lines.map((l) => l.basePrice)).toEqual(['4.50', '3.50']); // milk has no member price: retail
    await expectRefusal(
      sell(
        saleCommand(f.till, [{ productId: chain.products.batchDrug, qty: '1' }], { tenders: [{ method: 'cash', amount: '5' }] }),
      ),
      'POS_PRICE_MISSING',
    );
  });

  it('held sales (挂单) move nothing and resume: finishing with the same client id posts once', async () => {
    const stock = await balance(f.products.milk);
    const held = await sell(saleCommand(f.till, [{ productId: f.products.milk, qty: '2' }], { status: 'held' }));
    expect(held).toMatchObject({ status: 'held', fulfilment: 'none', total: '7.00' });
    expect(await balance(f.products.milk)).toBe(stock);
    const open = await f.till.run((ctx, a) => listOpenSales(ctx, a, { status: 'held' }));
    expect(open.map((s) => s.clientId)).toContain(held.clientId);
    const done = await sell({
      ...saleCommand(f.till, [{ productId: f.products.milk, qty: '3' }], { tenders: [{ method: 'cash', amount: '20' }] }),
      clientId: held.clientId,
    });
    expect(done.id).toBe(held.id);
    expect(done).toMatchObject({ status: 'formal', total: '10.50', fulfilment: 'posted' });
    expect(
      dec(stock)
        .minus(await balance(f.products.milk))
        .toFixed(3),
    ).toBe('3.000');
    const lines = await database().db.selectFrom('pos_sale_line').select('qty').where('sale_id', '=', held.id).execute();
    expect(lines.map((l) => l.qty)).toEqual(['3.000']);
    await expectLedgerMatchesBalances(database());
  });

  it('a temporary sale left by a crash is listed for that cashier at the next sign-in; cleanup clears it', async () => {
    const tmp = await sell(
      saleCommand(f.till, [{ productId: f.products.apple, qty: '1' }], {
        status: 'temporary',
        tenders: [{ method: 'bank_card', amount: '2' }],
      }),
    );
    expect(tmp).toMatchObject({ status: 'temporary', paid: '2.00', fulfilment: 'none' });
    const next = await signInTill(database(), f.terminal, 'sa_cashier', TEST_PIN, { float: null });
    const left = await next.run((ctx) => crashLeftSales(ctx.db, chain.storeA.id, chain.users.storeACashier));
    expect(left.map((s) => s.id)).toContain(tmp.id);
    const cleared = await asUser(database(), chain.users.storeAAdmin, (ctx) =>
      cleanupTemporarySales(ctx, { storeId: chain.storeA.id, olderThanMinutes: 0 }),
    );
    expect(cleared.receiptNos).toContain(tmp.receiptNo);
    const row = await database()
      .db.selectFrom('pos_sale')
      .select(['status', 'void_reason'])
      .where('id', '=', tmp.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'void', void_reason: 'cleanup' });
    const after = await next.run((ctx) => crashLeftSales(ctx.db, chain.storeA.id, chain.users.storeACashier));
    expect(after.map((s) => s.id)).not.toContain(tmp.id);
    await expectRefusal(
      sell({
        ...saleCommand(f.till, [{ productId: f.products.apple, qty: '1' }], { tenders: [{ method: 'cash', amount: '5' }] }),
        clientId: tmp.clientId,
      }),
      'POS_SALE_STATE',
    );
  });

  it('receipt numbers must come from the till blocks and are never reused; a shift must be open', async () => {
    await expectRefusal(
      sell({
        ...saleCommand(f.till, [{ productId: f.products.apple, qty: '1' }], { tenders: [{ method: 'cash', amount: '5' }] }),
        receiptNo: 'SA-T1-99999999',
      }),
      'POS_RECEIPT_OUT_OF_RANGE',
    );
    const first = await sell(
      saleCommand(f.till, [{ productId: f.products.apple, qty: '1' }], { tenders: [{ method: 'cash', amount: '5' }] }),
    );
    await expectRefusal(
      sell({
        ...saleCommand(f.till, [{ productId: f.products.apple, qty: '1' }], { tenders: [{ method: 'cash', amount: '5' }] }),
        receiptNo: first.receiptNo,
      }),
      'POS_RECEIPT_DUPLICATE',
    );
    await expectRefusal(
      sell({
        ...saleCommand(f.till, [{ productId: f.products.apple, qty: '1' }], { tenders: [{ method: 'cash', amount: '5' }] }),
        shiftId: randomUUID(),
      }),
      'POS_SHIFT_REQUIRED',
    );
  });

  it('wholesale mode queues the sale for the outbound review (零售出库复核), which posts stock and costs', async () => {
    await asSystem(database().db, (ctx) => updateOrgParams(ctx, chain.storeA.id, { businessMode: 'wholesale' }));
    try {
      const stock = await balance(f.products.milk);
      const sale = await sell(
        saleCommand(f.till, [{ productId: f.products.milk, qty: '4' }], { tenders: [{ method: 'cash', amount: '14' }] }),
      );
      expect(sale).toMatchObject({ status: 'formal', fulfilment: 'awaiting_review', cogs: null });
      expect(await balance(f.products.milk)).toBe(stock);
      expect(await count('stock_ledger', { source_type: 'pos_sale', source_id: sale.id })).toBe(0);
      const queue = await asUser(database(), chain.users.storeAAdmin, (ctx) =>
        listAwaitingReview(ctx, { storeId: chain.storeA.id }),
      );
      expect(queue.map((s) => s.id)).toContain(sale.id);
      const [reviewed] = await asUser(database(), chain.users.storeAAdmin, (ctx) => reviewSales(ctx, { saleIds: [sale.id] }));
      expect(reviewed).toMatchObject({ fulfilment: 'reviewed', cogs: '8.4000' });
      expect(
        dec(stock)
          .minus(await balance(f.products.milk))
          .toFixed(3),
      ).toBe('4.000');
      await expectRefusal(
        asUser(database(), chain.users.storeAAdmin, (ctx) => reviewSales(ctx, { saleIds: [sale.id] })),
        'POS_SALE_STATE',
      );
      await expectLedgerMatchesBalances(database());
    } finally {
      await asSystem(database().db, (ctx) => updateOrgParams(ctx, chain.storeA.id, { businessMode: 'supermarket' }));
    }
  });
});
