import { dec, withCheckDigit } from '@erp/contracts';
import type { Page, Request, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  DEMO_PASSWORD,
  expectNoConsoleErrors,
  login,
  openBrowser,
  pickOption,
  screenshot,
  screenshotOnFailure,
  waitForUrl,
} from './browser';

// An ordinary store day, end to end (issue 9, "What must be shown"), at a store opened for this test the way
// the new-store wizard does (negative stock forbidden, the default):
//  1. the store manager receives a product that is NOT batch-managed under two lots with expiry dates
//     (other inbound); the stock screen shows it on hand, per lot;
//  2. the till sells one online, one offline; back online the outbox uploads, and the header says "all
//     uploaded" only once the server has the sale;
//  3. an item with zero book stock: online the stock check blocks payment; offline the till warns from its
//     last-synced stock and the cashier sells it anyway; uploaded, it is booked as stock debt and listed in
//     库存异常 with its receipt number;
//  4. the till is reloaded: no paid sale comes back, nothing is offered for payment again;
//  5. one sale is returned (the dialog caps the quantity and then shows what was returned);
//  6. the cashier counts the drawer and hands over: expected = counted, over/short 0.00;
//  7. the manager closes the day: the report shows the sales and the stock-exceptions line, the close goes through.
// Then the server: every paid sale held once, the lot-tracked sales' ledger rows (and the return's) on the lot
// FEFO picked, the stock debt on the zero-stock product, recalculation clean.

const CASHIER_PIN = '246810';
const MANAGER_PIN = '135790';
const stamp = Date.now().toString().slice(-6);
const STORE = `DY${stamp}`;
const MGR = `${STORE.toLowerCase()}_mgr`;
const CASHIER = `${STORE.toLowerCase()}_cash`;
/** Today in Asia/Shanghai (the store's business day). */
const day = (offset = 0) => new Date(Date.now() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);

/** Not batch-managed, received under two lots; sold at ¥6.50. */
const yogurt = { code: `DY${stamp}1`, name: '安慕希希腊酸奶 205g', barcode: withCheckDigit(`692${stamp}001`), price: '6.50' };
/** Never received: zero book stock. */
const snack = { code: `DY${stamp}2`, name: '旺旺雪饼 84g', barcode: withCheckDigit(`692${stamp}002`), price: '8.80' };
/** The earlier expiry (FEFO takes it first) and the later one. */
const lotA = { lotNo: `LA${stamp}`, expiry: day(60), qty: 10 };
const lotB = { lotNo: `LB${stamp}`, expiry: day(120), qty: 14 };
const FLOAT = '300.00';

interface Api {
  get<T>(url: string): Promise<T>;
  send<T>(method: string, url: string, body?: unknown): Promise<T>;
}

