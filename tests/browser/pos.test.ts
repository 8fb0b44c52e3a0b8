import { buildScaleBarcode, dec, withCheckDigit } from '@erp/contracts';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, apiAs, type Browser, expectNoConsoleErrors, openBrowser, screenshot, screenshotOnFailure } from './browser';

// The till end to end (POS-1…10): pairing, sign-in, shift, wedge-scanner sales paid cash + card, receipt;
// then offline: sales into the outbox, a reload while offline (service worker), an offline sign-in, more
// sales; the network returns, the outbox uploads; the server holds exactly these sales, the stock ledger
// matches its balances, a return, the hand-over, and the day closes.

const CASHIER_PIN = '246810';
const MANAGER_PIN = '135790';

const ean = (body12: string) => withCheckDigit(body12);
const stamp = Date.now().toString().slice(-6);
const products = [
  { code: `PT${stamp}1`, name: '农夫山泉饮用天然水 550ml', barcode: ean(`692${stamp}001`), price: '2.00' },
  { code: `PT${stamp}2`, name: '伊利纯牛奶 250ml', barcode: ean(`692${stamp}002`), price: '3.50' },
  { code: `PT${stamp}3`, name: '康师傅红烧牛肉面 105g', barcode: ean(`692${stamp}003`), price: '4.50' },
];
const apple = { code: `PT${stamp}4`, name: '红富士苹果（称重）', scaleCode: `9${stamp.slice(-4)}`, price: '12.80' };

async function scan(page: Page, code: string): Promise<void> {
  const input = page.getByTestId('scan-input');
  const before = await page.getByTestId('total-gross').textContent();
  // A keyboard-wedge scanner: the digits in a fast burst, then Enter.
  await input.pressSequentially(code, { delay: 4 });
  await input.press('Enter');
  // The line is in when the gross total moved.
  await expect.poll(() => page.getByTestId('total-gross').textContent(), { timeout: 5000 }).not.toBe(before);
}

/** A sale as the till completed it: its receipt number, amount due, whether the till was offline, and the goods. */
interface Issued {
  receiptNo: string;
  total: string;
  offline: boolean;
  goods: Record<string, string>;
}

async function due(page: Page): Promise<string> {
  return ((await page.getByTestId('total-due').textContent()) ?? '').replace('¥', '');
}

async function doneReceipt(page: Page): Promise<string> {
  return ((await page.getByTestId('done-receipt').textContent()) ?? '').trim();
}

async function payCash(page: Page, tendered?: string): Promise<string> {
  await page.keyboard.press('F12');
  const dialog = page.getByTestId('pay-dialog');
  await dialog.waitFor();
  if (tendered) await page.getByTestId('pay-amount').fill(tendered);
  await page.getByTestId('pay-amount').press('Enter');
  await dialog.waitFor({ state: 'detached' }).catch(async (e) => {
    await screenshot(page, 'pos-debug-pay');
    throw new Error(`${e}\n${await dialog.textContent().catch(() => '')}`);
  });
  await page.getByTestId('sale-done').waitFor();
  return doneReceipt(page);
}

async function unsynced(page: Page): Promise<number> {
  return Number(await page.getByTestId('unsynced').getAttribute('data-count'));
}

