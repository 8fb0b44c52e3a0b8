import { dec } from '@erp/contracts';
import {
  asSystem,
  asUser,
  expectLedgerMatchesBalances,
  expectRefusal,
  makeRoleUser,
  sellStock,
  stockIn,
  stockQty,
  useTestChain,
} from '@erp/test-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocument, getDocument, transition, updateDocument } from '../documents/documents.service.js';
import { createCounter, createShelf, createWarehouse } from '../org/org.service.js';
import { addDays, calendarDay } from '../platform/clock.js';
import type { Ctx } from '../platform/context.js';
import {
  createStocktake,
  enterStocktakeCounts,
  generateStocktakeAdjustments,
  getStocktake,
  getStocktakeSheet,
  getStocktakeVariance,
  listStocktakeLines,
  listStocktakes,
  type StocktakeLineDto,
} from './stocktake.service.js';

const { database, chain } = useTestChain();
let keeperId: number;
let financeId: number;
let seq = 0;

beforeAll(async () => {
  keeperId = await makeRoleUser(database(), { login: 'st_keeper', roleCode: 'store_keeper', orgId: chain.storeA.id });
  financeId = await makeRoleUser(database(), {
    login: 'st_fin',
    roleCode: 'finance',
    orgId: chain.companyId,
    homeOrgId: chain.hqId,
  });
});

const keeper = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), keeperId, fn);
const finance = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), financeId, fn);

/** A clean warehouse of store A with two shelves (S1 under counter C, S2 free) for one scenario. */
async function freshWarehouse() {
  seq++;
  return asSystem(database().db, async (ctx) => {
    const wh = await createWarehouse(ctx, { orgId: chain.storeA.id, code: `SA-T${seq}`, name: `测试仓${seq}`, isDefault: false });
    const counter = await createCounter(ctx, { orgId: chain.storeA.id, code: `C${seq}`, name: `柜组${seq}` });
    const s1 = await createShelf(ctx, { warehouseId: wh.id, code: `A${seq}-01`, name: '货架1', counterId: counter.id });
    const s2 = await createShelf(ctx, { warehouseId: wh.id, code: `A${seq}-02`, name: '货架2' });
    return { id: wh.id, counterId: counter.id, s1: s1.id, s2: s2.id };
  });
}

function byProduct(lines: StocktakeLineDto[], productId: number, batchNo = '') {
  const l = lines.find((x) => x.productId === productId && x.batchNo === batchNo);
  if (!l) throw new Error(`no line for product ${productId}`);
  return l;
}

async function linesOf(id: number) {
  return (await keeper((ctx) => listStocktakeLines(ctx, id, { pageSize: 500 }))).items;
}

async function postStocktake(id: number) {
  await keeper((ctx) => transition(ctx, id, 'confirm'));
  return keeper((ctx) => transition(ctx, id, 'post'));
}

