import { beginPayment, callProvider, openShift, recordPaymentOutcome, recordSale, uploadOfflineSales } from '@erp/core';
import { givePrices, pairedTerminal, setPin, signInTill } from '@erp/test-kit';
import { denied, filtered, itemsOf, type ModuleProbes, self } from './probe.js';

/** Store-B ids that are UUIDs travel as numbers in the fixture; this makes them UUIDs again. */
const uuidOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const B_SHIFT = 901;
const B_HELD = 902;
const B_PAYMENT = 903;
const B_PAY_SALE = 904;

/** Scope probes for the pos module's routes. Till routes refuse a session that is not a till's (403) as well. */
export const posProbes: ModuleProbes = {
  setup: async (database, chain) => {
    await givePrices(database, { [chain.products.apple]: '6.00' });
    await setPin(database, chain.users.storeBAdmin, '580417');
    const terminal = await pairedTerminal(database, chain.storeB.id, 'SB-PROBE');
    const till = await signInTill(database, terminal, 'sb_admin', '580417', { float: null });
    await till.run((ctx, a) => openShift(ctx, a, { id: uuidOf(B_SHIFT), float: '100' }));
    const receiptNo = terminal.next();
    const sale = await till.run((ctx, a) =>
      recordSale(ctx, a, {
        clientId: uuidOf(905),
        receiptNo,
        shiftId: uuidOf(B_SHIFT),
        lines: [{ productId: chain.products.apple, qty: '2' }],
        tenders: [{ method: 'cash', amount: '20' }],
      }),
    );
    await till.run((ctx, a) =>
      recordSale(ctx, a, {
        clientId: uuidOf(B_HELD),
        receiptNo: terminal.next(),
        status: 'held',
        lines: [{ productId: chain.products.apple, qty: '1' }],
      }),
    );
    const begun = await till.run((ctx, a) =>
      beginPayment(ctx, a, {
        intentId: uuidOf(B_PAYMENT),
        clientSaleId: uuidOf(B_PAY_SALE),
        amount: '6.00',
        authCode: '134567890123450002',
      }),
    );
    if (begun.call) {
      const outcome = await callProvider(begun.call);
      await till.run((ctx) => recordPaymentOutcome(ctx, uuidOf(B_PAYMENT), outcome));
    }
    const upload = await till.run((ctx, a) =>
      uploadOfflineSales(ctx, a, {
        sales: [
          {
            clientId: uuidOf(906),
            receiptNo: 'NOT-A-RECEIPT-NO',
            soldAt: new Date().toISOString(),
            terminalId: terminal.id,
            cashierId: chain.users.storeBAdmin,
            lines: [{ productId: chain.products.apple, qty: '1', unitPrice: '6.00' }],
            tenders: [{ method: 'cash', amount: '6' }],
          },
        ],
      }),
    );
    const queued = upload.results[0];
    return {
      posTerminalB: terminal.id,
      posSaleB: sale.id,
      posUploadErrorB: queued?.result === 'queued' ? queued.errorId : 0,
      posCashierB: chain.users.storeBAdmin,
    };
  },
  probes: {
    'GET /api/pos/terminals': [
      filtered(
        () => ({}),
        (b, f) => itemsOf(b).some((t) => t.storeId === f.storeB),
      ),
      denied((f) => ({ query: { storeId: f.storeB } })),
    ],
    'POST /api/pos/terminals': [denied((f) => ({ body: { storeId: f.storeB, code: 'HACK-T', name: '越权收银机' } }))],
    'GET /api/pos/terminals/:id': [denied((f) => ({ params: { id: f.m.posTerminalB as number } }))],
    'PATCH /api/pos/terminals/:id': [denied((f) => ({ params: { id: f.m.posTerminalB as number }, body: { active: false } }))],
    'POST /api/pos/terminals/:id/pairing-code': [denied((f) => ({ params: { id: f.m.posTerminalB as number } }))],
    'POST /api/pos/terminal/pair': [self('public; the one-time pairing code is the credential')],
    'POST /api/pos/till/sign-in': [self('public; the terminal token and the till PIN are the credentials')],
    'POST /api/pos/till/sign-out': [self("ends the caller's own till session")],
    'GET /api/pos/till/me': [denied(() => ({}))],
    'POST /api/pos/till/receipt-blocks': [denied(() => ({ body: { size: 100 } }))],
    'GET /api/pos/sync': [denied(() => ({}))],
    'POST /api/pos/till/stock-check': [denied((f) => ({ body: { lines: [{ productId: f.products.apple, qty: '1' }] } }))],
    'POST /api/pos/shifts': [denied(() => ({ body: { id: uuidOf(B_SHIFT), float: '1' } }))],
    'GET /api/pos/shifts/current': [denied(() => ({}))],
    'POST /api/pos/shifts/current/cash-movements': [denied(() => ({ body: { kind: 'paid_out', amount: '1', reason: 'x' } }))],
    'POST /api/pos/shifts/current/handover': [denied(() => ({ body: { deposit: '0' } }))],
    'GET /api/pos/shifts': [
      filtered(
        () => ({}),
        (b, f) => itemsOf(b).some((s) => s.storeId === f.storeB),
      ),
      denied((f) => ({ query: { storeId: f.storeB } })),
    ],
    'GET /api/pos/shifts/:id': [denied(() => ({ params: { id: uuidOf(B_SHIFT) } }))],
    'GET /api/pos/reconciliation': [denied((f) => ({ query: { storeId: f.storeB, from: '2020-01-01', to: '2099-12-31' } }))],
    'POST /api/pos/sales': [
      denied((f) => ({
        body: {
          clientId: uuidOf(B_HELD),
          receiptNo: 'SB-PROBE-00000099',
          shiftId: uuidOf(B_SHIFT),
          lines: [{ productId: f.products.apple, qty: '1' }],
          tenders: [{ method: 'cash', amount: '10' }],
        },
      })),
    ],
    'GET /api/pos/sales/open': [denied(() => ({}))],
    'POST /api/pos/sales/:id/discard': [denied(() => ({ params: { id: uuidOf(B_HELD) } }))],
    'POST /api/pos/sales/cleanup': [denied((f) => ({ body: { storeId: f.storeB, olderThanMinutes: 0 } }))],
    'GET /api/pos/sales/:id': [denied((f) => ({ params: { id: f.m.posSaleB as number } }))],
    'GET /api/pos/sales/:id/receipt': [denied((f) => ({ params: { id: f.m.posSaleB as number } }))],
    'PUT /api/pos/sales/:id/invoice': [
      denied((f) => ({ params: { id: f.m.posSaleB as number }, body: { invoiceNo: 'HACK-1' } })),
    ],
    'POST /api/pos/returns': [
      denied(() => ({
        body: {
          clientId: uuidOf(907),
          receiptNo: 'SB-PROBE-00000098',
          originalReceiptNo: 'SB-PROBE-00000001',
          lines: [{ originalLineId: 1, qty: '1' }],
        },
      })),
    ],
    'POST /api/pos/authorizations': [denied(() => ({ body: { login: 'sb_admin', pin: '580417', purpose: 'discount' } }))],
    'POST /api/pos/payments': [
      denied(() => ({
        body: { intentId: uuidOf(B_PAYMENT), clientSaleId: uuidOf(B_PAY_SALE), amount: '6.00', authCode: '1345678901' },
      })),
    ],
    'GET /api/pos/payments/:id': [denied(() => ({ params: { id: uuidOf(B_PAYMENT) } }))],
    'POST /api/pos/payments/:id/query': [denied(() => ({ params: { id: uuidOf(B_PAYMENT) } }))],
    'POST /api/pos/payments/:id/cancel': [denied(() => ({ params: { id: uuidOf(B_PAYMENT) } }))],
    'POST /api/pos/payments/reconcile': [denied((f) => ({ body: { storeId: f.storeB } }))],
    'POST /api/pos/uploads': [
      denied((f) => ({
        body: {
          sales: [
            {
              clientId: uuidOf(908),
              receiptNo: 'SB-PROBE-00000097',
              soldAt: new Date().toISOString(),
              terminalId: f.m.posTerminalB,
              cashierId: f.m.posCashierB,
              lines: [{ productId: f.products.apple, qty: '1' }],
            },
          ],
        },
      })),
    ],
    'GET /api/pos/upload-errors': [
      filtered(
        () => ({}),
        (b, f) => itemsOf(b).some((e) => e.storeId === f.storeB),
      ),
      denied((f) => ({ query: { storeId: f.storeB } })),
    ],
    'POST /api/pos/upload-errors/defer': [
      denied((f) => ({ body: { storeId: f.storeB, day: new Date().toISOString().slice(0, 10), reason: 'hack it' } })),
    ],
    'GET /api/pos/upload-errors/:id': [denied((f) => ({ params: { id: f.m.posUploadErrorB as number } }))],
    'PUT /api/pos/upload-errors/:id': [
      denied((f) => ({ params: { id: f.m.posUploadErrorB as number }, body: { remarks: 'hack' } })),
    ],
    'POST /api/pos/upload-errors/:id/retry': [denied((f) => ({ params: { id: f.m.posUploadErrorB as number } }))],
    'POST /api/pos/upload-errors/:id/discard': [
      denied((f) => ({ params: { id: f.m.posUploadErrorB as number }, body: { reason: 'hack it' } })),
    ],
    'GET /api/pos/review': [
      filtered(
        () => ({}),
        (b, f) => itemsOf(b).some((s) => s.storeId === f.storeB),
      ),
      denied((f) => ({ query: { storeId: f.storeB } })),
    ],
    'POST /api/pos/review': [denied((f) => ({ body: { saleIds: [f.m.posSaleB] } }))],
    'GET /api/pos/journal': [
      filtered(
        () => ({ query: { pageSize: 500 } }),
        (b, f) => itemsOf(b).some((s) => s.storeId === f.storeB),
      ),
      denied((f) => ({ query: { storeId: f.storeB } })),
    ],
    'GET /api/pos/journal/export': [denied((f) => ({ query: { storeId: f.storeB } }))],
    'GET /api/pos/journal/business-day': [denied((f) => ({ query: { storeId: f.storeB } }))],
    'GET /api/pos/price-tags': [denied((f) => ({ query: { storeId: f.storeB, productIds: String(f.products.apple) } }))],
    'GET /api/pos/days/status': [denied((f) => ({ query: { storeId: f.storeB } }))],
    'POST /api/pos/days/close': [denied((f) => ({ body: { storeId: f.storeB, day: new Date().toISOString().slice(0, 10) } }))],
    'POST /api/pos/days/reopen': [denied((f) => ({ body: { storeId: f.storeB, day: '2020-01-01', reason: 'hack it' } }))],
    'GET /api/pos/days/:storeId/:day/report': [
      denied((f) => ({ params: { storeId: f.storeB, day: new Date().toISOString().slice(0, 10) } })),
    ],
    'GET /api/pos/stores/:id/settings': [denied((f) => ({ params: { id: f.storeB } }))],
    'PUT /api/pos/stores/:id/settings': [
      denied((f) => ({ params: { id: f.storeB }, body: { rounding: { unit: '1', mode: 'down' } } })),
    ],
    'GET /api/pos/stores/:id/cashiers': [denied((f) => ({ params: { id: f.storeB } }))],
    'PUT /api/pos/cashiers/:id': [denied((f) => ({ params: { id: f.m.posCashierB as number }, body: { pin: '135792' } }))],
    'PUT /api/pos/me/pin': [self("sets the caller's own till PIN")],
    'GET /api/pos/discount-limits': [denied((f) => ({ query: { orgId: f.storeB } }))],
    'PUT /api/pos/discount-limits': [denied((f) => ({ body: { orgId: f.storeB, roleId: f.storeBRole, maxDiscountRate: '50' } }))],
  },
};