describe('the till (POS)', () => {
  let b: Browser;
  screenshotOnFailure(() => b);
  let admin: Api;
  let manager: Api;
  let storeId: number;
  let pairingCode: string;
  let today: string;
  let warehouseId: number;
  const productIds = new Map<string, number>();
  /** Every sale the till completed, in order: what the server must hold, no more, no fewer. */
  const issued: Issued[] = [];
  const sell = async (page: Page, goods: Record<string, string>, offline: boolean, tendered?: string) => {
    const total = await due(page);
    const receiptNo = await payCash(page, tendered);
    issued.push({ receiptNo, total, offline, goods });
    return receiptNo;
  };

  beforeAll(async () => {
    b = await openBrowser({ baseUrl: process.env.POS_BASE_URL });
    if (process.env.POS_TEST_DEBUG) b.page.on('console', (m) => console.log('[page]', m.type(), m.text()));
    admin = await apiAs(b.baseUrl, 'admin');
    manager = await apiAs(b.baseUrl, 's001_mgr');
    const orgs = await admin.get<{ id: number; code: string }[]>('/api/orgs');
    storeId = orgs.find((o) => o.code === 'S001')!.id;
    const warehouses = await admin.get<
      { id: number; orgId: number; isDefault: boolean }[] | { items: { id: number; orgId: number; isDefault: boolean }[] }
    >(`/api/warehouses?orgId=${storeId}`);
    const whList = Array.isArray(warehouses) ? warehouses : warehouses.items;
    warehouseId = (whList.find((w) => w.orgId === storeId && w.isDefault) ?? whList.find((w) => w.orgId === storeId))!.id;
    // Master data through the product's own API: barcodes, retail prices, a weighed product with a scale code.
    const ids: number[] = [];
    for (const p of products) {
      const r = await admin.send<{ id: number }>('POST', '/api/products', {
        code: p.code,
        name: p.name,
        barcodes: [{ barcode: p.barcode, isPrimary: true }],
        prices: { retail: p.price },
      });
      ids.push(r.id);
      productIds.set(p.code, r.id);
    }
    const a = await admin.send<{ id: number }>('POST', '/api/products', {
      code: apple.code,
      name: apple.name,
      weighed: true,
      scaleCode: apple.scaleCode,
      prices: { retail: apple.price },
    });
    ids.push(a.id);
    productIds.set(apple.code, a.id);
    // Opening stock at the store through a real inbound document (the store forbids negative stock).
    const doc = await admin.send<{ id: number }>('POST', '/api/documents', {
      docType: 'other_inbound',
      orgId: storeId,
      warehouseId,
      remarks: 'till test stock',
      lines: ids.map((productId) => ({ productId, qty: '100', unitPrice: '1.00' })),
    });
    await admin.send('POST', `/api/documents/${doc.id}/transitions`, { action: 'confirm' });
    const { status } = await admin.get<{ status: string }>(`/api/documents/${doc.id}`);
    if (status !== 'posted' && status !== 'completed')
      await admin.send('POST', `/api/documents/${doc.id}/transitions`, { action: 'post' });
    // The till and the PINs (收银密码) of the cashier and the supervisor.
    const terminal = await manager.send<{ pairingCode: string }>('POST', '/api/pos/terminals', {
      storeId,
      code: `T${stamp}`,
      name: '1 号收银台',
    });
    pairingCode = terminal.pairingCode;
    today = (await manager.get<{ today: string }>(`/api/pos/days/status?storeId=${storeId}`)).today;
    const cashiers = await manager.get<{ userId: number; login: string }[]>(`/api/pos/stores/${storeId}/cashiers`);
    const cashierId = cashiers.find((c) => c.login === 's001_cash')!.userId;
    const managerId = cashiers.find((c) => c.login === 's001_mgr')!.userId;
    await manager.send('PUT', `/api/pos/cashiers/${cashierId}`, { pin: CASHIER_PIN });
    await manager.send('PUT', `/api/pos/cashiers/${managerId}`, { pin: MANAGER_PIN });
    // Headless Chromium must not open a print dialog: count the prints instead.
    await b.context.addInitScript(() => {
      const w = window as unknown as { __printed: number; print: () => void };
      w.__printed = 0;
      w.print = () => {
        w.__printed += 1;
      };
    });
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  it('pairs the till, signs the cashier in, opens a shift', async () => {
    const { page } = b;
    await page.goto('/pos/');
    await page.getByTestId('pair-code').waitFor();
    await screenshot(page, 'pos-01-pair');
    await page.getByTestId('pair-code').fill(pairingCode);
    await page.getByTestId('pair-submit').click();
    await page.getByTestId('signin-login').waitFor();
    await page.getByTestId('signin-login').fill('s001_cash');
    await page.getByTestId('signin-pin').fill(CASHIER_PIN);
    await screenshot(page, 'pos-02-signin');
    await page.getByTestId('signin-pin').press('Enter');
    await page.getByTestId('shift-float').waitFor({ timeout: 60_000 });
    await page.getByTestId('shift-float').fill('500');
    await screenshot(page, 'pos-03-shift');
    await page.getByTestId('shift-float').press('Enter');
    await page.getByTestId('scan-input').waitFor();
    await expect(page.getByTestId('till-cashier').textContent()).resolves.toContain('人民路店收银员');
  });

  it('sells 3 items scanned like a wedge scanner, paid by card and cash, and prints the receipt', async () => {
    const { page } = b;
    for (const p of products) await scan(page, p.barcode);
    await expect(page.getByTestId('cart-line').count()).resolves.toBe(3);
    await expect(page.getByTestId('total-due').textContent()).resolves.toBe('¥10.00');
    await screenshot(page, 'pos-04-three-lines');
    await page.keyboard.press('F12');
    await page.getByTestId('pay-dialog').waitFor();
    await page.keyboard.press('F3'); // bank card
    await page.getByTestId('pay-amount').fill('6.00');
    await page.getByTestId('pay-reference').fill('6222');
    await page.getByTestId('pay-amount').press('Enter');
    await expect(page.getByTestId('pay-remaining').textContent()).resolves.toBe('¥4.00');
    await page.keyboard.press('F2'); // cash
    await page.getByTestId('pay-amount').fill('10');
    await screenshot(page, 'pos-05-pay-card-cash');
    await page.getByTestId('pay-amount').press('Enter');
    await page.getByTestId('sale-done').waitFor();
    issued.push({
      receiptNo: await doneReceipt(page),
      total: '10.00',
      offline: false,
      goods: { [products[0]!.code]: '1', [products[1]!.code]: '1', [products[2]!.code]: '1' },
    });
    expect(issued[0]!.receiptNo).toBe(`T${stamp}-00000001`);
    await expect(page.getByTestId('done-change').textContent()).resolves.toBe('¥6.00');
    await expect.poll(() => page.evaluate(() => (window as unknown as { __printed: number }).__printed)).toBe(1);
    await expect(page.getByTestId('receipt').textContent()).resolves.toContain('找零 Change');
    await page.getByTestId('receipt-qr').waitFor({ state: 'attached' });
    await screenshot(page, 'pos-06-sale-done');
    // What goes to the paper: the print stylesheet shows the receipt alone at its width.
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({
      path: 'test-results/pos-07-receipt-print.png',
      fullPage: false,
      clip: { x: 0, y: 0, width: 420, height: 760 },
    });
    await page.emulateMedia({ media: 'screen' });
    await expect.poll(() => unsynced(page), { timeout: 15_000 }).toBe(0);
  });

  it('sells a weighed label and a quantity entry online', async () => {
    const { page } = b;
    const label = buildScaleBarcode(
      { prefix: '21', itemCodeLength: 5, valueLength: 5, valueKind: 'weight', decimals: 3 },
      apple.scaleCode,
      '0.456',
    );
    await scan(page, label);
    await expect(page.getByTestId('line-qty').first().textContent()).resolves.toContain('0.456');
    // 0.456 kg × 12.80 = 5.84; the store rounds the payable amount down to 0.1 yuan (抹零) when it has a rule.
    await expect(page.getByTestId('total-gross').textContent()).resolves.toBe('¥5.84');
    const rounds = (await page.getByTestId('total-due').textContent()) === '¥5.80';
    await scan(page, products[0]!.barcode);
    await expect(page.getByTestId('total-due').textContent()).resolves.toBe(rounds ? '¥7.80' : '¥7.84');
    await sell(page, { [apple.code]: '0.456', [products[0]!.code]: '1' }, false);
    await scan(page, `3*${products[1]!.barcode}`);
    await expect(page.getByTestId('line-qty').first().textContent()).resolves.toContain('3');
    await sell(page, { [products[1]!.code]: '3' }, false, '20');
    await expect(page.getByTestId('done-change').textContent()).resolves.toBe('¥9.50');
    await expect.poll(() => unsynced(page), { timeout: 15_000 }).toBe(0);
  });

  it('keeps selling offline, through a reload and an offline sign-in, and uploads when the network returns', async () => {
    const { page, context } = b;
    // The service worker has the shell and its assets before the network goes.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await expect
      .poll(() => page.evaluate(async () => (await caches.open('erp-till-v1')).keys().then((k) => k.length)), { timeout: 15_000 })
      .toBeGreaterThanOrEqual(3);

    await context.setOffline(true);
    await expect.poll(() => page.getByTestId('net-state').getAttribute('data-online')).toBe('false');
    for (let i = 0; i < 5; i++) {
      const [x, y] = [products[i % 3]!, products[(i + 1) % 3]!];
      await scan(page, x.barcode);
      await scan(page, y.barcode);
      await sell(page, { [x.code]: '1', [y.code]: '1' }, true);
      await expect.poll(() => unsynced(page)).toBe(i + 1);
    }
    await screenshot(page, 'pos-08-offline-five-sales');

    // Reload while offline: the beforeunload warning names the unsynced sales; the service worker serves the shell.
    const dialogs: string[] = [];
    page.once('dialog', (d) => {
      dialogs.push(d.type());
      void d.accept();
    });
    await page.reload();
    await page.getByTestId('scan-input').waitFor({ timeout: 30_000 });
    expect(dialogs).toEqual(['beforeunload']);
    await expect(unsynced(page)).resolves.toBe(5);

    // A new cashier session while offline: the PIN is checked on the till against the synced verifier.
    await page.keyboard.press('Control+q');
    await page.getByTestId('signin-login').waitFor();
    await page.getByTestId('signin-login').fill('s001_cash');
    await page.getByTestId('signin-pin').fill('000000');
    await page.getByTestId('signin-pin').press('Enter');
    await page.getByTestId('signin-error').waitFor();
    await page.getByTestId('signin-pin').fill(CASHIER_PIN);
    await page.getByTestId('signin-pin').press('Enter');
    await page.getByTestId('scan-input').waitFor();
    await expect(page.getByTestId('till-cashier').textContent()).resolves.toContain('脱机');

    await scan(page, products[2]!.barcode);
    await sell(page, { [products[2]!.code]: '1' }, true, '5');
    await expect.poll(() => unsynced(page)).toBe(6);
    await screenshot(page, 'pos-09-offline-after-reload');

    await context.setOffline(false);
    await expect.poll(() => unsynced(page), { timeout: 30_000 }).toBe(0);
    await screenshot(page, 'pos-10-uploaded');
  });

  /** The store's stock of each test product, from the balances the ledger keeps. */
  const stockOf = async (): Promise<Record<string, string>> => {
    const out: Record<string, string> = {};
    for (const [code, productId] of productIds) {
      const r = await admin.get<{ items: { qty: string }[] }>(
        `/api/stock/balances?warehouseId=${warehouseId}&productId=${productId}&includeZero=true&pageSize=50`,
      );
      out[code] = dec(r.items.reduce((sum, x) => sum.plus(x.qty), dec(0))).toFixed(3);
    }
    return out;
  };
  const expectedStock = (returned: Record<string, string> = {}): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const code of productIds.keys()) {
      const sold = issued.reduce((sum, s) => sum.plus(s.goods[code] ?? '0'), dec(0));
      out[code] = dec(100)
        .minus(sold)
        .plus(returned[code] ?? '0')
        .toFixed(3);
    }
    return out;
  };

  it('the server holds exactly the 9 sales the till made (3 online + 5 offline + 1 after the reload), once each', async () => {
    expect(issued.map((s) => s.offline)).toEqual([false, false, false, true, true, true, true, true, true]);
    const journal = await manager.get<{ total: number; items: { offline: boolean; total: string; receiptNo: string }[] }>(
      `/api/pos/journal?storeId=${storeId}&kind=sale&from=${today}&to=${today}&pageSize=100`,
    );
    const mine = journal.items
      .filter((s) => s.receiptNo.startsWith(`T${stamp}-`))
      .map((s) => ({ receiptNo: s.receiptNo, total: s.total, offline: s.offline }))
      .sort((a, b) => a.receiptNo.localeCompare(b.receiptNo));
    // Exactly the receipts the till printed, with their amounts and offline marks: nothing lost, nothing twice.
    expect(mine).toEqual(issued.map(({ receiptNo, total, offline }) => ({ receiptNo, total, offline })));
    expect(mine.map((s) => s.receiptNo)).toEqual(
      Array.from({ length: 9 }, (_, i) => `T${stamp}-${String(i + 1).padStart(8, '0')}`),
    );
    // The stock left at the store is the opening 100 minus what these sales took (the weighed 0.456 kg too).
    await expect(stockOf()).resolves.toEqual(expectedStock());
    const recalc = await admin.send<{ differences: unknown[]; costDifferences: unknown[] }>('POST', '/api/stock/recalculate', {});
    expect(recalc.differences).toEqual([]);
    expect(recalc.costDifferences).toEqual([]);
  });

  it('takes a return from a receipt number, hands the shift over, and the day closes', async () => {
    const { page } = b;
    const journal = await manager.get<{ items: { receiptNo: string; total: string }[] }>(
      `/api/pos/journal?storeId=${storeId}&kind=sale&status=formal&pageSize=100&sort=receiptNo&order=asc`,
    );
    const third = journal.items.find((s) => s.receiptNo === issued[2]!.receiptNo)!;
    expect(third.total).toBe('10.50');
    await page.keyboard.press('F9');
    await page.getByTestId('return-receipt').fill(third.receiptNo);
    await page.getByTestId('return-receipt').press('Enter');
    await page.getByTestId('return-qty').first().fill('1');
    await screenshot(page, 'pos-11-return');
    await page.getByTestId('return-submit').click();
    await page.getByTestId('return-dialog').waitFor({ state: 'detached' });
    await expect(page.getByTestId('done-change').textContent()).resolves.toBe('¥3.50');
    // The returned milk is back on the shelf.
    await expect(stockOf()).resolves.toEqual(expectedStock({ [products[1]!.code]: '1' }));

    await page.getByTestId('key-handover').click();
    await page.getByTestId('handover-expected').waitFor();
    // Expected cash = the float + the cash part of every sale (the first sale's card part is not cash) − the refund.
    const cashIn = issued.slice(1).reduce((sum, s) => sum.plus(s.total), dec('4.00'));
    const expectedCash = dec(500).plus(cashIn).minus('3.50').toFixed(2);
    await expect(page.getByTestId('handover-expected').textContent()).resolves.toContain(expectedCash);
    await page.getByTestId('handover-deposit').fill(dec(expectedCash).minus('16.80').toFixed(2));
    await screenshot(page, 'pos-12-handover');
    await page.getByTestId('handover-submit').click();
    await page
      .getByTestId('handover-summary')
      .waitFor()
      .catch(async (e) => {
        await screenshot(page, 'pos-debug-handover');
        throw new Error(
          `${e}\n${await page
            .locator('.till-modal')
            .textContent()
            .catch(() => '')}`,
        );
      });
    await expect(page.getByTestId('handover-summary').textContent()).resolves.toContain('-16.80');
    await screenshot(page, 'pos-13-handover-done');

    const todays = await manager.get<{ total: number }>(
      `/api/pos/journal?storeId=${storeId}&kind=sale&status=formal&from=${today}&to=${today}&pageSize=1`,
    );
    // Only the earliest unclosed day can be closed (POS-8): close up to today, in order.
    type Status = { lastClosed: string | null; closableDay: string | null };
    let status = await manager.get<Status>(`/api/pos/days/status?storeId=${storeId}`);
    let report: { day: string; sales: { count: number }; returns: { count: number } } | undefined;
    while (status.closableDay && status.lastClosed !== today) {
      report = await manager.send('POST', '/api/pos/days/close', { storeId, day: status.closableDay });
      status = await manager.get<Status>(`/api/pos/days/status?storeId=${storeId}`);
    }
    expect(status.lastClosed).toBe(today);
    expect(report?.day).toBe(today);
    const todaysReturns = await manager.get<{ total: number }>(
      `/api/pos/journal?storeId=${storeId}&kind=return&status=formal&from=${today}&to=${today}&pageSize=1`,
    );
    expect(report?.sales.count).toBe(todays.total);
    expect(report?.sales.count).toBeGreaterThanOrEqual(9);
    expect(report?.returns.count).toBe(todaysReturns.total);
    expect(report?.returns.count).toBeGreaterThanOrEqual(1);
    // Nothing is left to close, and today is the last closed day (POS-8: a closed day takes no more sales).
    const after = await manager.get<Status & { today: string }>(`/api/pos/days/status?storeId=${storeId}`);
    expect(after.closableDay).toBeNull();
    const recalc = await admin.send<{ differences: unknown[] }>('POST', '/api/stock/recalculate', {});
    expect(recalc.differences).toEqual([]);
    expectNoConsoleErrors(b);
    // No API call failed on the server's side (4xx answers are the flows' own refusals, e.g. a wrong PIN).
    expect(b.failedRequests.filter((r) => r.startsWith('5'))).toEqual([]);
    if (process.env.POS_TEST_DEBUG) console.log('failed requests', b.failedRequests);
  });
});
