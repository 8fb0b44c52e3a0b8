import { errorMessage, isDomainError } from '@erp/contracts';
import {
  allowSelfPurchase,
  asSystem,
  asUser,
  expectLedgerMatchesBalances,
  expectRefusal,
  makeConfirmedPurchaseOrder,
  makePurchasingUsers,
  makeSupplier,
  type PurchasingUsers,
  useTestChain,
} from '@erp/test-kit';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProduct, createSimple, unitTable } from '../catalog/index.js';
import { createDocument, getDocument, setDocConfig, transition } from '../documents/index.js';
import { createShelf } from '../org/index.js';
import { createPartner, getPartner, updatePartner } from '../partners/index.js';
import type { Ctx } from '../platform/context.js';
import {
  closePurchaseOrder,
  createFirstOperation,
  createPurchaseOrder,
  createReceipt,
  createReturn,
  createSelfPurchase,
  decideFirstOperation,
  exportAcceptanceRecords,
  exportPurchaseOrders,
  getPurchaseOrder,
  listAcceptanceRecords,
  listPurchaseDetails,
  listPurchaseOrders,
  listPurchasePayables,
  returnableLines,
  updatePurchasingSettings,
  voidSelfPurchaseLines,
} from './index.js';

const { database, chain } = useTestChain();
let users: PurchasingUsers;
let supplier: number;
let supplier2: number;
let caseProduct: number;
let caseUnit: number;
let pricedProduct: number;

beforeAll(async () => {
  users = await makePurchasingUsers(database(), chain);
  await asSystem(database().db, async (ctx) => {
    supplier = await makeSupplier(ctx, { code: 'SUP1', name: '华东食品供应公司' });
    supplier2 = await makeSupplier(ctx, { code: 'SUP2', name: '康源医药批发' });
    const unit = await createSimple(ctx, unitTable, { code: 'CASE', name: '箱' });
    caseUnit = (unit as { id: number }).id;
    caseProduct = (await createProduct(ctx, { code: 'P100', name: '矿泉水 550ml', units: [{ unitId: caseUnit, factor: '24' }] }))
      .id;
    pricedProduct = (await createProduct(ctx, { code: 'P101', name: '饼干 200g', prices: { purchase: '3.20', retail: '5.50' } }))
      .id;
  });
});

const admin = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), chain.users.hqAdmin, fn);
const buyer = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), users.buyer, fn);
const keeper = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), users.dcKeeper, fn);
const finance = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), users.finance, fn);
const storeAdmin = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), chain.users.storeAAdmin, fn);
const storeKeeper = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), users.storeAKeeper, fn);

async function stockOf(warehouseId: number, productId: number) {
  const db = database().db;
  const bal = await db
    .selectFrom('stock_balance')
    .select((eb) => eb.fn.sum<string>('qty').as('q'))
    .where('warehouse_id', '=', warehouseId)
    .where('product_id', '=', productId)
    .executeTakeFirst();
  const cost = await db
    .selectFrom('stock_cost')
    .select(['qty', 'avg_cost'])
    .where('warehouse_id', '=', warehouseId)
    .where('product_id', '=', productId)
    .executeTakeFirst();
  return { qty: Number(bal?.q ?? 0), avgCost: cost?.avg_cost ?? null };
}

async function dcOrder(lines: { productId: number; qty: string; unitPrice?: string }[], supplierId = supplier) {
  return admin((ctx) =>
    makeConfirmedPurchaseOrder(ctx, { orgId: chain.dcId, warehouseId: chain.dcWarehouseId, supplierId, lines }),
  );
}

async function receive(
  poId: number,
  lines?: {
    purchaseOrderLineId?: number;
    productId: number;
    qty: string;
    lotNo?: string;
    expiryDate?: string;
    unitPrice?: string;
  }[],
) {
  return keeper(async (ctx) => {
    const r = await createReceipt(ctx, { orgId: chain.dcId, purchaseOrderId: poId, ...(lines ? { lines } : {}) });
    return transition(ctx, r.id, 'confirm');
  });
}

