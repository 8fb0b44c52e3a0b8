import { SYNC_COLUMNS } from '@erp/contracts';
import {
  asSystem,
  checkoutAtTill,
  givePrices,
  pairedTerminal,
  saleCommand,
  setPin,
  signInTill,
  stockIn,
  TEST_PIN,
  type TestTill,
  useTestChain,
} from '@erp/test-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocument, transition } from '../documents/index.js';
import { stockAvailability, stockChangedSince, stockChangeMark } from '../inventory/index.js';
import { updateOrgParams } from '../org/org.service.js';
import { addDays, calendarDay } from '../platform/clock.js';
import { updateStoreSettings } from './settings.service.js';
import { checkTillStock } from './stock.service.js';
import { syncTill } from './sync.service.js';

// Stock for the till (issue 9): what the store can really sell — every lot and shelf key counted, stock
// debt (a negative key) included, expired lots apart — asked before payment and carried by the sync.

const { database, chain } = useTestChain();
let till: TestTill;
let apple: number;
let milk: number;
let drug: number;
const today = calendarDay();

beforeAll(async () => {
  ({ apple, milk, batchDrug: drug } = chain.products);
  await givePrices(database(), { [apple]: '5.00', [milk]: '3.50', [drug]: '12.00' });
  // Apple in two lots, one past its expiry; milk without a lot.
  await stockIn(database(), {
    orgId: chain.storeA.id,
    warehouseId: chain.storeA.warehouseId,
    lines: [
      { productId: apple, qty: '10', unitPrice: '3.00', lotNo: 'L-NEW', expiryDate: addDays(today, 30) },
      { productId: apple, qty: '5', unitPrice: '3.00', lotNo: 'L-OLD', expiryDate: addDays(today, -1) },
      { productId: milk, qty: '20', unitPrice: '2.00' },
    ],
  });
  await setPin(database(), chain.users.storeACashier, TEST_PIN);
  const terminal = await pairedTerminal(database(), chain.storeA.id, 'SA-STOCK');
  till = await signInTill(database(), terminal, 'sa_cashier', TEST_PIN);
});

const check = (lines: { productId: number; qty: string; lotNo?: string }[]) =>
  till.run((ctx, a) => checkTillStock(ctx, a, { lines }));
const sync = (cursor?: string) => till.run((ctx, a) => syncTill(ctx, a, { cursor, limit: 5000 }));
const storeRules = async (p: { negative?: boolean; sellExpired?: boolean }) => {
  await asSystem(database().db, async (ctx) => {
    if (p.negative !== undefined) await updateOrgParams(ctx, chain.storeA.id, { allowNegativeStock: p.negative });
    if (p.sellExpired !== undefined) await updateStoreSettings(ctx, chain.storeA.id, { sellExpired: p.sellExpired });
  });
};

