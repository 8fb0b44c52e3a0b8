import { randomUUID } from 'node:crypto';
import { asSystem, asUser, expectLedgerMatchesBalances, expectRefusal, pairedTerminal, usePosFixture } from '@erp/test-kit';
import { describe, expect, it } from 'vitest';
import { addDays, calendarDay } from '../platform/clock.js';
import { updateCashierSettings } from './settings.service.js';
import {
  discardUploadError,
  editUploadError,
  getUploadError,
  listUploadErrors,
  retryUploadError,
  uploadOfflineSales,
} from './upload.service.js';

const { database, chain, pos: f } = usePosFixture();
const today = calendarDay();

type Sale = Parameters<typeof uploadOfflineSales>[2]['sales'][number];
const upload = (sales: Sale[], shifts: Parameters<typeof uploadOfflineSales>[2]['shifts'] = []) =>
  f.till.run((ctx, a) => uploadOfflineSales(ctx, a, { sales, shifts }));
const offline = (extra: Partial<Sale> = {}): Sale => ({
  clientId: randomUUID(),
  receiptNo: f.terminal.next(),
  soldAt: new Date(Date.now() - 3_600_000).toISOString(),
  terminalId: f.terminal.id,
  cashierId: chain.users.storeACashier,
  shiftId: f.till.shiftId,
  lines: [{ productId: f.products.apple, qty: '1', unitPrice: '5.00' }],
  tenders: [{ method: 'cash', amount: '5' }],
  ...extra,
});
const countSales = async (clientIds: string[]) =>
  (await database().db.selectFrom('pos_sale').select('id').where('client_id', 'in', clientIds).execute()).length;
const manager = <T>(fn: Parameters<typeof asUser<T>>[2]) => asUser(database(), chain.users.storeAAdmin, fn);