describe('purchase orders (PUR-1)', () => {
  it('orders from an active supplier need approval by default and track ordered / received / open per line', async () => {
    const po = await buyer((ctx) =>
      createPurchaseOrder(ctx, {
        orgId: chain.dcId,
        warehouseId: chain.dcWarehouseId,
        supplierId: supplier,
        expectedDate: '2030-01-10',
        lines: [
          { productId: chain.products.apple, qty: '100', unitPrice: '2.50' },
          { productId: chain.products.milk, qty: '40', unitPrice: '1.80' },
        ],
      }),
    );
    expect(po.number).toMatch(/^PODC1-\d{8}-\d{4}$/);
    expect(po.totalAmount).toBe('322.00');
    const submitted = await buyer((ctx) => transition(ctx, po.id, 'submit'));
    expect(submitted.status).toBe('pending_approval');
    // A buyer cannot approve, and nothing is confirmed before approval.
    await expectRefusal(
      buyer((ctx) => transition(ctx, po.id, 'approve')),
      'FORBIDDEN',
    );
    await expectRefusal(
      buyer((ctx) => transition(ctx, po.id, 'confirm')),
      'DOC_INVALID_TRANSITION',
    );
    await admin((ctx) => transition(ctx, po.id, 'approve'));
    await buyer((ctx) => transition(ctx, po.id, 'confirm'));

    const detail = await keeper((ctx) => getPurchaseOrder(ctx, po.id));
    expect(detail.progress.map((p) => [p.orderedQty, p.receivedQty, p.openQty])).toEqual([
      ['100.000', '0.000', '100.000'],
      ['40.000', '0.000', '40.000'],
    ]);
    // Partial receipt: 60 apples. The order stays open.
    const apples = detail.progress[0]?.lineId as number;
    await receive(po.id, [{ purchaseOrderLineId: apples, productId: chain.products.apple, qty: '60' }]);
    const after = await keeper((ctx) => getPurchaseOrder(ctx, po.id));
    expect(after.status).toBe('confirmed');
    expect(after.progress.map((p) => p.openQty)).toEqual(['40.000', '40.000']);
    expect(after.openQty).toBe('80.000');
    // The rest, from the order's open lines: the order completes itself.
    const r2 = await receive(po.id);
    expect(r2.lines.map((l) => l.qty)).toEqual(['40.000', '40.000']);
    const done = await keeper((ctx) => getPurchaseOrder(ctx, po.id));
    expect(done.status).toBe('completed');
    expect(done.openQty).toBe('0.000');
    expect(done.closedShort).toBeNull();
    await expectLedgerMatchesBalances(database());
  });

  it('without approval configured the order is approved on submit', async () => {
    await admin((ctx) =>
      setDocConfig(ctx, { orgId: chain.storeA.id, docType: 'purchase_order', needsApproval: false, autoPost: false }),
    );
    const po = await storeAdmin((ctx) =>
      createPurchaseOrder(ctx, {
        orgId: chain.storeA.id,
        warehouseId: chain.storeA.warehouseId,
        supplierId: supplier,
        lines: [{ productId: chain.products.milk, qty: '5', unitPrice: '2' }],
      }),
    );
    const confirmed = await storeAdmin((ctx) => transition(ctx, po.id, 'confirm'));
    expect(confirmed.status).toBe('confirmed');
  });

  it('refuses a partner that is not an active supplier, and an org that does not buy', async () => {
    const base = { orgId: chain.dcId, warehouseId: chain.dcWarehouseId, lines: [{ productId: chain.products.apple, qty: '1' }] };
    const customer = await asSystem(
      database().db,
      async (ctx) => (await createPartner(ctx, 'customer', { code: 'C1', name: '批发客户甲' })).id,
    );
    await expectRefusal(
      buyer((ctx) => createPurchaseOrder(ctx, { ...base, supplierId: customer })),
      'PUR_SUPPLIER_INVALID',
    );
    const closed = await asSystem(database().db, async (ctx) => {
      const s = await makeSupplier(ctx, { code: 'SUP-OLD', name: '已停用供应商' });
      const dto = await getPartner(ctx, 'supplier', s);
      await updatePartner(ctx, 'supplier', s, { version: dto.version, active: false });
      return s;
    });
    const e2 = await expectRefusal(
      buyer((ctx) => createPurchaseOrder(ctx, { ...base, supplierId: closed })),
      'PUR_SUPPLIER_INVALID',
    );
    expect(errorMessage(e2.code, 'zh-CN', e2.params)).toContain('已停用供应商');
    await expectRefusal(
      admin((ctx) =>
        createDocument(ctx, {
          docType: 'purchase_order',
          orgId: chain.retailCentreId,
          partnerId: supplier,
          lines: [{ productId: chain.products.apple, qty: '1' }],
        }),
      ),
      'PUR_ORG_CANNOT_PURCHASE',
    );
    await expectRefusal(
      admin((ctx) =>
        createDocument(ctx, {
          docType: 'purchase_order',
          orgId: chain.dcId,
          partnerId: supplier,
          lines: [{ productId: chain.products.apple, qty: '1' }],
        }),
      ),
      'PUR_WAREHOUSE_REQUIRED',
    );
  });

  it('takes quantities in pack units, converted exactly, and defaults prices to the purchase price', async () => {
    const po = await buyer((ctx) =>
      createPurchaseOrder(ctx, {
        orgId: chain.dcId,
        warehouseId: chain.dcWarehouseId,
        supplierId: supplier,
        lines: [
          { productId: caseProduct, qty: '2', unitId: caseUnit, unitPrice: '36' },
          { productId: pricedProduct, qty: '10' },
        ],
      }),
    );
    const [cases, biscuits] = po.lines;
    expect([cases?.qty, cases?.unitPrice, cases?.amount]).toEqual(['48.000', '1.5000', '72.00']);
    expect(cases?.attrs).toMatchObject({ unitId: caseUnit, unitQty: '2', unitPrice: '36', factor: '24' });
    expect([biscuits?.unitPrice, biscuits?.amount]).toEqual(['3.2000', '32.00']);
    // A case of an unknown unit, and a quantity the factor cannot express exactly, are refused.
    await expectRefusal(
      buyer((ctx) =>
        createPurchaseOrder(ctx, {
          orgId: chain.dcId,
          warehouseId: chain.dcWarehouseId,
          supplierId: supplier,
          lines: [{ productId: chain.products.apple, qty: '1', unitId: caseUnit }],
        }),
      ),
      'UNIT_NOT_OF_PRODUCT',
    );
    // Through the generic document API a line whose base quantity contradicts its pack quantity is refused.
    await expectRefusal(
      admin((ctx) =>
        createDocument(ctx, {
          docType: 'purchase_order',
          orgId: chain.dcId,
          warehouseId: chain.dcWarehouseId,
          partnerId: supplier,
          lines: [{ productId: caseProduct, qty: '40', unitPrice: '1.5', attrs: { unitId: caseUnit, unitQty: '2' } }],
        }),
      ),
      'PUR_UNIT_MISMATCH',
    );
  });

  it('closes short; a voided or closed order takes no more receipts; an order with receipts cannot be voided', async () => {
    const po = await dcOrder([{ productId: chain.products.apple, qty: '10', unitPrice: '2' }]);
    await receive(po.id, [{ purchaseOrderLineId: po.lineIds[0] as number, productId: chain.products.apple, qty: '4' }]);
    await expectRefusal(
      buyer((ctx) => transition(ctx, po.id, 'void')),
      'PUR_PO_HAS_RECEIPTS',
    );
    const closed = await buyer((ctx) => closePurchaseOrder(ctx, po.id, '供应商缺货'));
    expect(closed.status).toBe('completed');
    expect(closed.openQty).toBe('6.000');
    expect(closed.closedShort?.reason).toBe('供应商缺货');
    await expectRefusal(
      keeper((ctx) => createReceipt(ctx, { orgId: chain.dcId, purchaseOrderId: po.id })),
      'PUR_PO_NOT_OPEN',
    );
    const list = await buyer((ctx) => listPurchaseOrders(ctx, { page: 1, pageSize: 50, order: 'asc', openOnly: true }));
    expect(list.items.some((i) => i.id === po.id)).toBe(false);
  });
});

