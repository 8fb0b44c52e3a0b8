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
import { createSimple } from '../catalog/index.js';
import { createDocument, getDocument, setDocConfig, transition } from '../documents/documents.service.js';
import { reasonCodeTable } from '../partners/index.js';
import type { Ctx } from '../platform/context.js';
import { getDocumentCosts } from './costing.service.js';

const { database, chain } = useTestChain();
let financeId: number;
let keeperId: number;

beforeAll(async () => {
  financeId = await makeRoleUser(database(), {
    login: 'fin',
    roleCode: 'finance',
    orgId: chain.companyId,
    homeOrgId: chain.hqId,
  });
  keeperId = await makeRoleUser(database(), { login: 'sa_keeper', roleCode: 'store_keeper', orgId: chain.storeA.id });
  // Store A: milk 10 @ 2.00 then 10 @ 3.00 → average 2.50; drug batch B1 20 @ 7.00.
  await stockIn(database(), {
    orgId: chain.storeA.id,
    warehouseId: chain.storeA.warehouseId,
    lines: [
      { productId: chain.products.milk, qty: '10', unitPrice: '2.00' },
      { productId: chain.products.batchDrug, qty: '20', unitPrice: '7.00', batchNo: 'B1', lotNo: 'L1', expiryDate: '2027-01-31' },
    ],
  });
  await stockIn(database(), {
    orgId: chain.storeA.id,
    warehouseId: chain.storeA.warehouseId,
    lines: [{ productId: chain.products.milk, qty: '10', unitPrice: '3.00' }],
  });
});

const keeper = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), keeperId, fn);
const finance = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), financeId, fn);

function lossDraft(lines: Record<string, unknown>[], attrs: Record<string, unknown> = {}, docType = 'loss') {
  return keeper((ctx) =>
    createDocument(ctx, {
      docType,
      orgId: chain.storeA.id,
      warehouseId: chain.storeA.warehouseId,
      attrs,
      lines: lines as never,
    }),
  );
}

async function ledgerOf(docId: number) {
  return database()
    .db.selectFrom('stock_ledger')
    .select(['product_id', 'qty', 'unit_cost', 'amount', 'batch_no'])
    .where('source_type', '=', 'document')
    .where('source_id', '=', docId)
    .orderBy('id')
    .execute();
}