async function apiAs(baseUrl: string, loginName: string): Promise<Api> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: loginName, password: DEMO_PASSWORD, mode: 'bearer' }),
  });
  if (!res.ok) throw new Error(`login ${loginName}: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  const call = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${baseUrl}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(method !== 'GET' ? { 'idempotency-key': crypto.randomUUID() } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return { get: (url) => call('GET', url), send: call };
}

async function scan(page: Page, code: string): Promise<void> {
  const input = page.getByTestId('scan-input');
  const before = await page.getByTestId('total-gross').textContent();
  await input.pressSequentially(code, { delay: 4 });
  await input.press('Enter');
  await expect.poll(() => page.getByTestId('total-gross').textContent(), { timeout: 5000 }).not.toBe(before);
}

/** The till header's outbox chips as [state, text], in order. */
async function header(page: Page): Promise<[string, string][]> {
  const chips = page.locator('[data-testid="unsynced"], [data-testid="refused"]');
  const n = await chips.count();
  const out: [string, string][] = [];
  for (let i = 0; i < n; i++) {
    const c = chips.nth(i);
    out.push([(await c.getAttribute('data-state')) ?? '', ((await c.textContent()) ?? '').trim()]);
  }
  return out;
}

/** Opens payment (F12) in an open pay dialog, takes the exact amount in cash, and answers the receipt number. */
async function takeCash(page: Page): Promise<string> {
  await page.getByTestId('pay-dialog').waitFor();
  await page.getByTestId('pay-amount').press('Enter');
  await page.getByTestId('pay-dialog').waitFor({ state: 'detached' });
  await page.getByTestId('sale-done').waitFor();
  return ((await page.getByTestId('done-receipt').textContent()) ?? '').trim();
}

interface LedgerRow {
  productId: number;
  lotNo: string;
  expiryDate: string | null;
  qty: string;
  sourceType: string;
  source: { kind: string; number: string | null };
}

describe('an ordinary store day', () => {
  let bo: Browser; // the store manager's back office
  let tl: Browser; // the till
  let current: Browser | undefined;
  screenshotOnFailure(() => current);
  let admin: Api;
  let manager: Api;
  let storeId: number;
  let warehouseId: number;
  let pairingCode: string;
  const ids = new Map<string, number>();
  /** Every receipt a customer paid for, in the order the till finished them. */
  const paid: { receiptNo: string; what: string }[] = [];
  let returnReceipt = '';
  const uploads: Request[] = [];
  /** Times the pay dialog opened online for a receipt number (a paid sale must never be offered again). */
  const offered = new Map<string, number>();

  beforeAll(async () => {
    bo = await openBrowser();
    current = bo;
    admin = await apiAs(bo.baseUrl, 'admin');
    const orgs = await admin.get<{ id: number; code: string }[]>('/api/orgs');
    const rc = orgs.find((o) => o.code === 'RC01')!;
    const opened = await admin.send<{ store: { id: number } }>('POST', '/api/stores/open', {
      parentId: rc.id,
      code: STORE,
      name: `日常营业店${stamp}`,
      storeMode: 'direct',
      region: '华东',
      params: { businessMode: 'supermarket', allowNegativeStock: false, handoverShowsExpectedCash: true },
      users: [
        { login: MGR, name: '日常店长', password: DEMO_PASSWORD, roleCodes: ['store_admin'] },
        { login: CASHIER, name: '日常收银员', password: DEMO_PASSWORD, roleCodes: ['cashier'] },
      ],
    });
    storeId = opened.store.id;
    manager = await apiAs(bo.baseUrl, MGR);
    // Master data HQ keeps (catalog.test.ts covers creating products on screen): two plain products.
    for (const p of [yogurt, snack]) {
      const r = await admin.send<{ id: number; batchTracked: boolean }>('POST', '/api/products', {
        code: p.code,
        name: p.name,
        barcodes: [{ barcode: p.barcode, isPrimary: true }],
        prices: { retail: p.price },
      });
      expect(r.batchTracked, `${p.code} is not batch-managed`).toBe(false);
      ids.set(p.code, r.id);
    }
    const whs = await manager.get<{ id: number; orgId: number; isDefault: boolean }[]>(`/api/warehouses?orgId=${storeId}`);
    warehouseId = (whs.find((w) => w.orgId === storeId && w.isDefault) ?? whs.find((w) => w.orgId === storeId))!.id;
    // The till: registered with its pairing code, PINs for the cashier and the manager.
    pairingCode = (
      await manager.send<{ pairingCode: string }>('POST', '/api/pos/terminals', {
        storeId,
        code: `Y${stamp}`,
        name: '1 号收银机',
      })
    ).pairingCode;
    const cashiers = await manager.get<{ userId: number; login: string }[]>(`/api/pos/stores/${storeId}/cashiers`);
    for (const [who, pin] of [
      [CASHIER, CASHIER_PIN],
      [MGR, MANAGER_PIN],
    ] as const) {
      await manager.send('PUT', `/api/pos/cashiers/${cashiers.find((c) => c.login === who)!.userId}`, { pin });
    }
    await login(bo.page, MGR);
  }, 240_000);

  afterAll(async () => {
    await tl?.close();
    await bo?.close();
  });

  it('1. receives the product under two lots with expiry dates; the stock screen shows it on hand', async () => {
    const { page } = bo;
    current = bo;
    await page.goto('/inventory/other-inbound');
    await page.getByTestId('doc-new').click();
    await waitForUrl(page, /\/inventory\/other-inbound\/new$/);
    // Line 1 by scanning, line 2 (the same product, another lot) from the product search.
    const scanBox = page.getByTestId('scan-input');
    await scanBox.pressSequentially(yogurt.barcode, { delay: 4 });
    await scanBox.press('Enter');
    await page.getByTestId('scan-feedback').filter({ hasText: yogurt.code }).waitFor();
    await pickOption(page, 'line-add', yogurt.code);
    const rows = page.getByTestId('doc-lines').locator('tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(2);
    for (const [i, lot] of [lotA, lotB].entries()) {
      const row = rows.nth(i);
      await row.locator('[data-cell^="qty-"]').fill(String(lot.qty));
      await row.locator('[data-cell^="lot-"]').fill(lot.lotNo);
      const expiry = row.locator('.ant-picker input');
      await expiry.click();
      await expiry.fill(lot.expiry);
      await expiry.press('Enter');
      await expect(expiry.inputValue()).resolves.toBe(lot.expiry);
      await row.locator('[data-cell^="cost-"]').fill('4.20');
    }
    await page.getByTestId('doc-reason').fill('供应商补货');
    await screenshot(page, 'store-day-01-receive-lots');
    await page.getByTestId('doc-save').click();
    await waitForUrl(page, /\/inventory\/other-inbound\/\d+$/);
    await page.getByTestId('doc-actions').locator('[data-action=confirm]').click();
    await page.locator('[data-status="posted"]').first().waitFor();
    await expect.poll(() => page.getByTestId('doc-value').textContent()).toBe('¥100.80');
    await screenshot(page, 'store-day-02-receipt-posted');

    // The stock screen, by batch/lot: both lots on hand with their expiry dates; by product: 24.
    await page.goto(`/stock/balances?view=batch&q=${yogurt.code}`);
    const table = page.locator('.ant-table-tbody');
    for (const lot of [lotA, lotB]) {
      const row = table.locator('tr.ant-table-row').filter({ hasText: lot.lotNo });
      await row.waitFor();
      await expect(row.textContent()).resolves.toContain(lot.expiry);
      await expect(
        row
          .locator('td.ant-table-cell')
          .filter({ hasText: new RegExp(`^${lot.qty}$`) })
          .count(),
      ).resolves.toBe(1);
    }
    await screenshot(page, 'store-day-03-stock-by-lot');
    await page.goto(`/stock/balances?q=${yogurt.code}`);
    const total = table.locator('tr.ant-table-row').filter({ hasText: yogurt.code });
    await total.waitFor();
    await expect(total.locator('td.ant-table-cell').filter({ hasText: /^24$/ }).count()).resolves.toBe(1);
  });

  it('2. the till sells one online and one offline; the header says all uploaded only once it is true', async () => {
    tl = await openBrowser();
    current = tl;
    const { page, context } = tl;
    await context.addInitScript(() => {
      (window as unknown as { print: () => void }).print = () => undefined;
    });
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/pos/uploads') uploads.push(r);
    });
    // Online, opening the pay dialog records the sale as temporary: count how often each receipt was offered.
    page.on('request', (r) => {
      if (r.method() !== 'POST' || new URL(r.url()).pathname !== '/api/pos/sales') return;
      const body = r.postDataJSON() as { receiptNo: string; status?: string };
      if (body.status === 'temporary') offered.set(body.receiptNo, (offered.get(body.receiptNo) ?? 0) + 1);
    });
    await page.goto('/pos/');
    await page.getByTestId('pair-code').fill(pairingCode);
    await page.getByTestId('pair-submit').click();
    await page.getByTestId('signin-login').fill(CASHIER);
    await page.getByTestId('signin-pin').fill(CASHIER_PIN);
    await page.getByTestId('signin-pin').press('Enter');
    await page.getByTestId('shift-float').fill('300');
    await page.getByTestId('shift-float').press('Enter');
    await page.getByTestId('scan-input').waitFor();
    await expect.poll(() => header(page), { timeout: 20_000 }).toEqual([['synced', '已全部上传']]);

    // Online: one yogurt, cash.
    await scan(page, yogurt.barcode);
    await page.keyboard.press('F12');
    const online = await takeCash(page);
    paid.push({ receiptNo: online, what: 'yogurt online' });
    await expect.poll(() => header(page), { timeout: 20_000 }).toEqual([['synced', '已全部上传']]);
    await screenshot(page, 'store-day-04-till-online-sale');

    // Offline: the network is cut; another yogurt, cash, kept in the outbox.
    await context.setOffline(true);
    await expect.poll(() => page.getByTestId('net-state').getAttribute('data-online')).toBe('false');
    await scan(page, yogurt.barcode);
    await page.keyboard.press('F12');
    const offline = await takeCash(page);
    paid.push({ receiptNo: offline, what: 'yogurt offline' });
    await expect.poll(() => header(page)).toEqual([['offline', '脱机 · 1 笔待上传']]);
    await screenshot(page, 'store-day-05-till-offline-sale');

    // Back online, with the upload held at the network: while the server has not answered, the header must
    // not say "all uploaded"; once it has, it does, and the server holds the sale.
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let seen = 0;
    await page.route('**/api/pos/uploads', async (route: Route) => {
      seen++;
      await held;
      await route.continue();
    });
    await context.setOffline(false);
    await expect.poll(() => seen, { timeout: 30_000 }).toBeGreaterThan(0);
    const whileHeld = await header(page);
    expect(whileHeld).toHaveLength(1);
    expect(whileHeld[0]?.[0]).not.toBe('synced');
    expect(whileHeld[0]?.[1]).toMatch(/1 笔/);
    await screenshot(page, 'store-day-06-till-uploading');
    release();
    await expect.poll(() => header(page), { timeout: 30_000 }).toEqual([['synced', '已全部上传']]);
    await page.unroute('**/api/pos/uploads');
    const journal = await manager.get<{ items: { receiptNo: string; offline: boolean }[] }>(
      `/api/pos/journal?storeId=${storeId}&kind=sale&pageSize=100`,
    );
    expect(journal.items.find((s) => s.receiptNo === offline)?.offline).toBe(true);
  });

  it('3. zero book stock: blocked online before payment; offline warned, sold, booked as stock debt', async () => {
    const { page, context } = tl;
    current = tl;
    await scan(page, snack.barcode);
    await page.keyboard.press('F12');
    await page.getByTestId('stock-dialog').waitFor();
    const blocked = await page.getByTestId('stock-shortages').textContent();
    expect(blocked).toContain(snack.name);
    expect(blocked).toContain('可用 0');
    await expect(page.getByTestId('stock-dialog').textContent()).resolves.toContain('库存不足，不能结算');
    await expect(page.getByTestId('stock-sell-anyway').count()).resolves.toBe(0);
    await expect(page.getByTestId('pay-dialog').count()).resolves.toBe(0);
    await screenshot(page, 'store-day-07-zero-stock-blocked-online');
    await page.getByTestId('stock-back').click();
    await page.getByTestId('stock-dialog').waitFor({ state: 'detached' });
    await page.keyboard.press('Delete');
    await expect.poll(() => page.getByTestId('cart-line').count()).toBe(0);

    // Offline: the till checks its last-synced stock, warns, and the cashier goes on.
    await context.setOffline(true);
    await expect.poll(() => page.getByTestId('net-state').getAttribute('data-online')).toBe('false');
    await scan(page, snack.barcode);
    await page.keyboard.press('F12');
    await page.getByTestId('stock-dialog').waitFor();
    await expect(page.getByTestId('stock-dialog').textContent()).resolves.toContain('库存提醒（脱机）');
    await expect(page.getByTestId('stock-shortages').textContent()).resolves.toContain(
      `按上次同步的库存，${snack.name} 不足（可用 0）`,
    );
    await screenshot(page, 'store-day-08-zero-stock-warned-offline');
    await page.getByTestId('stock-sell-anyway').click();
    const debt = await takeCash(page);
    paid.push({ receiptNo: debt, what: 'snack offline, stock debt' });
    await expect.poll(() => header(page)).toEqual([['offline', '脱机 · 1 笔待上传']]);
    await context.setOffline(false);
    await expect.poll(() => header(page), { timeout: 30_000 }).toEqual([['synced', '已全部上传']]);

    // Booked (not refused): the store manager finds it in 库存异常 with its receipt number.
    const { page: office } = bo;
    current = bo;
    await office.goto('/inventory/exceptions');
    const row = office.locator('.ant-table-tbody tr.ant-table-row').filter({ hasText: debt });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('负库存销售');
    await expect(row.textContent()).resolves.toContain(snack.code);
    await expect(row.getByRole('link', { name: debt }).count()).resolves.toBe(1);
    await screenshot(office, 'store-day-09-stock-exceptions');
    // The stock screen shows the debt: the snack at −1 among the negative balances.
    await office.goto('/stock/balances?negativeOnly=true');
    const negative = office.locator('.ant-table-tbody tr.ant-table-row').filter({ hasText: snack.code });
    await negative.waitFor();
    await expect(negative.locator('.erp-num').filter({ hasText: /^-1$/ }).count()).resolves.toBe(1);
    await screenshot(office, 'store-day-09b-stock-negative');
  });

  it('4. a reload brings no paid sale back and offers nothing for payment again', async () => {
    const { page } = tl;
    current = tl;
    await page.reload();
    await page.getByTestId('scan-input').waitFor();
    await expect.poll(() => header(page), { timeout: 20_000 }).toEqual([['synced', '已全部上传']]);
    await expect(page.getByTestId('cart-line').count()).resolves.toBe(0);
    await expect(page.getByTestId('crash-dialog').count()).resolves.toBe(0);
    // Payment with an empty cart opens nothing.
    await page.keyboard.press('F12');
    await page.getByTestId('till-status').filter({ hasText: '当前没有商品' }).waitFor();
    await expect(page.getByTestId('pay-dialog').count()).resolves.toBe(0);
    // The till's own record: each paid sale once, all uploaded.
    await page.getByTestId('key-recent').click();
    const recent = page.getByTestId('recent-row');
    await expect.poll(() => recent.count()).toBe(paid.length);
    const rows = await recent.allTextContents();
    for (const p of paid)
      expect(
        rows.filter((r) => r.includes(p.receiptNo)),
        p.receiptNo,
      ).toHaveLength(1);
    for (const r of rows) expect(r).toContain('已上传');
    await screenshot(page, 'store-day-10-till-reloaded-recent');
    await page.keyboard.press('Escape');
    await page.getByTestId('recent-dialog').waitFor({ state: 'detached' });
    // Signing in again: nothing left behind to finish, nothing in the cart.
    await page.keyboard.press('Control+q');
    await page.getByTestId('signin-login').fill(CASHIER);
    await page.getByTestId('signin-pin').fill(CASHIER_PIN);
    const signIn = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/pos/till/sign-in');
    await page.getByTestId('signin-pin').press('Enter');
    const pending = ((await (await signIn).json()) as { pendingSales?: { receiptNo: string }[] }).pendingSales ?? [];
    await page.getByTestId('scan-input').waitFor();
    await expect(page.getByTestId('crash-dialog').count()).resolves.toBe(0);
    await expect(page.getByTestId('cart-line').count()).resolves.toBe(0);
    expect(pending.filter((s) => paid.some((p) => p.receiptNo === s.receiptNo))).toEqual([]);
    await expect(page.locator('body').textContent()).resolves.not.toMatch(/ConstraintError|IndexedDB|Dexie/);
    await screenshot(page, 'store-day-10-till-reloaded');
  });

  it('5. returns the offline yogurt: the dialog caps the quantity, then shows it returned', async () => {
    const { page } = tl;
    current = tl;
    const original = paid.find((p) => p.what === 'yogurt offline')!.receiptNo;
    const openReceipt = async () => {
      await page.keyboard.press('F9');
      await page.getByTestId('return-receipt').fill(original);
      await page.getByTestId('return-receipt').press('Enter');
      await page.getByTestId('return-line').first().waitFor();
    };
    await openReceipt();
    await expect(page.getByTestId('return-line').count()).resolves.toBe(1);
    await expect(page.getByTestId('return-line').textContent()).resolves.toContain(yogurt.name);
    await page.getByTestId('return-qty').fill('2');
    await expect(page.getByTestId('return-qty-error').textContent()).resolves.toContain('最多还可退 1');
    await expect(page.getByTestId('return-submit').isDisabled()).resolves.toBe(true);
    await screenshot(page, 'store-day-11-return-capped');
    await page.getByTestId('return-qty').fill('1');
    const answer = page.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/pos/returns',
    );
    await page.getByTestId('return-submit').click();
    returnReceipt = ((await (await answer).json()) as { receiptNo: string }).receiptNo;
    await page.getByTestId('return-dialog').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('done-change').textContent()).toBe(`¥${yogurt.price}`);
    // The same receipt again: returned 1, nothing left, nothing to submit.
    await openReceipt();
    await expect(page.getByTestId('return-returned').allTextContents()).resolves.toEqual(['1']);
    await expect(page.getByTestId('return-left').allTextContents()).resolves.toEqual(['0']);
    await expect(page.getByTestId('return-qty').isDisabled()).resolves.toBe(true);
    await expect(page.getByTestId('return-dialog').textContent()).resolves.toContain('这张小票的商品已全部退货');
    await expect(page.getByTestId('return-submit').isDisabled()).resolves.toBe(true);
    await screenshot(page, 'store-day-12-return-done');
    await page.keyboard.press('Escape');
    await page.getByTestId('return-dialog').waitFor({ state: 'detached' });
  });

  it('6. hands over the shift: the counted drawer equals the expected cash', async () => {
    const { page } = tl;
    current = tl;
    // Float + two yogurts + one snack − the yogurt refunded, all in cash.
    const expected = dec(FLOAT).plus(dec(yogurt.price).times(2)).plus(snack.price).minus(yogurt.price).toFixed(2);
    expect(expected).toBe('315.30');
    await page.getByTestId('key-handover').click();
    await page.getByTestId('handover-expected').waitFor();
    await expect.poll(() => page.getByTestId('handover-expected').textContent()).toBe(expected);
    await expect(page.getByTestId('handover-unbooked').count()).resolves.toBe(0);
    // Count the drawer by denomination: 3 × 100 + 1 × 10 + 1 × 5 + 3 × 0.1 = 315.30.
    const dialog = page.getByTestId('handover-dialog');
    for (const [denomination, n] of [
      ['100', '3'],
      ['10', '1'],
      ['5', '1'],
      ['0.1', '3'],
    ] as const) {
      await dialog
        .locator('label.denom')
        .filter({ hasText: new RegExp(`^¥${denomination.replace('.', '\\.')} ×`) })
        .locator('input')
        .fill(n);
    }
    await expect(page.getByTestId('handover-deposit').inputValue()).resolves.toBe(expected);
    await screenshot(page, 'store-day-13-handover-count');
    await page.getByTestId('handover-submit').click();
    await page.getByTestId('handover-summary').waitFor();
    await expect(page.getByTestId('handover-summary').textContent()).resolves.toBe(
      `交班完成：应有 ${expected}，实缴 ${expected}，差额 0.00`,
    );
    await screenshot(page, 'store-day-14-handover-done');
  });

  it('7. closes the day in the back office: the report shows the sales and the stock exceptions', async () => {
    const { page } = bo;
    current = bo;
    const today = day();
    await page.goto(`/retail/days?storeId=${storeId}`);
    const close = page.getByTestId('day-close');
    await close.waitFor();
    await expect(close.textContent()).resolves.toContain(today);
    await expect(page.getByTestId('day-upload-errors').count()).resolves.toBe(0);
    await expect(close.isDisabled()).resolves.toBe(false);
    const report = page.getByTestId('daily-report');
    await report.waitFor();
    await expect(report.textContent()).resolves.toContain('预览');
    // 3 sales: 6.50 + 6.50 + 8.80 = 21.80; 1 return 6.50; net 15.30.
    await expect(report.textContent()).resolves.toContain('销售 (3)');
    await expect(report.textContent()).resolves.toContain('21.80');
    await expect(page.getByTestId('report-net').textContent()).resolves.toContain('15.30');
    await expect(page.getByTestId('report-stock-exceptions').textContent()).resolves.toBe(
      '负库存销售 1 笔（1 件），售出过期批次 0 笔，未解决 1 笔',
    );
    await screenshot(page, 'store-day-15-day-before-close');
    await close.click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await page.getByText(`${today} 已日结`).first().waitFor();
    await expect.poll(() => page.getByTestId('day-last-closed').textContent()).toBe(today);
    await screenshot(page, 'store-day-16-day-closed');
    const status = await manager.get<{ lastClosed: string | null; uploadErrors: unknown[] }>(
      `/api/pos/days/status?storeId=${storeId}`,
    );
    expect(status.lastClosed).toBe(today);
    expect(status.uploadErrors).toEqual([]);
  });

  it('the server holds every paid sale once, on the right lots; the ledger screen shows them', async () => {
    const { page } = bo;
    current = bo;
    // Every receipt the till finished, offered for payment once and booked once.
    const receipts = paid.map((p) => p.receiptNo);
    expect(new Set(receipts).size).toBe(3);
    for (const no of receipts) expect(offered.get(no) ?? 0, `${no} offered`).toBeLessThanOrEqual(1);
    const journal = await manager.get<{ items: { receiptNo: string; kind: string; status: string }[] }>(
      `/api/pos/journal?storeId=${storeId}&from=${day()}&to=${day()}&pageSize=200`,
    );
    const formal = journal.items.filter((s) => s.status === 'formal');
    expect(
      formal
        .filter((s) => s.kind === 'sale')
        .map((s) => s.receiptNo)
        .sort(),
    ).toEqual([...receipts].sort());
    expect(formal.filter((s) => s.kind === 'return').map((s) => s.receiptNo)).toEqual([returnReceipt]);
    // No upload was ever queued as an error.
    const errors = await manager.get<{ items: unknown[] }>(`/api/pos/upload-errors?storeId=${storeId}`);
    expect(errors.items).toEqual([]);

    // The yogurt's ledger: the receipt on both lots, the two sales and the return on lot A (FEFO).
    const ledger = async (productId: number) =>
      (
        await manager.get<{ items: LedgerRow[] }>(
          `/api/stock/ledger?warehouseId=${warehouseId}&productId=${productId}&pageSize=100`,
        )
      ).items;
    const yRows = await ledger(ids.get(yogurt.code)!);
    const tillRows = yRows
      .filter((r) => r.source.kind === 'pos_sale')
      .map((r) => [r.source.number, r.lotNo, r.expiryDate, dec(r.qty).toFixed(0)]);
    const [online, offline] = receipts;
    expect(tillRows.sort()).toEqual(
      [
        [online, lotA.lotNo, lotA.expiry, '-1'],
        [offline, lotA.lotNo, lotA.expiry, '-1'],
        [returnReceipt, lotA.lotNo, lotA.expiry, '1'],
      ].sort(),
    );
    const balances = await manager.get<{ items: { lotNo: string | null; qty: string }[] }>(
      `/api/stock/balances?warehouseId=${warehouseId}&productId=${ids.get(yogurt.code)}&groupBy=batch,lot`,
    );
    expect(balances.items.map((b) => [b.lotNo, dec(b.qty).toFixed(0)]).sort()).toEqual(
      [
        [lotA.lotNo, String(lotA.qty - 1)],
        [lotB.lotNo, String(lotB.qty)],
      ].sort(),
    );
    // The snack: one sale row below zero, an open stock debt naming the receipt.
    const sRows = await ledger(ids.get(snack.code)!);
    expect(sRows.map((r) => [r.source.number, dec(r.qty).toFixed(0)])).toEqual([[receipts[2], '-1']]);
    const exceptions = await manager.get<{ items: { kind: string; status: string; sourceNumber: string | null; qty: string }[] }>(
      `/api/stock/exceptions?orgId=${storeId}`,
    );
    expect(exceptions.items.map((e) => [e.kind, e.status, e.sourceNumber, dec(e.qty).toFixed(0)])).toEqual([
      ['stock_debt', 'open', receipts[2], '1'],
    ]);
    const recalc = await manager.send<{ differences: unknown[]; costDifferences: unknown[] }>('POST', '/api/stock/recalculate', {
      warehouseIds: [warehouseId],
    });
    expect(recalc.differences).toEqual([]);
    expect(recalc.costDifferences).toEqual([]);

    // The ledger screen shows the same: each till row by its receipt number, on its lot.
    await page.goto(`/stock/ledger?productId=${ids.get(yogurt.code)}&warehouseId=${warehouseId}`);
    for (const [no, qty] of [
      [online, '-1'],
      [offline, '-1'],
      [returnReceipt, '+1'],
    ] as const) {
      const row = page.locator('.ant-table-tbody tr.ant-table-row').filter({ hasText: no! });
      await row.waitFor();
      await expect(row.textContent()).resolves.toContain(lotA.lotNo);
      // The quantity is on screen without scrolling sideways.
      const cell = row.locator('.erp-num').filter({ hasText: new RegExp(`^\\${qty}$`) });
      await expect(cell.count()).resolves.toBe(1);
      const box = await cell.boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(1440);
    }
    await screenshot(page, 'store-day-17-ledger-lots');
    expectNoConsoleErrors(bo);
    expectNoConsoleErrors(tl);
    expect([...bo.failedRequests, ...tl.failedRequests].filter((r) => r.startsWith('5'))).toEqual([]);
  });
});