describe('receiving (PUR-2)', () => {
  it('posts at the receipt cost and moves the moving average', async () => {
    const before = await stockOf(chain.dcWarehouseId, chain.products.milk);
    const po = await dcOrder([{ productId: chain.products.milk, qty: '20', unitPrice: '4.00' }]);
    await receive(po.id);
    const after = await stockOf(chain.dcWarehouseId, chain.products.milk);
    expect(after.qty).toBe(before.qty + 20);
    // 40 milk came in at 1.80 in the first test; 20 more at 4.00 → (40×1.80 + 20×4.00) / 60 = 2.5333.
    expect(before).toEqual({ qty: 40, avgCost: '1.8000' });
    expect(after.avgCost).toBe('2.5333');
    const ledger = await database()
      .db.selectFrom('stock_ledger')
      .select(['qty', 'unit_cost', 'source_type'])
      .where('product_id', '=', chain.products.milk)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(ledger).toMatchObject({ qty: '20.000', unit_cost: '4.0000', source_type: 'document' });
    await expectLedgerMatchesBalances(database());
  });

  it('with auto-post off a confirmed receipt waits for the inbound review; posting then moves stock and writes records', async () => {
    await admin((ctx) =>
      setDocConfig(ctx, { orgId: chain.dcId, docType: 'purchase_receipt', needsApproval: false, autoPost: false }),
    );
    try {
      const po = await dcOrder([{ productId: chain.products.apple, qty: '4', unitPrice: '2' }]);
      const before = await stockOf(chain.dcWarehouseId, chain.products.apple);
      const confirmed = await receive(po.id);
      expect(confirmed.status).toBe('confirmed');
      expect((await stockOf(chain.dcWarehouseId, chain.products.apple)).qty).toBe(before.qty);
      const none = await database()
        .db.selectFrom('purchase_acceptance')
        .select('id')
        .where('document_id', '=', confirmed.id)
        .execute();
      expect(none).toHaveLength(0);
      expect((await keeper((ctx) => getPurchaseOrder(ctx, po.id))).receivedQty).toBe('0.000');
      const posted = await keeper((ctx) => transition(ctx, confirmed.id, 'post'));
      expect(posted.status).toBe('posted');
      expect((await stockOf(chain.dcWarehouseId, chain.products.apple)).qty).toBe(before.qty + 4);
      expect((await keeper((ctx) => getPurchaseOrder(ctx, po.id))).status).toBe('completed');
    } finally {
      await admin((ctx) =>
        setDocConfig(ctx, { orgId: chain.dcId, docType: 'purchase_receipt', needsApproval: false, autoPost: true }),
      );
    }
    await expectLedgerMatchesBalances(database());
  });

  it('a DC receives only against an order unless its settings allow; a store may by default', async () => {
    const noPo = {
      orgId: chain.dcId,
      warehouseId: chain.dcWarehouseId,
      supplierId: supplier,
      lines: [{ productId: chain.products.apple, qty: '1', unitPrice: '2' }],
    };
    const e = await expectRefusal(
      keeper((ctx) => createReceipt(ctx, noPo)),
      'PUR_PO_REQUIRED',
    );
    expect(errorMessage(e.code, 'en', e.params)).toContain('must follow a purchase order');
    await admin((ctx) => updatePurchasingSettings(ctx, chain.dcId, { requirePurchaseOrder: false }));
    const ok = await keeper((ctx) => createReceipt(ctx, noPo));
    expect(ok.status).toBe('draft');
    await admin((ctx) => updatePurchasingSettings(ctx, chain.dcId, { requirePurchaseOrder: null }));
    // Store A: no order needed by default.
    const store = await storeKeeper(async (ctx) => {
      const r = await createReceipt(ctx, {
        orgId: chain.storeA.id,
        warehouseId: chain.storeA.warehouseId,
        supplierId: supplier,
        lines: [{ productId: chain.products.apple, qty: '3', unitPrice: '2.2' }],
      });
      return transition(ctx, r.id, 'confirm');
    });
    expect(store.status).toBe('posted');
    await expectLedgerMatchesBalances(database());
  });

  it('batch-tracked goods: lot and expiry required; a batch per line at its cost; lot, expiry and shelf kept', async () => {
    const po = await dcOrder([{ productId: chain.products.batchDrug, qty: '50', unitPrice: '12.5' }]);
    const draft = await keeper((ctx) => createReceipt(ctx, { orgId: chain.dcId, purchaseOrderId: po.id }));
    const e = await expectRefusal(
      keeper((ctx) => transition(ctx, draft.id, 'confirm')),
      'PUR_LOT_REQUIRED',
    );
    expect(errorMessage(e.code, 'zh-CN', e.params)).toContain('P003');
    await keeper((ctx) => transition(ctx, draft.id, 'void'));
    const posted = await receive(po.id, [
      {
        purchaseOrderLineId: po.lineIds[0] as number,
        productId: chain.products.batchDrug,
        qty: '30',
        lotNo: 'L2401',
        expiryDate: '2027-06-30',
      },
      {
        purchaseOrderLineId: po.lineIds[0] as number,
        productId: chain.products.batchDrug,
        qty: '20',
        lotNo: 'L2402',
        expiryDate: '2027-09-30',
      },
    ]);
    expect(posted.status).toBe('posted');
    const lines = (await keeper((ctx) => getDocument(ctx, posted.id))).lines;
    expect(lines.map((l) => l.batchNo)).toEqual([`${posted.number}-001`, `${posted.number}-002`]);
    const batches = await database()
      .db.selectFrom('stock_batch')
      .select(['batch_no', 'lot_no', 'expiry_date', 'unit_cost'])
      .where('product_id', '=', chain.products.batchDrug)
      .where('batch_no', 'like', `${posted.number}%`)
      .orderBy('batch_no')
      .execute();
    expect(batches).toEqual([
      { batch_no: `${posted.number}-001`, lot_no: 'L2401', expiry_date: '2027-06-30', unit_cost: '12.5000' },
      { batch_no: `${posted.number}-002`, lot_no: 'L2402', expiry_date: '2027-09-30', unit_cost: '12.5000' },
    ]);
    const balance = await database()
      .db.selectFrom('stock_balance')
      .select(['qty', 'lot_no', 'expiry_date'])
      .where('batch_no', '=', `${posted.number}-001`)
      .executeTakeFirstOrThrow();
    expect(balance).toEqual({ qty: '30.000', lot_no: 'L2401', expiry_date: '2027-06-30' });
    await expectLedgerMatchesBalances(database());
  });

  it('puts goods on the shelf named per line; a shelf of another warehouse is refused', async () => {
    const [dcShelf, storeShelf] = await asSystem(database().db, async (ctx) => [
      (await createShelf(ctx, { warehouseId: chain.dcWarehouseId, code: 'A-01', name: '常温区A01' })).id,
      (await createShelf(ctx, { warehouseId: chain.storeA.warehouseId, code: 'S-01', name: '门店货架1' })).id,
    ]);
    const po = await dcOrder([{ productId: chain.products.milk, qty: '9', unitPrice: '2' }]);
    const line = po.lineIds[0] as number;
    await expectRefusal(
      keeper((ctx) =>
        createReceipt(ctx, {
          orgId: chain.dcId,
          purchaseOrderId: po.id,
          lines: [{ purchaseOrderLineId: line, productId: chain.products.milk, qty: '9', shelfId: storeShelf }],
        }),
      ),
      'PUR_SHELF_NOT_IN_WAREHOUSE',
    );
    const r = await keeper(async (ctx) => {
      const d = await createReceipt(ctx, {
        orgId: chain.dcId,
        purchaseOrderId: po.id,
        lines: [
          { purchaseOrderLineId: line, productId: chain.products.milk, qty: '9', shelfId: dcShelf, stockStatus: 'pending_check' },
        ],
      });
      return transition(ctx, d.id, 'confirm');
    });
    const bal = await database()
      .db.selectFrom('stock_ledger')
      .select(['shelf_id', 'status', 'qty'])
      .where('source_id', '=', r.id)
      .where('source_type', '=', 'document')
      .executeTakeFirstOrThrow();
    expect(bal).toEqual({ shelf_id: dcShelf, status: 'pending_check', qty: '9.000' });
    await expectLedgerMatchesBalances(database());
  });

  it('writes an acceptance record for every line: received, accepted, refused, conclusion, inspector', async () => {
    const po = await dcOrder([
      { productId: chain.products.apple, qty: '10', unitPrice: '2' },
      { productId: chain.products.milk, qty: '6', unitPrice: '2' },
    ]);
    const r = await keeper(async (ctx) => {
      const d = await createReceipt(ctx, {
        orgId: chain.dcId,
        purchaseOrderId: po.id,
        inspector: '王验收',
        lines: [
          {
            purchaseOrderLineId: po.lineIds[0] as number,
            productId: chain.products.apple,
            qty: '8',
            rejectedQty: '2',
            rejectReason: '破损',
          },
          {
            purchaseOrderLineId: po.lineIds[1] as number,
            productId: chain.products.milk,
            qty: '0',
            rejectedQty: '6',
            rejectReason: '过期',
          },
        ],
      });
      return transition(ctx, d.id, 'confirm');
    });
    const records = await keeper((ctx) =>
      listAcceptanceRecords(ctx, { page: 1, pageSize: 50, order: 'asc', orgId: chain.dcId, q: r.number }),
    );
    expect(
      records.items
        .map((a) => [a.productId, a.receivedQty, a.acceptedQty, a.rejectedQty, a.conclusion, a.rejectReason, a.inspector])
        .sort((x, y) => Number(x[0]) - Number(y[0])),
    ).toEqual([
      [chain.products.apple, '10.000', '8.000', '2.000', 'partly_rejected', '破损', '王验收'],
      [chain.products.milk, '6.000', '0.000', '6.000', 'rejected', '过期', '王验收'],
    ]);
    // Refused goods do not count against the order: they are still to come.
    const detail = await keeper((ctx) => getPurchaseOrder(ctx, po.id));
    expect(detail.progress.map((p) => p.openQty)).toEqual(['2.000', '6.000']);
    const xlsx = await keeper((ctx) => exportAcceptanceRecords(ctx, { orgId: chain.dcId, q: r.number }));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    expect(sheet?.getRow(1).getCell(1).value).toBe('验收日期');
    expect(sheet?.rowCount).toBe(3);
    await expectLedgerMatchesBalances(database());
  });

  it('refuses over-receipt beyond the tolerance with the product and quantities; within it is fine', async () => {
    const po = await dcOrder([{ productId: chain.products.apple, qty: '10', unitPrice: '2' }]);
    const line = po.lineIds[0] as number;
    const e = await expectRefusal(
      receive(po.id, [{ purchaseOrderLineId: line, productId: chain.products.apple, qty: '10.5' }]),
      'PUR_OVER_RECEIPT',
    );
    expect(errorMessage(e.code, 'zh-CN', e.params)).toBe(
      `商品 P001 红富士苹果 超收：订单 ${await getNumber(po.id)} 未收数量 10，本次收货 10.5，最多可收 10（超收容差 0%）`,
    );
    expect(errorMessage(e.code, 'en', e.params)).toContain('Over-receipt of P001');
    await admin((ctx) => updatePurchasingSettings(ctx, chain.dcId, { overReceiptTolerancePct: '10' }));
    try {
      await receive(po.id, [{ purchaseOrderLineId: line, productId: chain.products.apple, qty: '10.5' }]);
      const detail = await keeper((ctx) => getPurchaseOrder(ctx, po.id));
      expect(detail.progress[0]?.receivedQty).toBe('10.500');
      expect(detail.status).toBe('completed');
    } finally {
      await admin((ctx) => updatePurchasingSettings(ctx, chain.dcId, { overReceiptTolerancePct: null }));
    }
    await expectLedgerMatchesBalances(database());
  });

  it('concurrent receipts of one order cannot over-receive it', async () => {
    const po = await dcOrder([{ productId: chain.products.apple, qty: '100', unitPrice: '2' }]);
    const line = po.lineIds[0] as number;
    const drafts = await Promise.all(
      [0, 1, 2].map(() =>
        keeper((ctx) =>
          createReceipt(ctx, {
            orgId: chain.dcId,
            purchaseOrderId: po.id,
            lines: [{ purchaseOrderLineId: line, productId: chain.products.apple, qty: '40' }],
          }),
        ),
      ),
    );
    const results = await Promise.allSettled(drafts.map((d) => keeper((ctx) => transition(ctx, d.id, 'confirm'))));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    expect(ok).toHaveLength(2);
    expect(refused).toHaveLength(1);
    expect(isDomainError(refused[0], 'PUR_OVER_RECEIPT')).toBe(true);
    const detail = await keeper((ctx) => getPurchaseOrder(ctx, po.id));
    expect(detail.progress[0]?.receivedQty).toBe('80.000');
    await expectLedgerMatchesBalances(database());
  });

  it('a receipt line must belong to the receipt’s order, for the same product', async () => {
    const po = await dcOrder([{ productId: chain.products.apple, qty: '5', unitPrice: '2' }]);
    const other = await dcOrder([{ productId: chain.products.milk, qty: '5', unitPrice: '2' }]);
    await expectRefusal(
      keeper((ctx) =>
        createReceipt(ctx, {
          orgId: chain.dcId,
          purchaseOrderId: po.id,
          lines: [{ purchaseOrderLineId: other.lineIds[0] as number, productId: chain.products.milk, qty: '1' }],
        }),
      ),
      'PUR_REF_LINE_INVALID',
    );
    // Goods ordered from one supplier are not received from another.
    await expectRefusal(
      keeper((ctx) => createReceipt(ctx, { orgId: chain.dcId, purchaseOrderId: po.id, supplierId: supplier2 })),
      'PUR_PO_MISMATCH',
    );
    // The keeper receives but cannot raise orders; the buyer orders but cannot post receipts.
    await expectRefusal(
      keeper((ctx) =>
        createPurchaseOrder(ctx, {
          orgId: chain.dcId,
          warehouseId: chain.dcWarehouseId,
          supplierId: supplier,
          lines: [{ productId: chain.products.apple, qty: '1' }],
        }),
      ),
      'FORBIDDEN',
    );
    const draft = await keeper((ctx) => createReceipt(ctx, { orgId: chain.dcId, purchaseOrderId: po.id }));
    await expectRefusal(
      buyer((ctx) => transition(ctx, draft.id, 'confirm')),
      'FORBIDDEN',
    );
  });
});