describe('offline upload (POS-9)', () => {
  it('the same outbox uploaded twice: each sale once, stock moved once', async () => {
    const outbox = [
      offline(),
      offline({
        lines: [{ productId: f.products.milk, qty: '2', unitPrice: '3.50' }],
        tenders: [{ method: 'cash', amount: '10' }],
      }),
      offline(),
    ];
    const first = await upload(outbox);
    expect(first).toMatchObject({ accepted: 3, duplicate: 0, queued: 0 });
    const ledgerAfterFirst = await database()
      .db.selectFrom('stock_ledger')
      .select('id')
      .where('source_type', '=', 'pos_sale')
      .execute();
    const second = await upload(outbox);
    expect(second).toMatchObject({ accepted: 0, duplicate: 3, queued: 0 });
    expect(second.results.map((r) => r.result === 'duplicate' && r.saleId)).toEqual(
      first.results.map((r) => r.result === 'accepted' && r.saleId),
    );
    expect(await countSales(outbox.map((s) => s.clientId))).toBe(3);
    const ledgerAfterSecond = await database()
      .db.selectFrom('stock_ledger')
      .select('id')
      .where('source_type', '=', 'pos_sale')
      .execute();
    expect(ledgerAfterSecond.length).toBe(ledgerAfterFirst.length);
    // the same sale twice in one batch is also one sale
    const dup = offline();
    const twice = await upload([dup, dup]);
    expect(twice.results.map((r) => r.result)).toEqual(['accepted', 'accepted']);
    expect(await countSales([dup.clientId])).toBe(1);
    await expectLedgerMatchesBalances(database());
  });

  it('a client id reused for another sale is queued with POS_CLIENT_ID_REUSED; the first sale stays as it was', async () => {
    const sale = offline();
    const first = await upload([sale]);
    expect(first.results[0]).toMatchObject({ result: 'accepted', late: false });
    const other = { ...sale, lines: [{ productId: f.products.milk, qty: '3', unitPrice: '3.50' }] };
    const reused = await upload([other]);
    expect(reused.results[0]).toMatchObject({ result: 'queued', error: { code: 'POS_CLIENT_ID_REUSED' } });
    const replay = await upload([sale]);
    expect(replay.results[0]).toMatchObject({
      result: 'duplicate',
      saleId: first.results[0]?.result === 'accepted' ? first.results[0].saleId : -1,
    });
    const lines = await database()
      .db.selectFrom('pos_sale_line as l')
      .innerJoin('pos_sale as s', 's.id', 'l.sale_id')
      .select(['l.product_id', 'l.qty'])
      .where('s.client_id', '=', sale.clientId)
      .execute();
    expect(lines).toEqual([{ product_id: f.products.apple, qty: '1.000' }]);

    // A sale waiting in the queue: sent again it is applied as the queue holds it (a supervisor's fix wins);
    // another body under its id does not overwrite it.
    const queued = offline({ receiptNo: 'SA-T1-99999998' });
    const q1 = await upload([queued]);
    const errorId = q1.results[0]?.result === 'queued' ? q1.results[0].errorId : -1;
    await manager((ctx) => editUploadError(ctx, errorId, { remarks: '主管已核对' }));
    const q2 = await upload([{ ...queued, remarks: '收银机上的另一笔' }]);
    expect(q2.results[0]).toMatchObject({ result: 'queued', errorId, error: { code: 'POS_CLIENT_ID_REUSED' } });
    const q3 = await upload([queued]);
    expect(q3.results[0]).toMatchObject({ result: 'queued', errorId, error: { code: 'POS_RECEIPT_OUT_OF_RANGE' } });
    const row = await manager((ctx) => getUploadError(ctx, errorId));
    expect(row.payload.remarks).toBe('主管已核对');
    expect(row.attempts).toBe(3);
  });

  it('business day: the day it was made if still open; else the open day; never a future day', async () => {
    const yesterday = offline({ soldAt: `${addDays(today, -1)}T20:00:00+08:00` });
    const future = offline({ soldAt: `${addDays(today, 3)}T09:00:00+08:00` });
    const r = await upload([yesterday, future]);
    expect(r.results.map((x) => x.result === 'accepted' && x.businessDay)).toEqual([addDays(today, -1), today]);
    const sale = await database()
      .db.selectFrom('pos_sale')
      .select(['sold_at', 'offline'])
      .where('client_id', '=', yesterday.clientId)
      .executeTakeFirstOrThrow();
    expect(sale.offline).toBe(true);
    expect(sale.sold_at.toISOString()).toBe(new Date(`${addDays(today, -1)}T20:00:00+08:00`).toISOString());
  });

  it('offline prices are the till’s (the customer paid them); a difference to master data is flagged', async () => {
    const s = offline({
      lines: [{ productId: f.products.apple, qty: '2', unitPrice: '4.80' }],
      tenders: [{ method: 'cash', amount: '10' }],
    });
    await upload([s]);
    const row = await database()
      .db.selectFrom('pos_sale')
      .select(['id', 'total', 'price_variance'])
      .where('client_id', '=', s.clientId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ total: '9.60', price_variance: true });
    const line = await database()
      .db.selectFrom('pos_sale_line')
      .select(['base_price', 'list_price'])
      .where('sale_id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(line).toEqual({ base_price: '4.8000', list_price: '5.0000' });
  });

  it('a sale the server cannot apply goes to the error queue with its reason; the others land; nothing is dropped', async () => {
    const good = offline();
    // (Short stock is no reason: a paid sale is booked as stock debt. A mobile tender with no payment is.)
    const tooMuch = offline({
      lines: [{ productId: f.products.milk, qty: '9', unitPrice: '3.50' }],
      tenders: [{ method: 'mobile', amount: '31.50' }],
    });
    const badReceipt = offline({ receiptNo: 'SA-T1-99999999' });
    const otherTill = await pairedTerminal(database(), chain.storeA.id, 'SA-T2');
    const wrongTill = offline({ terminalId: otherTill.id });
    const r = await upload([good, tooMuch, badReceipt, wrongTill]);
    expect(r.results.map((x) => x.result)).toEqual(['accepted', 'queued', 'queued', 'queued']);
    const codes = r.results.map((x) => (x.result === 'queued' ? x.error.code : null));
    expect(codes).toEqual([null, 'POS_TENDER_INVALID', 'POS_RECEIPT_OUT_OF_RANGE', 'POS_WRONG_TERMINAL']);
    const q1 = r.results[1];
    if (q1?.result !== 'queued') throw new Error('not queued');
    expect(q1.error.messages['zh-CN']).toContain('付款方式有误');
    const list = await manager((ctx) =>
      listUploadErrors(ctx, { storeId: chain.storeA.id, status: 'open', page: 1, pageSize: 50 }),
    );
    expect(list.items.map((e) => e.clientId)).toEqual(
      expect.arrayContaining([tooMuch.clientId, badReceipt.clientId, wrongTill.clientId]),
    );
    expect(await countSales([good.clientId, tooMuch.clientId, badReceipt.clientId])).toBe(1);

    // uploading the same outbox again keeps them queued (once each) and counts the attempt
    const again = await upload([good, tooMuch]);
    expect(again.results.map((x) => x.result)).toEqual(['duplicate', 'queued']);
    const err = await manager((ctx) => getUploadError(ctx, q1.errorId));
    expect(err.attempts).toBe(2);

    // a supervisor corrects the tender and retries: it lands, the error is resolved
    const edited = await manager((ctx) =>
      editUploadError(ctx, q1.errorId, {
        lines: [{ productId: f.products.milk, qty: '9', unitPrice: '3.50' }],
        tenders: [{ method: 'cash', amount: '31.50' }],
      }),
    );
    expect(edited.payload.lines[0]?.qty).toBe('9');
    const retried = await manager((ctx) => retryUploadError(ctx, q1.errorId));
    expect(retried.result.result).toBe('accepted');
    expect(retried.error).toMatchObject({ status: 'resolved' });
    expect(retried.error.saleId).toBeGreaterThan(0);
    const audit = await database()
      .db.selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'pos_upload_error')
      .where('entity_id', '=', String(q1.errorId))
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['pos.upload_error_edited', 'pos.upload_error_retried']);

    // giving up takes a reason and is recorded
    const q2 = r.results[2];
    if (q2?.result !== 'queued') throw new Error('not queued');
    await expectRefusal(
      manager((ctx) => discardUploadError(ctx, q2.errorId, '')),
      'POS_REASON_REQUIRED',
    );
    const gone = await manager((ctx) => discardUploadError(ctx, q2.errorId, '重复录入，已在后台补单'));
    expect(gone).toMatchObject({ status: 'discarded', resolution: '重复录入，已在后台补单' });
    await expectRefusal(
      manager((ctx) => retryUploadError(ctx, q2.errorId)),
      'POS_UPLOAD_ERROR_STATE',
    );
    await expectLedgerMatchesBalances(database());
  });

  it('a discount beyond the limit needs an authorisation; one the till checked offline is accepted and audited', async () => {
    await asSystem(database().db, (ctx) => updateCashierSettings(ctx, chain.users.storeAAdmin, { maxDiscountRate: '50' }));
    const lines = [
      { productId: f.products.apple, qty: '2', unitPrice: '5.00', discount: { kind: 'percent' as const, value: '30' } },
    ];
    const plain = offline({ lines, tenders: [{ method: 'cash', amount: '7' }] });
    const authorised = offline({
      lines,
      tenders: [{ method: 'cash', amount: '7' }],
      offlineAuthorization: { supervisorId: chain.users.storeAAdmin, purpose: 'discount', at: new Date().toISOString() },
    });
    const byCashier = offline({
      lines,
      tenders: [{ method: 'cash', amount: '7' }],
      offlineAuthorization: { supervisorId: chain.users.storeACashier, purpose: 'discount', at: new Date().toISOString() },
    });
    const r = await upload([plain, authorised, byCashier]);
    expect(r.results.map((x) => (x.result === 'queued' ? x.error.code : x.result))).toEqual([
      'POS_DISCOUNT_BEYOND_LIMIT',
      'accepted',
      'POS_NOT_A_SUPERVISOR',
    ]);
    const auth = await database()
      .db.selectFrom('pos_authorization')
      .selectAll()
      .where('client_sale_id', '=', authorised.clientId)
      .executeTakeFirstOrThrow();
    expect(auth).toMatchObject({ offline: true, supervisor_id: chain.users.storeAAdmin, purpose: 'discount' });
    expect(auth.used_by_sale_id).not.toBeNull();
    const audit = await database()
      .db.selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'pos_authorization')
      .where('entity_id', '=', auth.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['pos.authorization_offline']);
  });

  it('shifts opened offline upload with their sales; an unknown shift sends the sale to the queue', async () => {
    const shiftId = randomUUID();
    await f.till.run(async (ctx) => {
      await ctx.db.updateTable('pos_shift').set({ status: 'handed_over' }).where('id', '=', f.till.shiftId).execute();
    });
    const s = offline({ shiftId });
    const unknown = offline({ shiftId: randomUUID() });
    const r = await upload(
      [s, unknown],
      [{ id: shiftId, float: '100', openedAt: new Date(Date.now() - 7_200_000).toISOString() }],
    );
    expect(r.shiftsCreated).toBe(1);
    expect(r.results.map((x) => x.result)).toEqual(['accepted', 'queued']);
    const shift = await database().db.selectFrom('pos_shift').selectAll().where('id', '=', shiftId).executeTakeFirstOrThrow();
    expect(shift).toMatchObject({ offline: true, float_amount: '100.00', cashier_id: chain.users.storeACashier });
  });
});