describe('loss and overage (INV-4)', () => {
  it('needs HQ finance approval by default: the keeper cannot approve, finance can; posting takes stock out at the average', async () => {
    const d = await lossDraft([{ productId: chain.products.milk, qty: '4', attrs: { reason: '破损' } }]);
    const submitted = await keeper((ctx) => transition(ctx, d.id, 'submit'));
    expect(submitted.status).toBe('pending_approval');
    await expectRefusal(
      keeper((ctx) => transition(ctx, d.id, 'approve')),
      'FORBIDDEN',
    );
    // Confirming before approval is refused; stock untouched.
    await expectRefusal(
      keeper((ctx) => transition(ctx, d.id, 'confirm')),
      'DOC_INVALID_TRANSITION',
    );
    expect(await stockQty(database(), { warehouseId: chain.storeA.warehouseId, productId: chain.products.milk })).toBe('20.000');

    // Finance sees the value it approves.
    const estimate = await finance((ctx) => getDocumentCosts(ctx, d.id));
    expect(estimate.lines[0]).toMatchObject({ qty: '-4.000', unitCost: '2.5000', amount: '-10.00', basis: 'average' });
    // … and where the goods are, without holding the warehouse grants.
    expect(estimate.warehouses).toEqual([
      expect.objectContaining({ id: chain.storeA.warehouseId, code: expect.any(String), name: expect.any(String) }),
    ]);
    expect((await finance((ctx) => transition(ctx, d.id, 'approve'))).status).toBe('approved');
    const posted = await keeper((ctx) => transition(ctx, d.id, 'confirm'));
    expect(posted.status).toBe('posted');
    expect(await ledgerOf(d.id)).toEqual([
      { product_id: chain.products.milk, qty: '-4.000', unit_cost: '2.5000', amount: '-10.0000', batch_no: '' },
    ]);
    expect(await stockQty(database(), { warehouseId: chain.storeA.warehouseId, productId: chain.products.milk })).toBe('16.000');
    const actual = await finance((ctx) => getDocumentCosts(ctx, d.id));
    expect(actual).toMatchObject({ posted: true, total: '-10.00' });
    expect(actual.lines[0]?.basis).toBe('ledger');
    await expectLedgerMatchesBalances(database());
  });

  it('a rejection needs a comment; the rejected loss goes back to the keeper and moves nothing', async () => {
    const d = await lossDraft([{ productId: chain.products.milk, qty: '1' }]);
    await keeper((ctx) => transition(ctx, d.id, 'submit'));
    await expectRefusal(
      finance((ctx) => transition(ctx, d.id, 'reject', { comment: '   ' })),
      'DOC_REJECT_COMMENT_REQUIRED',
    );
    const rejected = await finance((ctx) => transition(ctx, d.id, 'reject', { comment: '请附照片' }));
    expect(rejected.status).toBe('rejected');
    expect(rejected.rejectComment).toBe('请附照片');
    expect(await ledgerOf(d.id)).toEqual([]);
  });

  it('takes a batch out at the batch cost automatically, or at a manually entered cost', async () => {
    const auto = await lossDraft([{ productId: chain.products.batchDrug, qty: '2', batchNo: 'B1', lotNo: 'L1' }]);
    await keeper((ctx) => transition(ctx, auto.id, 'submit'));
    await finance((ctx) => transition(ctx, auto.id, 'approve'));
    await keeper((ctx) => transition(ctx, auto.id, 'confirm'));
    expect((await ledgerOf(auto.id))[0]).toMatchObject({ qty: '-2.000', unit_cost: '7.0000', amount: '-14.0000' });

    // Manual cost: per document (header) or per line; a manual line without a price is refused.
    await expectRefusal(
      lossDraft([{ productId: chain.products.milk, qty: '1' }], { costMode: 'manual' }),
      'INV_MANUAL_COST_REQUIRED',
    );
    const manual = await lossDraft(
      [
        { productId: chain.products.milk, qty: '2', unitPrice: '1.2345', attrs: { costMode: 'manual' } },
        { productId: chain.products.milk, qty: '1' },
      ],
      { reason: '过期' },
    );
    await keeper((ctx) => transition(ctx, manual.id, 'submit'));
    await finance((ctx) => transition(ctx, manual.id, 'approve'));
    await keeper((ctx) => transition(ctx, manual.id, 'confirm'));
    const rows = await ledgerOf(manual.id);
    // A manual cost below the average re-averages what stays: 16 @ 2.50 = 40.00; 2 out @ 1.2345 leaves
    // 37.531 over 14 = 2.6808, the cost the automatic line of the same posting takes.
    expect(rows.map((r) => [r.qty, r.unit_cost])).toEqual([
      ['-2.000', '1.2345'],
      ['-1.000', '2.6808'],
    ]);
    await expectLedgerMatchesBalances(database());
  });

  it('overage brings stock in at the moving average (auto) or the entered cost (manual)', async () => {
    const found = await asSystem(database().db, (ctx) =>
      createSimple(ctx, reasonCodeTable, { usage: 'overage', code: 'FOUND', name: '盘点找到', sort: 1 }),
    );
    const before = await stockQty(database(), { warehouseId: chain.storeA.warehouseId, productId: chain.products.milk });
    const { avg_cost: average } = await database()
      .db.selectFrom('stock_cost')
      .select('avg_cost')
      .where('warehouse_id', '=', chain.storeA.warehouseId)
      .where('product_id', '=', chain.products.milk)
      .executeTakeFirstOrThrow();
    expect(average).toBe('2.6808');
    const d = await lossDraft(
      [
        { productId: chain.products.milk, qty: '3', unitPrice: '99', attrs: { reasonCodeId: found.id } },
        { productId: chain.products.milk, qty: '2', unitPrice: '4.00', attrs: { costMode: 'manual' } },
      ],
      {},
      'overage',
    );
    await keeper((ctx) => transition(ctx, d.id, 'submit'));
    await finance((ctx) => transition(ctx, d.id, 'approve'));
    await keeper((ctx) => transition(ctx, d.id, 'confirm'));
    const rows = await ledgerOf(d.id);
    // Auto ignores the price shown on the line (99) and takes the average.
    expect(rows[0]).toMatchObject({ qty: '3.000', unit_cost: average });
    expect(rows[1]).toMatchObject({ qty: '2.000', unit_cost: '4.0000' });
    const after = await stockQty(database(), { warehouseId: chain.storeA.warehouseId, productId: chain.products.milk });
    expect(dec(after).minus(before).toFixed(3)).toBe('5.000');
    await expectLedgerMatchesBalances(database());
  });

  it('refuses to void after posting, and refuses a loss beyond the stock where negative stock is forbidden', async () => {
    const d = await lossDraft([{ productId: chain.products.milk, qty: '1' }]);
    await keeper((ctx) => transition(ctx, d.id, 'submit'));
    await finance((ctx) => transition(ctx, d.id, 'approve'));
    await keeper((ctx) => transition(ctx, d.id, 'confirm'));
    await expectRefusal(
      keeper((ctx) => transition(ctx, d.id, 'void')),
      'DOC_VOID_POSTED',
    );
    expect((await keeper((ctx) => getDocument(ctx, d.id))).status).toBe('posted');

    // Beyond the stock: flagged on the line when the store saves it, not when HQ approves.
    const onSave = await expectRefusal(lossDraft([{ productId: chain.products.milk, qty: '1000' }]), 'VALIDATION_FAILED');
    expect(onSave.fieldIssues?.[0]).toMatchObject({
      path: 'lines.0.qty',
      messageZh: expect.stringContaining('数量超过可用库存'),
    });
    // Within the stock when saved, but the stock went elsewhere before the confirm: the posting refuses it.
    const stock = await stockQty(database(), { warehouseId: chain.storeA.warehouseId, productId: chain.products.milk });
    const big = await lossDraft([{ productId: chain.products.milk, qty: stock }]);
    await keeper((ctx) => transition(ctx, big.id, 'submit'));
    await finance((ctx) => transition(ctx, big.id, 'approve'));
    await sellStock(database(), { warehouseId: chain.storeA.warehouseId, productId: chain.products.milk, qty: '1' });
    await expectRefusal(
      keeper((ctx) => transition(ctx, big.id, 'confirm')),
      'INSUFFICIENT_STOCK',
    );
    expect((await keeper((ctx) => getDocument(ctx, big.id))).status).toBe('approved');
    await expectLedgerMatchesBalances(database());
  });

  it('follows the org configuration: without approval a loss posts on confirm', async () => {
    await asSystem(database().db, (ctx) =>
      setDocConfig(ctx, { orgId: chain.storeB.id, docType: 'loss', needsApproval: false, autoPost: true }),
    );
    const d = await asSystem(database().db, async (ctx) => {
      const doc = await createDocument(ctx, {
        docType: 'loss',
        orgId: chain.storeB.id,
        warehouseId: chain.storeB.warehouseId,
        lines: [{ productId: chain.products.apple, qty: '1' }],
      });
      return transition(ctx, doc.id, 'confirm');
    });
    // Store B allows negative stock: the loss posts even with nothing on hand.
    expect(d.status).toBe('posted');
    await expectLedgerMatchesBalances(database());
  });

  it('checks reasons (a code must exist, be active and fit the type) and shelves on lines', async () => {
    const badReason = await expectRefusal(
      lossDraft([{ productId: chain.products.milk, qty: '1', attrs: { reasonCodeId: 'x' } }]),
      'VALIDATION_FAILED',
    );
    expect(badReason.fieldIssues?.[0]?.path).toBe('lines.0.attrs.reasonCodeId');
    const [damaged, found] = await asSystem(database().db, async (ctx) => [
      await createSimple(ctx, reasonCodeTable, { usage: 'loss', code: 'DMG', name: '破损' }),
      await createSimple(ctx, reasonCodeTable, { usage: 'overage', code: 'FOUND2', name: '找到' }),
    ]);
    const ok = await lossDraft([{ productId: chain.products.milk, qty: '1' }], {
      reasonCodeId: damaged?.id,
      reason: '搬运时摔碎',
    });
    expect(ok.attrs).toMatchObject({ reasonCodeId: damaged?.id });
    await expectRefusal(
      lossDraft([{ productId: chain.products.milk, qty: '1', attrs: { reasonCodeId: found?.id } }]),
      'INV_REASON_CODE_INVALID',
    );
    await expectRefusal(lossDraft([{ productId: chain.products.milk, qty: '1', attrs: { reasonCodeId: 999_999 } }]), 'NOT_FOUND');
    const { createShelf } = await import('../org/org.service.js');
    const foreign = await asSystem(database().db, (ctx) =>
      createShelf(ctx, { warehouseId: chain.dcWarehouseId, code: 'DC-S1', name: '配送中心货架' }),
    );
    await expectRefusal(
      lossDraft([{ productId: chain.products.milk, qty: '1', shelfId: foreign.id }]),
      'INV_SHELF_NOT_IN_WAREHOUSE',
    );
  });

  it('the value of a document names its warehouse and shelves, so finance reads where the goods are', async () => {
    const { createShelf } = await import('../org/org.service.js');
    const shelf = await asSystem(database().db, (ctx) =>
      createShelf(ctx, { warehouseId: chain.storeA.warehouseId, code: 'SA-L1', name: '损耗货架' }),
    );
    await stockIn(database(), {
      orgId: chain.storeA.id,
      warehouseId: chain.storeA.warehouseId,
      lines: [{ productId: chain.products.milk, qty: '1', unitPrice: '2.50', shelfId: shelf.id }],
    });
    const d = await lossDraft([{ productId: chain.products.milk, qty: '1', shelfId: shelf.id }]);
    const costs = await finance((ctx) => getDocumentCosts(ctx, d.id));
    expect(costs.shelves).toEqual([{ id: shelf.id, code: 'SA-L1', name: '损耗货架' }]);
    expect(costs.warehouses.map((w) => w.id)).toEqual([chain.storeA.warehouseId]);
  });
});