describe('stock for the till', () => {
  it('stock check: available leaves expired lots out, sums per product over the cart, short only where negative stock is forbidden', async () => {
    const r = await check([
      { productId: apple, qty: '4' },
      { productId: apple, qty: '8', lotNo: 'L-NEW' },
      { productId: milk, qty: '2' },
      { productId: drug, qty: '1' },
    ]);
    expect(r).toEqual({
      negativeAllowed: false,
      sellExpired: false,
      lines: [
        { productId: apple, requested: '12.000', available: '10.000', expired: '5.000', short: true },
        { productId: apple, requested: '12.000', available: '10.000', expired: '5.000', short: true },
        { productId: milk, requested: '2.000', available: '20.000', expired: '0.000', short: false },
        { productId: drug, requested: '1.000', available: '0.000', expired: '0.000', short: true },
      ],
    });
    // A store selling expired lots can take them; a store allowing negative stock is never short.
    await storeRules({ sellExpired: true });
    const expiredSold = await check([{ productId: apple, qty: '12' }]);
    expect(expiredSold).toMatchObject({ sellExpired: true, lines: [{ short: false }] });
    await storeRules({ sellExpired: false, negative: true });
    const debtAllowed = await check([{ productId: drug, qty: '1' }]);
    expect(debtAllowed).toMatchObject({ negativeAllowed: true, lines: [{ available: '0.000', short: false }] });
  });

  it('a negative key (stock debt) reduces what is available', async () => {
    await storeRules({ negative: true });
    // 17 apples: the 10 good ones, then the 5 expired (last, flagged), and 2 that were not there (stock debt).
    const sold = await checkoutAtTill(
      till,
      saleCommand(till, [{ productId: apple, qty: '17' }], { tenders: [{ method: 'cash', amount: '85' }] }),
    );
    expect(sold.status).toBe('formal');
    await storeRules({ negative: false });
    const keys = await database()
      .db.selectFrom('stock_balance')
      .select(['lot_no', 'qty'])
      .where('warehouse_id', '=', chain.storeA.warehouseId)
      .where('product_id', '=', apple)
      .execute();
    expect(keys.some((k) => Number(k.qty) < 0)).toBe(true);
    const r = await check([{ productId: apple, qty: '1' }]);
    expect(r.lines).toEqual([{ productId: apple, requested: '1.000', available: '-2.000', expired: '0.000', short: true }]);
    const direct = await database()
      .db.transaction()
      .execute((trx) =>
        stockAvailability(trx, { warehouseId: chain.storeA.warehouseId, day: today, productIds: [apple, apple] }),
      );
    expect(direct).toEqual([{ productId: apple, available: '-2.000', expired: '0.000' }]);
  });

  it('the sync carries the store stock: all of it cold, then only what changed; the store rules in the settings', async () => {
    const cold = await sync();
    expect(cold.columns.stock).toEqual(SYNC_COLUMNS.stock);
    expect(cold.stockFull).toBe(true);
    expect(cold.stock).toEqual(
      expect.arrayContaining([
        [apple, '-2.000', '0.000'],
        [milk, '20.000', '0.000'],
      ]),
    );
    expect(cold.settings).toMatchObject({ negativeAllowed: false, sellExpired: false });

    const quiet = await sync(cold.cursor);
    expect(quiet).toMatchObject({ stock: [], stockFull: false });
    expect(quiet.settings).toBeUndefined();

    await checkoutAtTill(
      till,
      saleCommand(till, [{ productId: milk, qty: '1' }], { tenders: [{ method: 'cash', amount: '5' }] }),
    );
    const delta = await sync(quiet.cursor);
    expect(delta.stock).toEqual([[milk, '19.000', '0.000']]);
    expect(delta.stockFull).toBe(false);

    // A rule of the store changed (not a till setting): the next sync says so.
    await storeRules({ negative: true });
    const rules = await sync(delta.cursor);
    expect(rules.settings).toMatchObject({ negativeAllowed: true });
    await storeRules({ negative: false });
  });

  // Needs two connections: PGlite has one, so only on PostgreSQL (DATABASE_URL).
  it.runIf(!!process.env.DATABASE_URL)('a posting still running during a sync is in the next delta, not lost', async () => {
    const start = await sync();
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let posted = () => {};
    const inFlight = new Promise<void>((r) => {
      posted = r;
    });
    // A receipt whose transaction starts (and stamps its balances) before the sync, and commits after it.
    const receipt = asSystem(database().db, async (ctx) => {
      const doc = await createDocument(ctx, {
        docType: 'other_inbound',
        orgId: chain.storeA.id,
        warehouseId: chain.storeA.warehouseId,
        lines: [{ productId: milk, qty: '7', unitPrice: '2.00' }],
      });
      const confirmed = await transition(ctx, doc.id, 'confirm');
      if (confirmed.status !== 'posted') await transition(ctx, doc.id, 'post');
      posted();
      await gate;
    });
    await inFlight;
    const during = await sync(start.cursor);
    expect(during.stock?.find((r) => r[0] === milk)).toBeUndefined(); // not committed yet: not seen
    release();
    await receipt;
    const next = await sync(during.cursor);
    expect(next.stock).toContainEqual([milk, '26.000', '0.000']);
  });

  it('changes since a mark: stamped balances, and lots that expired since the mark’s day', async () => {
    const w = chain.storeA.warehouseId;
    // (Apple's expired lot was sold above, by FEFO; a lot of the drug expired yesterday.)
    await stockIn(database(), {
      orgId: chain.storeA.id,
      warehouseId: w,
      lines: [{ productId: drug, qty: '3', unitPrice: '9.00', lotNo: 'D-OLD', expiryDate: addDays(today, -1) }],
    });
    const changed = await database()
      .db.transaction()
      .execute(async (trx) => {
        const mark = await stockChangeMark(trx);
        return {
          sameDay: await stockChangedSince(trx, { warehouseId: w, since: mark, sinceDay: today, day: today }),
          // Read three days ago: D-OLD (expired yesterday) has moved from available to expired since.
          dayMoved: await stockChangedSince(trx, { warehouseId: w, since: mark, sinceDay: addDays(today, -3), day: today }),
        };
      });
    expect(changed.sameDay).toEqual([]);
    expect(changed.dayMoved).toEqual([drug]);
  });
});