describe('stocktake (INV-5)', () => {
  it('a static sheet snapshots book per key with the ledger mark and prints in shelf order', async () => {
    const wh = await freshWarehouse();
    await stockIn(database(), {
      orgId: chain.storeA.id,
      warehouseId: wh.id,
      lines: [
        { productId: chain.products.milk, qty: '20', unitPrice: '2', shelfId: wh.s2 },
        { productId: chain.products.apple, qty: '10', unitPrice: '3', shelfId: wh.s1 },
        {
          productId: chain.products.batchDrug,
          qty: '5',
          unitPrice: '8',
          shelfId: wh.s1,
          batchNo: 'ST1',
          lotNo: 'L1',
          expiryDate: '2027-03-01',
        },
        { productId: chain.products.apple, qty: '4', unitPrice: '3' },
      ],
    });
    const mark = await database()
      .db.selectFrom('stock_ledger')
      .select((eb) => eb.fn.max('id').as('m'))
      .executeTakeFirstOrThrow();
    const st = await keeper((ctx) => createStocktake(ctx, { orgId: chain.storeA.id, warehouseId: wh.id, mode: 'static' }));
    expect(st.status).toBe('draft');
    expect(st.lines).toBe(4);
    expect(st.snapshotLedgerId).toBe(Number(mark.m));
    const sheet = await keeper((ctx) => getStocktakeSheet(ctx, st.id));
    expect(sheet.showsBook).toBe(true);
    // Shelf A-01 (apple, drug batch), then A-02 (milk), then goods on no shelf.
    expect(sheet.lines.map((l) => [l.shelfCode, l.productCode, l.batchNo, l.bookQty])).toEqual([
      [`A${seq}-01`, 'P001', '', '10.000'],
      [`A${seq}-01`, 'P003', 'ST1', '5.000'],
      [`A${seq}-02`, 'P002', '', '20.000'],
      [null, 'P001', '', '4.000'],
    ]);
    expect(sheet.lines[0]?.productName).toBe('红富士苹果');
    expect(sheet.lines[1]?.expiryDate).toBe('2027-03-01');
    expect(sheet.lines.map((l) => l.lineNo)).toEqual([1, 2, 3, 4]);
    expect(sheet.org.name).toBe('门店A');

    // Stocktakes are only made by generating a sheet, and their lines only change through count entry.
    await expectRefusal(
      keeper((ctx) => createDocument(ctx, { docType: 'stocktake', orgId: chain.storeA.id, warehouseId: wh.id })),
      'INV_STOCKTAKE_USE_SHEET',
    );
    const doc = await keeper((ctx) => getDocument(ctx, st.id));
    await expectRefusal(
      keeper((ctx) =>
        updateDocument(ctx, st.id, { version: doc.version, lines: [{ productId: chain.products.apple, qty: '1' }] }),
      ),
      'INV_STOCKTAKE_LINES_READONLY',
    );
    const renamed = await keeper((ctx) => updateDocument(ctx, st.id, { version: doc.version, remarks: '月末盘点' }));
    expect(renamed.remarks).toBe('月末盘点');
  });

  it('sales posted between sheet creation and count entry do not corrupt the variance', async () => {
    const wh = await freshWarehouse();
    await stockIn(database(), {
      orgId: chain.storeA.id,
      warehouseId: wh.id,
      lines: [
        { productId: chain.products.apple, qty: '10', unitPrice: '3.00', shelfId: wh.s1 },
        { productId: chain.products.milk, qty: '20', unitPrice: '2.50', shelfId: wh.s2 },
      ],
    });
    const st = await keeper((ctx) => createStocktake(ctx, { orgId: chain.storeA.id, warehouseId: wh.id }));
    const lines = await linesOf(st.id);
    const apple = byProduct(lines, chain.products.apple);
    const milk = byProduct(lines, chain.products.milk);
    expect([apple.bookQty, milk.bookQty]).toEqual(['10.000', '20.000']);

    // While the counters walk the shelves the till sells 3 apples and 5 milk, and 4 milk are received.
    await sellStock(database(), { warehouseId: wh.id, productId: chain.products.apple, qty: '3', shelfId: wh.s1 });
    await sellStock(database(), { warehouseId: wh.id, productId: chain.products.milk, qty: '5', shelfId: wh.s2 });
    await stockIn(database(), {
      orgId: chain.storeA.id,
      warehouseId: wh.id,
      lines: [{ productId: chain.products.milk, qty: '4', unitPrice: '2.50', shelfId: wh.s2 }],
    });
    // Physically: 7 apples (all there), 17 milk counted where the book says 19 → 2 short.
    await keeper((ctx) =>
      enterStocktakeCounts(ctx, st.id, {
        lines: [
          { lineId: apple.id, countedQty: '7' },
          { lineId: milk.id, countedQty: '17' },
        ],
      }),
    );
    // A sale after the apples were counted is not part of their count.
    await sellStock(database(), { warehouseId: wh.id, productId: chain.products.apple, qty: '2', shelfId: wh.s1 });

    const posted = await postStocktake(st.id);
    expect(posted.status).toBe('posted');
    const after = await linesOf(st.id);
    expect(byProduct(after, chain.products.apple)).toMatchObject({
      bookQty: '10.000',
      movedQty: '-3.000',
      bookAtCount: '7.000',
      countedQty: '7.000',
      varianceQty: '0.000',
    });
    expect(byProduct(after, chain.products.milk)).toMatchObject({
      movedQty: '-1.000',
      bookAtCount: '19.000',
      varianceQty: '-2.000',
      unitCost: '2.5000',
      varianceAmount: '-5.00',
    });
    const v = await keeper((ctx) => getStocktakeVariance(ctx, st.id));
    expect(v.surplus).toHaveLength(0);
    expect(v.shortage.map((l) => l.productId)).toEqual([chain.products.milk]);
    expect(v.totals).toMatchObject({ shortageQty: '2.000', shortageAmount: '5.00', surplusQty: '0.000' });
    // Counting never moves stock.
    const own = await database()
      .db.selectFrom('stock_ledger')
      .select('id')
      .where('source_id', '=', st.id)
      .where('source_type', '=', 'document')
      .execute();
    expect(own).toHaveLength(0);
    await expectLedgerMatchesBalances(database());
  });

  it('shows surplus and shortage apart; uncounted lines count as zero unless the sheet says otherwise', async () => {
    const wh = await freshWarehouse();
    await stockIn(database(), {
      orgId: chain.storeA.id,
      warehouseId: wh.id,
      lines: [
        { productId: chain.products.apple, qty: '10', unitPrice: '3.00' },
        { productId: chain.products.milk, qty: '8', unitPrice: '2.00' },
        { productId: chain.products.batchDrug, qty: '6', unitPrice: '9.50', batchNo: 'UC1' },
      ],
    });
    const st = await keeper((ctx) => createStocktake(ctx, { orgId: chain.storeA.id, warehouseId: wh.id }));
    const lines = await linesOf(st.id);
    await keeper((ctx) =>
      enterStocktakeCounts(ctx, st.id, {
        lines: [
          { lineId: byProduct(lines, chain.products.apple).id, countedQty: '12.5' },
          { lineId: byProduct(lines, chain.products.milk).id, countedQty: '3' },
        ],
      }),
    );
    await postStocktake(st.id);
    const got = await keeper((ctx) => getStocktake(ctx, st.id));
    // Apple +2.5 @ 3.00; milk −5 @ 2.00, drug (uncounted) −6 @ 9.50.
    expect(got.totals).toEqual({
      surplusQty: '2.500',
      surplusAmount: '7.50',
      shortageQty: '11.000',
      shortageAmount: '67.00',
      surplusLines: 1,
      shortageLines: 2,
    });
    const surplus = await keeper((ctx) => listStocktakeLines(ctx, st.id, { state: 'surplus' }));
    expect(surplus.items.map((l) => l.productId)).toEqual([chain.products.apple]);

    const wh2 = await freshWarehouse();
    await stockIn(database(), {
      orgId: chain.storeA.id,
      warehouseId: wh2.id,
      lines: [
        { productId: chain.products.apple, qty: '10', unitPrice: '3.00' },
        { productId: chain.products.milk, qty: '8', unitPrice: '2.00' },
      ],
    });
    const lenient = await keeper((ctx) =>
      createStocktake(ctx, { orgId: chain.storeA.id, warehouseId: wh2.id, uncountedAs: 'book' }),
    );
    const l2 = await linesOf(lenient.id);
    await keeper((ctx) =>
      enterStocktakeCounts(ctx, lenient.id, { lines: [{ lineId: byProduct(l2, chain.products.milk).id, countedQty: '7' }] }),
    );
    await postStocktake(lenient.id);
    const t2 = (await keeper((ctx) => getStocktake(ctx, lenient.id))).totals;
    expect(t2).toMatchObject({ shortageQty: '1.000', shortageLines: 1, surplusLines: 0 });
  });

  it('blind count: the book is hidden until posting; manual lines add goods not on the sheet', async () => {
    const wh = await freshWarehouse();
    await stockIn(database(), {
      orgId: chain.storeA.id,
      warehouseId: wh.id,
      lines: [{ productId: chain.products.apple, qty: '10', unitPrice: '3.00', shelfId: wh.s1 }],
    });
    const st = await keeper((ctx) => createStocktake(ctx, { orgId: chain.storeA.id, warehouseId: wh.id, entryMode: 'blind' }));
    const sheet = await keeper((ctx) => getStocktakeSheet(ctx, st.id));
    expect(sheet.showsBook).toBe(false);
    expect(sheet.lines.every((l) => l.bookQty === null)).toBe(true);
    const res = await keeper((ctx) =>
      enterStocktakeCounts(ctx, st.id, {
        extra: [
          // Same key as the sheet line: it takes the count.
          { productId: chain.products.apple, shelfId: wh.s1, countedQty: '6' },
          { productId: chain.products.apple, shelfId: wh.s1, countedQty: '3' },
          // Goods the book does not know: milk found on shelf 2.
          { productId: chain.products.milk, shelfId: wh.s2, countedQty: '4' },
        ],
      }),
    );
    expect(res).toMatchObject({ updated: 1, added: 1 });
    expect((await linesOf(st.id)).every((l) => l.bookQty === null)).toBe(true);
    await postStocktake(st.id);
    const lines = await linesOf(st.id);
    // The two apple entries of one request add up to 9: 1 short; the milk is a surplus of 4 at its average (0).
    expect(byProduct(lines, chain.products.apple)).toMatchObject({
      bookQty: '10.000',
      countedQty: '9.000',
      varianceQty: '-1.000',
    });
    expect(byProduct(lines, chain.products.milk)).toMatchObject({ origin: 'blind', bookQty: '0.000', varianceQty: '4.000' });
    await expectLedgerMatchesBalances(database());
  });

  it('a dynamic sheet lists what moved since a date; a manual line for goods left off it gets their true book', async () => {
    const wh = await freshWarehouse();
    const today = calendarDay();
    const longAgo = addDays(today, -40);
    await stockIn(database(), {
      orgId: chain.storeA.id,
      warehouseId: wh.id,
      businessDate: longAgo,
      lines: [
        { productId: chain.products.apple, qty: '10', unitPrice: '3' },
        { productId: chain.products.milk, qty: '10', unitPrice: '2' },
      ],
    });
    await sellStock(database(), { warehouseId: wh.id, productId: chain.products.milk, qty: '10' }, addDays(today, -1));
    const st = await keeper((ctx) =>
      createStocktake(ctx, { orgId: chain.storeA.id, warehouseId: wh.id, mode: 'dynamic', since: addDays(today, -7) }),
    );
    const lines = await linesOf(st.id);
    // Only milk moved in the last week; it sold out, and a sold-out item is still worth counting.
    expect(lines.map((l) => [l.productId, l.bookQty])).toEqual([[chain.products.milk, '0.000']]);
    // Apples were not on the sheet; after the snapshot one more was sold, then 9 were counted by hand.
    await sellStock(database(), { warehouseId: wh.id, productId: chain.products.apple, qty: '1' });
    await keeper((ctx) =>
      enterStocktakeCounts(ctx, st.id, {
        lines: [{ lineId: lines[0]?.id as number, countedQty: '0' }],
        extra: [{ productId: chain.products.apple, countedQty: '9' }],
      }),
    );
    await postStocktake(st.id);
    const after = await linesOf(st.id);
    expect(byProduct(after, chain.products.apple)).toMatchObject({
      origin: 'blind',
      bookQty: '10.000',
      movedQty: '-1.000',
      varianceQty: '0.000',
    });
    expect((await keeper((ctx) => getStocktake(ctx, st.id))).totals).toMatchObject({ surplusLines: 0, shortageLines: 0 });
  });

  it('counts one counter or one shelf; manual lines outside that scope are refused', async () => {
    const wh = await freshWarehouse();
    await stockIn(database(), {
      orgId: chain.storeA.id,
      warehouseId: wh.id,
      lines: [
        { productId: chain.products.apple, qty: '10', unitPrice: '3', shelfId: wh.s1 },
        { productId: chain.products.milk, qty: '10', unitPrice: '2', shelfId: wh.s2 },
        { productId: chain.products.milk, qty: '1', unitPrice: '2' },
      ],
    });
    const byCounter = await keeper((ctx) =>
      createStocktake(ctx, { orgId: chain.storeA.id, warehouseId: wh.id, counterId: wh.counterId }),
    );
    expect((await linesOf(byCounter.id)).map((l) => l.productId)).toEqual([chain.products.apple]);
    await expectRefusal(
      keeper((ctx) =>
        enterStocktakeCounts(ctx, byCounter.id, { extra: [{ productId: chain.products.milk, shelfId: wh.s2, countedQty: '1' }] }),
      ),
      'INV_STOCKTAKE_OUT_OF_SCOPE',
    );
    const byShelf = await keeper((ctx) => createStocktake(ctx, { orgId: chain.storeA.id, warehouseId: wh.id, shelfId: wh.s2 }));
    expect((await linesOf(byShelf.id)).map((l) => [l.productId, l.shelfId])).toEqual([[chain.products.milk, wh.s2]]);
    // A manual line on a shelf stocktake lands on that shelf.
    await keeper((ctx) =>
      enterStocktakeCounts(ctx, byShelf.id, { extra: [{ productId: chain.products.apple, countedQty: '2' }] }),
    );
    expect(byProduct(await linesOf(byShelf.id), chain.products.apple).shelfId).toBe(wh.s2);

    const empty = await freshWarehouse();
    await expectRefusal(
      keeper((ctx) => createStocktake(ctx, { orgId: chain.storeA.id, warehouseId: empty.id })),
      'INV_STOCKTAKE_EMPTY',
    );
    await expectRefusal(
      keeper((ctx) => createStocktake(ctx, { orgId: chain.storeA.id, warehouseId: wh.id, shelfId: 999_999 })),
      'NOT_FOUND',
    );
  });

  it('unposts until the loss/overage documents are generated; they move the stock; unpost is refused after', async () => {
    const wh = await freshWarehouse();
    await stockIn(database(), {
      orgId: chain.storeA.id,
      warehouseId: wh.id,
      lines: [
        { productId: chain.products.apple, qty: '10', unitPrice: '3.00' },
        { productId: chain.products.milk, qty: '10', unitPrice: '2.00' },
      ],
    });
    const st = await keeper((ctx) => createStocktake(ctx, { orgId: chain.storeA.id, warehouseId: wh.id }));
    const lines = await linesOf(st.id);
    const apple = byProduct(lines, chain.products.apple).id;
    const milk = byProduct(lines, chain.products.milk).id;
    await keeper((ctx) =>
      enterStocktakeCounts(ctx, st.id, {
        lines: [
          { lineId: apple, countedQty: '11' },
          { lineId: milk, countedQty: '7' },
        ],
      }),
    );
    await postStocktake(st.id);
    // Counts cannot change once confirmed; roll back to recount.
    await expectRefusal(
      keeper((ctx) => enterStocktakeCounts(ctx, st.id, { lines: [{ lineId: milk, countedQty: '8' }] })),
      'INV_STOCKTAKE_NOT_COUNTING',
    );
    await expectRefusal(
      keeper((ctx) => transition(ctx, st.id, 'void')),
      'DOC_VOID_POSTED',
    );
    const back = await keeper((ctx) => transition(ctx, st.id, 'rollback', { comment: '复盘' }));
    expect(back.status).toBe('draft');
    expect((await keeper((ctx) => getStocktake(ctx, st.id))).totals).toBeNull();
    await keeper((ctx) => enterStocktakeCounts(ctx, st.id, { lines: [{ lineId: milk, countedQty: '8' }] }));
    await postStocktake(st.id);
    expect((await keeper((ctx) => getStocktake(ctx, st.id))).totals).toMatchObject({
      surplusQty: '1.000',
      surplusAmount: '3.00',
      shortageQty: '2.000',
      shortageAmount: '4.00',
    });

    const done = await keeper((ctx) => generateStocktakeAdjustments(ctx, st.id));
    expect(done.status).toBe('completed');
    expect(done.generatedDocuments.map((d) => [d.docType, d.status]).sort()).toEqual([
      ['loss', 'pending_approval'],
      ['overage', 'pending_approval'],
    ]);
    await expectRefusal(
      keeper((ctx) => transition(ctx, st.id, 'rollback')),
      'INV_STOCKTAKE_GENERATED',
    );
    await expectRefusal(
      keeper((ctx) => generateStocktakeAdjustments(ctx, st.id)),
      'INV_STOCKTAKE_ALREADY_GENERATED',
    );

    // Finance approves the generated documents; posting them makes the book equal the count.
    for (const g of done.generatedDocuments) {
      const d = await keeper((ctx) => getDocument(ctx, g.id));
      expect(d.refDocumentId).toBe(st.id);
      expect(d.warehouseId).toBe(wh.id);
      await finance((ctx) => transition(ctx, g.id, 'approve'));
      expect((await keeper((ctx) => transition(ctx, g.id, 'confirm'))).status).toBe('posted');
    }
    expect(await stockQty(database(), { warehouseId: wh.id, productId: chain.products.apple })).toBe('11.000');
    expect(await stockQty(database(), { warehouseId: wh.id, productId: chain.products.milk })).toBe('8.000');
    await expectLedgerMatchesBalances(database());
  });

  it('generating is refused before posting; other stores and roles without the grant see nothing', async () => {
    const wh = await freshWarehouse();
    await stockIn(database(), {
      orgId: chain.storeA.id,
      warehouseId: wh.id,
      lines: [{ productId: chain.products.apple, qty: '2', unitPrice: '3.00' }],
    });
    const st = await keeper((ctx) => createStocktake(ctx, { orgId: chain.storeA.id, warehouseId: wh.id }));
    await expectRefusal(
      keeper((ctx) => generateStocktakeAdjustments(ctx, st.id)),
      'INV_STOCKTAKE_NOT_POSTED',
    );
    await expectRefusal(
      asUser(database(), chain.users.storeBAdmin, (ctx) => getStocktake(ctx, st.id)),
      'NOT_FOUND',
    );
    await expectRefusal(
      asUser(database(), chain.users.storeACashier, (ctx) => getStocktake(ctx, st.id)),
      'FORBIDDEN',
    );
    const list = await asUser(database(), chain.users.storeBAdmin, (ctx) => listStocktakes(ctx, {}));
    expect(list.items.some((s) => s.id === st.id)).toBe(false);
    const mine = await keeper((ctx) => listStocktakes(ctx, { orgId: chain.storeA.id }));
    expect(mine.items.some((s) => s.id === st.id)).toBe(true);
  });

  it('a stocktake with no variance completes without generating anything', async () => {
    const wh = await freshWarehouse();
    await stockIn(database(), {
      orgId: chain.storeA.id,
      warehouseId: wh.id,
      lines: [{ productId: chain.products.milk, qty: '3', unitPrice: '2.00' }],
    });
    const st = await keeper((ctx) => createStocktake(ctx, { orgId: chain.storeA.id, warehouseId: wh.id }));
    const [line] = await linesOf(st.id);
    await keeper((ctx) => enterStocktakeCounts(ctx, st.id, { lines: [{ lineId: line?.id as number, countedQty: '3' }] }));
    await postStocktake(st.id);
    const done = await keeper((ctx) => generateStocktakeAdjustments(ctx, st.id));
    expect(done.status).toBe('completed');
    expect(done.generatedDocuments).toEqual([]);
    expect(dec(done.totals?.shortageQty ?? '1').isZero()).toBe(true);
  });

  it('the snapshot is exactly the ledger up to its mark, even with sales posting at the same moment', async () => {
    const wh = await freshWarehouse();
    await stockIn(database(), {
      orgId: chain.storeA.id,
      warehouseId: wh.id,
      lines: [
        { productId: chain.products.apple, qty: '500', unitPrice: '3.00' },
        { productId: chain.products.milk, qty: '500', unitPrice: '2.00' },
      ],
    });
    const sales = Array.from({ length: 30 }, (_, i) =>
      sellStock(database(), { warehouseId: wh.id, productId: i % 2 ? chain.products.apple : chain.products.milk, qty: '1' }),
    );
    const [st] = await Promise.all([
      keeper((ctx) => createStocktake(ctx, { orgId: chain.storeA.id, warehouseId: wh.id })),
      ...sales,
    ]);
    const check = await database()
      .db.selectFrom('stocktake_line as s')
      .select([
        's.product_id',
        's.book_qty',
        (eb) =>
          eb
            .selectFrom('stock_ledger as l')
            .select((e) => e.fn.sum<string>('l.qty').as('q'))
            .whereRef('l.warehouse_id', '=', 's.warehouse_id')
            .whereRef('l.product_id', '=', 's.product_id')
            .where('l.id', '<=', st.snapshotLedgerId)
            .as('ledger_qty'),
      ])
      .where('s.document_id', '=', st.id)
      .execute();
    expect(check).toHaveLength(2);
    for (const c of check) expect(dec(c.book_qty).equals(c.ledger_qty ?? 0)).toBe(true);
    // Counting what is there now, after all 30 sales, shows no variance.
    const lines = await linesOf(st.id);
    await keeper((ctx) => enterStocktakeCounts(ctx, st.id, { lines: lines.map((l) => ({ lineId: l.id, countedQty: '485' })) }));
    await postStocktake(st.id);
    expect((await keeper((ctx) => getStocktake(ctx, st.id))).totals).toMatchObject({ surplusLines: 0, shortageLines: 0 });
    await expectLedgerMatchesBalances(database());
  });
});
