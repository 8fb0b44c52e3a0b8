import { randomUUID } from 'node:crypto';
import { asSystem, asUser, checkoutAtTill, saleCommand, usePosFixture } from '@erp/test-kit';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocument, transition } from '../documents/documents.service.js';
import { calendarDay } from '../platform/clock.js';
import type { Ctx } from '../platform/context.js';
import { recordReturn } from '../pos/index.js';
import { exportStockLedger, exportStockMovements } from './inventory.exports.js';
import { getLedgerDetail, type LedgerSource, listStockLedger, listStockMovements } from './stock-query.service.js';

// INV-3: wherever ledger rows are listed, their source is named as people know it — the document number with
// its type, or the till receipt number (sale or return) with the store and day the retail journal filters on.

const { database, chain, pos: f } = usePosFixture();
let lossNumber: string;
let receipt: { id: number; receiptNo: string; businessDay: string };
let returnNo: string;
const today = calendarDay();

beforeAll(async () => {
  const sale = await checkoutAtTill(
    f.till,
    saleCommand(f.till, [{ productId: f.products.apple, qty: '2' }], { tenders: [{ method: 'cash', amount: '10' }] }),
  );
  receipt = { id: sale.id, receiptNo: sale.receiptNo, businessDay: sale.businessDay };
  const line = sale.lines[0];
  if (!line) throw new Error('the sale has no line');
  const back = await f.till.run((ctx, a) =>
    recordReturn(ctx, a, {
      clientId: randomUUID(),
      receiptNo: f.terminal.next(),
      originalReceiptNo: sale.receiptNo,
      shiftId: f.till.shiftId,
      lines: [{ originalLineId: line.id, qty: '1' }],
    }),
  );
  returnNo = back.receiptNo;
  lossNumber = await asSystem(database().db, async (ctx) => {
    const loss = await createDocument(ctx, {
      docType: 'loss',
      orgId: chain.storeA.id,
      warehouseId: chain.storeA.warehouseId,
      lines: [{ productId: f.products.apple, qty: '1' }],
    });
    await transition(ctx, loss.id, 'submit');
    await transition(ctx, loss.id, 'approve');
    await transition(ctx, loss.id, 'confirm');
    return loss.number;
  });
});

const storeA = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), chain.users.storeAAdmin, fn);
const page = { page: 1, pageSize: 100, order: 'asc' as const };

function expectNamed(sources: LedgerSource[]) {
  const byNumber = new Map(sources.map((s) => [s.number, s]));
  expect(byNumber.get(lossNumber)).toMatchObject({ kind: 'document', docType: 'loss', label: { zh: '报损单', en: 'Loss' } });
  expect(byNumber.get(receipt.receiptNo)).toEqual({
    kind: 'pos_sale',
    number: receipt.receiptNo,
    label: { zh: '零售销售', en: 'Retail sale' },
    documentId: null,
    docType: null,
    storeId: chain.storeA.id,
    businessDay: receipt.businessDay,
  });
  expect(byNumber.get(returnNo)).toMatchObject({ kind: 'pos_sale', label: { zh: '零售退货', en: 'Retail return' } });
  const inbound = sources.find((s) => s.docType === 'other_inbound');
  expect(inbound).toMatchObject({ kind: 'document', label: { zh: '其他入库单', en: 'Other inbound' } });
  expect(inbound?.number).toMatch(/^OI/);
  // Every row is named: no internal id, no type code.
  expect(sources.every((s) => s.kind !== 'other' && s.number)).toBe(true);
}

async function sheetText(buf: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const out: string[] = [];
  wb.worksheets[0]?.eachRow((r) => {
    out.push((r.values as unknown[]).slice(1).join('\t'));
  });
  return out.join('\n');
}

describe('ledger rows name their source (INV-3)', () => {
  it('the ledger, the ledger detail and the movements carry the document or receipt number and a localized type', async () => {
    const ledger = await storeA((ctx) => listStockLedger(ctx, { ...page, productId: f.products.apple }));
    expect(ledger.items).toHaveLength(4);
    expectNamed(ledger.items.map((r) => r.source));

    const detail = await storeA((ctx) =>
      getLedgerDetail(ctx, { ...page, from: today, to: today, productId: f.products.apple, pageSize: 20 }),
    );
    expectNamed(detail.items.flatMap((g) => g.entries.map((e) => e.source)));

    const moves = await storeA((ctx) => listStockMovements(ctx, { ...page, from: today, to: today, sourceType: 'all' }));
    expectNamed(moves.items.map((r) => r.source));
    // A receipt number finds its rows, as a document number does.
    const found = await storeA((ctx) =>
      listStockMovements(ctx, { ...page, from: today, to: today, sourceType: 'all', q: receipt.receiptNo }),
    );
    expect(found.items.map((r) => [r.source.number, r.direction, r.qty])).toEqual([[receipt.receiptNo, 'out', '2.000']]);
  });

  it('exports show the type and number in the user’s language, never a type code or an id', async () => {
    const zh = await sheetText((await storeA((ctx) => exportStockLedger(ctx, { ...page }))).content);
    expect(zh).toContain(`零售销售 ${receipt.receiptNo}`);
    expect(zh).toContain(`报损单 ${lossNumber}`);
    expect(zh).not.toMatch(/pos_sale|document \d/);
    const en = await sheetText(
      (
        await storeA((ctx) => {
          ctx.locale = 'en';
          return exportStockMovements(ctx, { ...page, from: today, to: today, sourceType: 'all' });
        })
      ).content,
    );
    expect(en).toContain(`Retail return\t${returnNo}`);
    expect(en).toContain(`Loss\t${lossNumber}`);
  });
});