async function getNumber(id: number): Promise<string> {
  const r = await database().db.selectFrom('document').select('number').where('id', '=', id).executeTakeFirstOrThrow();
  return r.number;
}

describe('purchase returns (PUR-3)', () => {
  it('returns at the batch cost of the received line, never more than received minus returned or pending', async () => {
    const po = await dcOrder([{ productId: chain.products.batchDrug, qty: '10', unitPrice: '20' }], supplier2);
    const receipt = await receive(po.id, [
      {
        purchaseOrderLineId: po.lineIds[0] as number,
        productId: chain.products.batchDrug,
        qty: '10',
        lotNo: 'R1',
        expiryDate: '2028-01-31',
      },
    ]);
    const line = receipt.lines[0]?.id as number;
    // A second, cheaper delivery moves the average away from this batch's cost.
    const po2 = await dcOrder([{ productId: chain.products.batchDrug, qty: '10', unitPrice: '10' }], supplier2);
    await receive(po2.id, [
      {
        purchaseOrderLineId: po2.lineIds[0] as number,
        productId: chain.products.batchDrug,
        qty: '10',
        lotNo: 'R2',
        expiryDate: '2028-02-28',
      },
    ]);

    const pending = await keeper((ctx) =>
      createReturn(ctx, { orgId: chain.dcId, reason: '质量问题', lines: [{ receiptLineId: line, qty: '6' }] }),
    );
    expect(pending.partnerId).toBe(supplier2);
    expect(pending.lines[0]).toMatchObject({
      batchNo: receipt.lines[0]?.batchNo,
      lotNo: 'R1',
      unitPrice: '20.0000',
      amount: '120.00',
    });
    // 6 pending: only 4 more may be returned.
    const e = await expectRefusal(
      keeper((ctx) => createReturn(ctx, { orgId: chain.dcId, lines: [{ receiptLineId: line, qty: '5' }] })),
      'PUR_RETURN_EXCEEDS',
    );
    expect(errorMessage(e.code, 'zh-CN', e.params)).toBe('商品 P003 阿莫西林胶囊 退货 5 超过可退数量 4（实收 10，已退及待退 6）');
    const returnable = await keeper((ctx) => returnableLines(ctx, receipt.id));
    expect(returnable[0]).toMatchObject({ receivedQty: '10.000', returnedQty: '6.000', returnableQty: '4.000' });

    const before = await stockOf(chain.dcWarehouseId, chain.products.batchDrug);
    const posted = await keeper((ctx) => transition(ctx, pending.id, 'confirm'));
    expect(posted.status).toBe('posted');
    const out = await database()
      .db.selectFrom('stock_ledger')
      .select(['qty', 'unit_cost', 'batch_no'])
      .where('source_id', '=', pending.id)
      .where('source_type', '=', 'document')
      .executeTakeFirstOrThrow();
    expect(out).toEqual({ qty: '-6.000', unit_cost: '20.0000', batch_no: receipt.lines[0]?.batchNo });
    const after = await stockOf(chain.dcWarehouseId, chain.products.batchDrug);
    expect(after.qty).toBe(before.qty - 6);
    // Once posted, still counted: 5 more is too many, 4 is fine.
    await expectRefusal(
      keeper((ctx) => createReturn(ctx, { orgId: chain.dcId, lines: [{ receiptLineId: line, qty: '5' }] })),
      'PUR_RETURN_EXCEEDS',
    );
    const rest = await keeper(async (ctx) => {
      const d = await createReturn(ctx, { orgId: chain.dcId, lines: [{ receiptLineId: line, qty: '4' }] });
      return transition(ctx, d.id, 'confirm');
    });
    expect(rest.status).toBe('posted');
    const payables = await finance((ctx) =>
      listPurchasePayables(ctx, { page: 1, pageSize: 100, order: 'asc', supplierId: supplier2 }),
    );
    const owed = payables.items.reduce((s, p) => s + Math.round(Number(p.amount) * 100), 0);
    expect(owed).toBe((200 + 100 - 120 - 80) * 100);
    await expectLedgerMatchesBalances(database());
  });

  it('concurrent returns of one received line cannot together exceed it', async () => {
    const po = await dcOrder([{ productId: chain.products.milk, qty: '10', unitPrice: '2' }]);
    const receipt = await receive(po.id);
    const line = receipt.lines[0]?.id as number;
    const results = await Promise.allSettled(
      [0, 1].map(() =>
        keeper(async (ctx) => {
          const d = await createReturn(ctx, { orgId: chain.dcId, lines: [{ receiptLineId: line, qty: '6' }] });
          return transition(ctx, d.id, 'confirm');
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(isDomainError(refused.reason, 'PUR_RETURN_EXCEEDS')).toBe(true);
    await expectLedgerMatchesBalances(database());
  });

  it('a return must reference a posted received line', async () => {
    await expectRefusal(
      admin((ctx) =>
        createDocument(ctx, {
          docType: 'purchase_return',
          orgId: chain.dcId,
          warehouseId: chain.dcWarehouseId,
          partnerId: supplier,
          lines: [{ productId: chain.products.apple, qty: '1', unitPrice: '2' }],
        }),
      ),
      'PUR_RETURN_REF_REQUIRED',
    );
  });
});

describe('store self-purchase (PUR-4)', () => {
  it('only where HQ granted the right; the store cannot grant it to itself', async () => {
    const cmd = {
      orgId: chain.storeA.id,
      warehouseId: chain.storeA.warehouseId,
      supplierId: supplier,
      lines: [{ productId: chain.products.apple, qty: '5', unitPrice: '2' }],
    };
    await expectRefusal(
      storeAdmin((ctx) => createSelfPurchase(ctx, cmd)),
      'PUR_SELF_PURCHASE_NOT_ALLOWED',
    );
    await expectRefusal(
      asUser(database(), chain.users.storeASuper, (ctx) =>
        updatePurchasingSettings(ctx, chain.storeA.id, { selfPurchaseAllowed: true }),
      ),
      'PUR_HQ_ONLY',
    );
    await admin((ctx) => updatePurchasingSettings(ctx, chain.storeA.id, { selfPurchaseAllowed: true }));
    const sp = await storeAdmin((ctx) => createSelfPurchase(ctx, { ...cmd, confirm: true }));
    expect(sp.status).toBe('posted');
  });

  it('saving creates batches, posts stock and acceptance records; a line void reverses its posting unless returned', async () => {
    await admin((ctx) => allowSelfPurchase(ctx, chain.storeA.id));
    const before = await stockOf(chain.storeA.warehouseId, chain.products.batchDrug);
    const sp = await storeAdmin((ctx) =>
      createSelfPurchase(ctx, {
        orgId: chain.storeA.id,
        warehouseId: chain.storeA.warehouseId,
        supplierId: supplier2,
        confirm: true,
        lines: [
          { productId: chain.products.batchDrug, qty: '12', unitPrice: '15', lotNo: 'S-1', expiryDate: '2027-12-31' },
          { productId: chain.products.batchDrug, qty: '8', unitPrice: '16', lotNo: 'S-2', expiryDate: '2027-12-31' },
          { productId: chain.products.milk, qty: '10', unitPrice: '2' },
        ],
      }),
    );
    expect(sp.status).toBe('posted');
    expect(sp.lines.slice(0, 2).map((l) => l.batchNo)).toEqual([`${sp.number}-001`, `${sp.number}-002`]);
    expect((await stockOf(chain.storeA.warehouseId, chain.products.batchDrug)).qty).toBe(before.qty + 20);
    const acc = await storeAdmin((ctx) => listAcceptanceRecords(ctx, { page: 1, pageSize: 50, order: 'asc', q: sp.number }));
    expect(acc.items).toHaveLength(3);

    // A return references line 1: it can no longer be voided.
    const [l1, l2] = sp.lines;
    await storeKeeper(async (ctx) => {
      const r = await createReturn(ctx, { orgId: chain.storeA.id, lines: [{ receiptLineId: l1?.id as number, qty: '2' }] });
      return transition(ctx, r.id, 'confirm');
    });
    await expectRefusal(
      storeAdmin((ctx) => voidSelfPurchaseLines(ctx, sp.id, [l1?.id as number], '录错')),
      'PUR_LINE_HAS_RETURN',
    );
    // The document as a whole cannot be voided after posting; line 2 can, reversing exactly its posting.
    await expectRefusal(
      storeAdmin((ctx) => transition(ctx, sp.id, 'void')),
      'DOC_VOID_POSTED',
    );
    const voided = await storeAdmin((ctx) => voidSelfPurchaseLines(ctx, sp.id, [l2?.id as number], '供应商送错货'));
    expect(voided.status).toBe('posted');
    expect(voided.lines.map((l) => l.status)).toEqual(['active', 'void', 'active']);
    expect(voided.lines[1]?.attrs).toMatchObject({ voidReason: '供应商送错货' });
    expect(voided.totalAmount).toBe('200.00');
    const legs = await database()
      .db.selectFrom('stock_ledger')
      .select(['qty', 'unit_cost', 'batch_no'])
      .where('source_line_id', '=', l2?.id as number)
      .orderBy('id')
      .execute();
    expect(legs).toEqual([
      { qty: '8.000', unit_cost: '16.0000', batch_no: l2?.batchNo },
      { qty: '-8.000', unit_cost: '16.0000', batch_no: l2?.batchNo },
    ]);
    expect((await stockOf(chain.storeA.warehouseId, chain.products.batchDrug)).qty).toBe(before.qty + 20 - 2 - 8);
    const acc2 = await storeAdmin((ctx) => listAcceptanceRecords(ctx, { page: 1, pageSize: 50, order: 'asc', q: sp.number }));
    expect(acc2.items.filter((a) => a.voided)).toHaveLength(1);
    await expectRefusal(
      storeAdmin((ctx) => voidSelfPurchaseLines(ctx, sp.id, [l2?.id as number], '再次')),
      'PUR_LINE_NOT_ACTIVE',
    );
    const audit = await database()
      .db.selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', String(sp.id))
      .where('action', '=', 'self_purchase.void_lines')
      .execute();
    expect(audit).toHaveLength(1);
    await expectLedgerMatchesBalances(database());
  });
});

describe('first-time-operation applications (MD-5)', () => {
  it('a store with the right applies; HQ finance approves and the product is created and linked', async () => {
    await admin((ctx) => allowSelfPurchase(ctx, chain.storeA.id));
    const app = await storeAdmin((ctx) =>
      createFirstOperation(ctx, {
        orgId: chain.storeA.id,
        kind: 'product',
        reason: '顾客指定购买',
        proposal: { code: 'FO-P1', name: '板蓝根颗粒', batchTracked: true, prices: { purchase: '8.5' } },
      }),
    );
    await storeAdmin((ctx) => transition(ctx, app.id, 'submit'));
    // The store cannot decide its own application, whatever its role's grants.
    await expectRefusal(
      storeAdmin((ctx) => decideFirstOperation(ctx, app.id, { decision: 'approve' })),
      'PUR_HQ_ONLY',
    );
    const decided = await finance((ctx) => decideFirstOperation(ctx, app.id, { decision: 'approve', comment: '资质齐全' }));
    expect(decided.status).toBe('confirmed');
    expect(decided.result?.kind).toBe('product');
    const product = await database()
      .db.selectFrom('product')
      .select(['id', 'name', 'batch_tracked'])
      .where('code', '=', 'FO-P1')
      .executeTakeFirstOrThrow();
    expect(decided.result?.productId).toBe(product.id);
    expect(product).toMatchObject({ name: '板蓝根颗粒', batch_tracked: true });
    // Applying again for an existing code is pointless and refused.
    await expectRefusal(
      storeAdmin((ctx) =>
        createFirstOperation(ctx, { orgId: chain.storeA.id, kind: 'product', proposal: { code: 'FO-P1', name: 'x' } }),
      ),
      'PUR_FIRST_OP_EXISTS',
    );
  });

  it('supplier and manufacturer applications; rejection needs a comment; no right, no application', async () => {
    await admin((ctx) => allowSelfPurchase(ctx, chain.storeA.id));
    const sup = await storeAdmin((ctx) =>
      createFirstOperation(ctx, {
        orgId: chain.storeA.id,
        kind: 'supplier',
        proposal: { code: 'FO-S1', name: '本地蔬菜合作社', licenseNo: 'GSP-123' },
      }),
    );
    await storeAdmin((ctx) => transition(ctx, sup.id, 'submit'));
    const done = await finance((ctx) => decideFirstOperation(ctx, sup.id, { decision: 'approve' }));
    const partner = await database()
      .db.selectFrom('partner')
      .select(['id', 'kind', 'license_no'])
      .where('code', '=', 'FO-S1')
      .executeTakeFirstOrThrow();
    expect(done.result?.partnerId).toBe(partner.id);
    expect(partner).toMatchObject({ kind: 'supplier', license_no: 'GSP-123' });
    // The store can now buy from it.
    const sp = await storeAdmin((ctx) =>
      createSelfPurchase(ctx, {
        orgId: chain.storeA.id,
        warehouseId: chain.storeA.warehouseId,
        supplierId: partner.id,
        confirm: true,
        lines: [{ productId: chain.products.apple, qty: '2', unitPrice: '3' }],
      }),
    );
    expect(sp.status).toBe('posted');

    const man = await storeAdmin((ctx) =>
      createFirstOperation(ctx, {
        orgId: chain.storeA.id,
        kind: 'manufacturer',
        proposal: { code: 'FO-M1', name: '某某制药厂' },
      }),
    );
    await storeAdmin((ctx) => transition(ctx, man.id, 'submit'));
    await expectRefusal(
      finance((ctx) => decideFirstOperation(ctx, man.id, { decision: 'reject' })),
      'DOC_REJECT_COMMENT_REQUIRED',
    );
    const rejected = await finance((ctx) => decideFirstOperation(ctx, man.id, { decision: 'reject', comment: '缺少生产许可证' }));
    expect(rejected.status).toBe('rejected');
    expect(rejected.rejectComment).toBe('缺少生产许可证');
    expect(rejected.result).toBeNull();
    // Store B has no self-purchase right.
    await expectRefusal(
      asUser(database(), chain.users.storeBAdmin, (ctx) =>
        createFirstOperation(ctx, { orgId: chain.storeB.id, kind: 'manufacturer', proposal: { code: 'FO-M2', name: '另一厂' } }),
      ),
      'PUR_SELF_PURCHASE_NOT_ALLOWED',
    );
  });

  it('an application confirmed without HQ approval creates nothing', async () => {
    await admin((ctx) =>
      setDocConfig(ctx, { orgId: chain.storeA.id, docType: 'first_operation', needsApproval: false, autoPost: false }),
    );
    try {
      const app = await storeAdmin((ctx) =>
        createFirstOperation(ctx, {
          orgId: chain.storeA.id,
          kind: 'manufacturer',
          proposal: { code: 'FO-M3', name: '自批厂家' },
        }),
      );
      await expectRefusal(
        storeAdmin((ctx) => transition(ctx, app.id, 'confirm')),
        'PUR_HQ_ONLY',
      );
      const made = await database().db.selectFrom('partner').select('id').where('code', '=', 'FO-M3').executeTakeFirst();
      expect(made).toBeUndefined();
    } finally {
      await admin((ctx) =>
        setDocConfig(ctx, { orgId: chain.storeA.id, docType: 'first_operation', needsApproval: true, autoPost: false }),
      );
    }
  });
});

describe('queries and exports', () => {
  it('lists orders with open quantities, purchase details and payables of visible orgs only', async () => {
    const po = await dcOrder([{ productId: chain.products.apple, qty: '7', unitPrice: '2' }]);
    await receive(po.id, [{ purchaseOrderLineId: po.lineIds[0] as number, productId: chain.products.apple, qty: '3' }]);
    const open = await buyer((ctx) => listPurchaseOrders(ctx, { page: 1, pageSize: 100, order: 'asc', openOnly: true }));
    const item = open.items.find((i) => i.id === po.id);
    expect(item).toMatchObject({ orderedQty: '7.000', receivedQty: '3.000', openQty: '4.000', supplierName: '华东食品供应公司' });
    const xlsx = await buyer((ctx) => exportPurchaseOrders(ctx, { openOnly: true }));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    expect(wb.worksheets[0]?.rowCount).toBe(open.total + 1);

    const details = await keeper((ctx) =>
      listPurchaseDetails(ctx, { page: 1, pageSize: 500, order: 'asc', productId: chain.products.batchDrug }),
    );
    expect(details.items.some((d) => d.docType === 'purchase_return' && d.qty.startsWith('-'))).toBe(true);
    // The DC keeper sees the DC only: no store self-purchases.
    expect(details.items.every((d) => d.orgId === chain.dcId)).toBe(true);
    const storeView = await storeAdmin((ctx) => listPurchaseDetails(ctx, { page: 1, pageSize: 500, order: 'asc' }));
    expect(storeView.items.every((d) => d.orgId === chain.storeA.id)).toBe(true);
    expect(storeView.items.length).toBeGreaterThan(0);
    await expectLedgerMatchesBalances(database());
  });
});
