import { buildScaleBarcode, DEFAULT_SCALE_SETTINGS } from '@erp/contracts';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Api,
  apiAs,
  type Browser,
  expectNoConsoleErrors,
  login,
  openBrowser,
  pickOption,
  screenshot,
  screenshotOnFailure,
  waitForUrl,
} from './browser';

// Purchasing end to end (PUR-1…3, GSP-1, INV-8): the buyer orders two products for the DC by scanning, HQ
// approves, the DC keeper receives against the order — an over-receipt is refused on screen, one line is
// counted by a keyboard-wedge scanner typing into the grid, a batch-tracked line gets its lot and expiry —
// and posts; the stock screen shows the goods; part of them goes back to the supplier on a return that
// references the receipt. The API then says stock and ledger agree. One screen in English, one phone-width.

interface Product {
  id: number;
  code: string;
  name: string;
  batchTracked: boolean;
  weighed: boolean;
  active: boolean;
  barcodes: { barcode: string; unitId: number | null }[];
  units: { unitId: number; unitName: string; factor: string }[];
}

/**
 * A keyboard-wedge scanner: the code's key events stamped 5 ms apart (as the OS stamps a scanner's keys,
 * however busy the page is), then Enter, into whatever has the focus.
 */
async function wedgeScan(page: Page, code: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const t0 = Date.now() / 1000;
  const sends: Promise<unknown>[] = [];
  const key = (type: 'keyDown' | 'keyUp', k: string, timestamp: number) => {
    const enter = k === 'Enter';
    sends.push(
      cdp.send('Input.dispatchKeyEvent', {
        type,
        key: k,
        code: enter ? 'Enter' : `Digit${k}`,
        windowsVirtualKeyCode: enter ? 13 : k.charCodeAt(0),
        ...(type === 'keyDown' ? { text: enter ? '\r' : k, unmodifiedText: enter ? '\r' : k } : {}),
        timestamp,
      }),
    );
  };
  [...code, 'Enter'].forEach((k, i) => {
    key('keyDown', k, t0 + i * 0.005);
    key('keyUp', k, t0 + i * 0.005 + 0.001);
  });
  await Promise.all(sends);
  await cdp.detach();
}

/** Clicks a document transition button and answers its confirmation dialog, if it asks one. */
async function transition(page: Page, action: string, status: string): Promise<void> {
  await page.getByTestId('doc-actions').locator(`[data-action=${action}]`).click();
  const dialog = page.locator('.ant-modal:visible');
  const settled = page.locator(`[data-status="${status}"]`).first();
  await Promise.race([dialog.waitFor(), settled.waitFor()]);
  if (await dialog.isVisible())
    await dialog
      .getByRole('button', { name: /确\s*定|OK|Confirm/ })
      .last()
      .click();
  await settled.waitFor();
}

/** Signs out (the session cookie goes) and in as another user. */
async function switchUser(page: Page, loginName: string): Promise<void> {
  await page.context().clearCookies();
  await login(page, loginName);
}

const stamp = Date.now().toString().slice(-6);
const lot = `LOT${stamp}`;

describe('purchasing: order → receipt with a scanned barcode → stock → return', () => {
  let b: Browser;
  let admin: Api;
  let plain: Product;
  let tracked: Product;
  let caseBarcode: string;
  let caseFactor: number;
  let supplierCode: string;
  let dcWarehouseId: number;
  let plainBefore: number;
  let orderId: number;
  let receiptId: number;

  const stockOf = async (productId: number, extra = ''): Promise<number> => {
    const r = await admin.get<{ items: { productId: number; qty: string }[] }>(
      `/api/stock/balances?warehouseId=${dcWarehouseId}&productId=${productId}&pageSize=200${extra}`,
    );
    return r.items.filter((i) => i.productId === productId).reduce((s, i) => s + Number(i.qty), 0);
  };

  beforeAll(async () => {
    b = await openBrowser();
    admin = await apiAs(b.baseUrl, 'admin');
    const products = await admin.get<{ items: Product[] }>('/api/products?pageSize=500&active=true');
    plain = products.items.find((p) => !p.batchTracked && !p.weighed && p.barcodes.some((x) => x.unitId === null))!;
    tracked = products.items.find((p) => p.batchTracked && p.barcodes.some((x) => x.unitId !== null))!;
    expect(plain, 'a plain product with a barcode').toBeDefined();
    expect(tracked, 'a batch-tracked product with a case barcode').toBeDefined();
    const cb = tracked.barcodes.find((x) => x.unitId !== null)!;
    caseBarcode = cb.barcode;
    caseFactor = Number(tracked.units.find((u) => u.unitId === cb.unitId)!.factor);
    const suppliers = await admin.get<{ items: { code: string; active: boolean }[] }>('/api/suppliers?pageSize=50');
    supplierCode = suppliers.items.find((s) => s.active)!.code;
    const orgs = await admin.get<{ id: number; kind: string }[]>('/api/orgs');
    const dc = orgs.find((o) => o.kind === 'dc')!;
    const whs = await admin.get<{ id: number; isDefault: boolean }[]>(`/api/warehouses?orgId=${dc.id}`);
    dcWarehouseId = (whs.find((w) => w.isDefault) ?? whs[0]!).id;
    plainBefore = await stockOf(plain.id);
  });
  afterAll(async () => {
    await b?.close();
  });
  screenshotOnFailure(() => b);

  it('the buyer orders two products for the DC by scanning and submits', async () => {
    const { page } = b;
    await switchUser(page, 'buyer');
    await page.goto('/purchasing/orders');
    await page.getByTestId('po-new').click();
    await waitForUrl(page, /\/purchasing\/orders\/new$/);
    await page.getByTestId('scan-input').waitFor();
    await pickOption(page, 'doc-supplier', supplierCode);
    // The DC and its default warehouse are the defaults of a new order.
    await expect(page.getByTestId('doc-org').textContent()).resolves.toContain('DC');

    const scanBox = page.getByTestId('scan-input');
    await scanBox.fill(plain.barcodes.find((x) => x.unitId === null)!.barcode);
    await scanBox.press('Enter');
    await page.locator('[data-cell="qty-0"]').waitFor();
    await page.locator('[data-cell="qty-0"]').fill('48');
    // Two cases of the batch-tracked product: its case barcode scanned twice makes one line of 2 cases.
    for (let i = 1; i <= 2; i++) {
      await scanBox.fill(caseBarcode);
      await scanBox.press('Enter');
      await expect
        .poll(() =>
          page
            .locator('[data-cell="qty-1"]')
            .inputValue()
            .catch(() => ''),
        )
        .toBe(String(i));
    }
    await expect(page.getByTestId('scan-feedback').getAttribute('data-state')).resolves.toBe('ok');
    // The default purchase price shows as the placeholder of the price cell.
    await expect(page.locator('[data-cell="price-0"]').getAttribute('placeholder')).resolves.toMatch(/^\d+\.\d{2}$/);
    await screenshot(page, 'purchasing-01-order-new');

    await page.getByTestId('doc-save').click();
    await waitForUrl(page, /\/purchasing\/orders\/\d+$/);
    orderId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.getByTestId('doc-number').waitFor();
    await transition(page, 'submit', 'pending_approval');
    await page.getByTestId('po-progress').waitFor();
    await screenshot(page, 'purchasing-02-order-submitted');
    expectNoConsoleErrors(b);
  });

  it('HQ approves, the buyer confirms; the list shows ordered / received / open', async () => {
    const { page } = b;
    await switchUser(page, 'admin');
    await page.goto(`/purchasing/orders/${orderId}`);
    await transition(page, 'approve', 'approved');
    await screenshot(page, 'purchasing-03-order-approved');

    await switchUser(page, 'buyer');
    await page.goto(`/purchasing/orders/${orderId}`);
    await transition(page, 'confirm', 'confirmed');
    await page.goto('/purchasing/orders?openOnly=true');
    const number = (await admin.get<{ number: string }>(`/api/purchase-orders/${orderId}`)).number;
    const row = page.locator('.ant-table-tbody tr.ant-table-row', { hasText: number });
    await row.waitFor();
    const ordered = 48 + 2 * caseFactor;
    await expect(row.innerText()).resolves.toMatch(new RegExp(`${ordered}\\s+0\\s+${ordered}`));
    // Only orders still open are listed.
    await expect(page.locator('.ant-table-tbody tr.ant-table-row [data-status="completed"]').count()).resolves.toBe(0);
    await screenshot(page, 'purchasing-04-orders-open');
    expectNoConsoleErrors(b);
  });

  it('the DC keeper receives: an over-receipt is refused, one line is scanned into the grid, lot and expiry, posted', async () => {
    const { page } = b;
    await switchUser(page, 'dc_keeper');
    await page.goto(`/purchasing/orders/${orderId}`);
    await page.getByTestId('po-receive').click();
    await waitForUrl(page, /\/purchasing\/receipts\/new\?po=\d+$/);
    // Open lines come prefilled: 48 of the first product, 2 cases of the second.
    await expect.poll(() => page.locator('[data-cell="qty-0"]').inputValue()).toBe('48');
    await expect(page.locator('[data-cell="qty-1"]').inputValue()).resolves.toBe('2');
    await screenshot(page, 'purchasing-05-receipt-prefilled');

    // Count by scanning: quantities cleared, then one more than ordered is typed on the first line.
    await page.getByTestId('receipt-clear').click();
    await page.locator('[data-cell="qty-0"]').fill('49');
    await page.locator('tr[data-row-index="0"]').getByText(/超收/).first().waitFor();
    await page.getByTestId('doc-save').click();
    const refusal = page.locator('.ant-alert-error');
    await refusal.waitFor();
    await expect(refusal.innerText()).resolves.toMatch(new RegExp(`${plain.code}.*超收.*48.*49`, 's'));
    expect(page.url()).toMatch(/\/receipts\/new/);
    await screenshot(page, 'purchasing-06-receipt-over-refused');

    await page.locator('[data-cell="qty-0"]').fill('48');
    // Corrected: the refusal goes.
    await refusal.waitFor({ state: 'detached' });
    // The scanner fires while the cursor sits in the first line's quantity: the digits do not land there,
    // the scan counts a case on the second product's line.
    for (let i = 1; i <= 2; i++) {
      await page.locator('[data-cell="qty-0"]').focus();
      await wedgeScan(page, caseBarcode);
      await expect.poll(() => page.locator('[data-cell="qty-1"]').inputValue()).toBe(String(i));
      await expect(page.locator('[data-cell="qty-0"]').inputValue()).resolves.toBe('48');
    }
    await expect(page.getByTestId('scan-feedback').innerText()).resolves.toContain(tracked.code);
    await page.locator('[data-cell="lot-1"]').fill(lot);
    const expiry = page.locator('tr[data-row-index="1"] .ant-picker input');
    await expiry.click();
    await expiry.fill('2027-06-30');
    await expiry.press('Enter');
    await page.locator('.ant-picker-dropdown').first().waitFor({ state: 'hidden' });
    await screenshot(page, 'purchasing-07-receipt-scanned');

    await page.getByTestId('doc-save').click();
    await waitForUrl(page, /\/purchasing\/receipts\/\d+$/);
    receiptId = Number(new URL(page.url()).pathname.split('/').pop());
    await transition(page, 'confirm', 'posted');
    const lines = page.getByTestId('doc-lines');
    await lines.getByText(lot).waitFor();
    await expect(lines.innerText()).resolves.toContain('2027-06-30');
    await screenshot(page, 'purchasing-08-receipt-posted');

    // The order is fully received now.
    await page.goto(`/purchasing/orders/${orderId}`);
    await page.locator('[data-status="completed"]').first().waitFor();
    await screenshot(page, 'purchasing-09-order-received');
    expectNoConsoleErrors(b);
  });

  it('the stock screen shows what came in, by batch with its lot', async () => {
    const { page } = b;
    await page.goto(`/stock/balances?view=detail&q=${tracked.code}&lotNo=${lot}`);
    const row = page.locator('.ant-table-tbody tr.ant-table-row', { hasText: lot });
    await row.waitFor();
    await expect(row.innerText()).resolves.toMatch(new RegExp(`\\b${2 * caseFactor}\\b`));
    await screenshot(page, 'purchasing-10-stock-batch');
    await page.goto(`/stock/balances?q=${plain.code}&warehouseId=${dcWarehouseId}`);
    const plainRow = page.locator('.ant-table-tbody tr.ant-table-row', { hasText: plain.code });
    await plainRow.waitFor();
    await expect(plainRow.innerText()).resolves.toContain(String(plainBefore + 48));
    expectNoConsoleErrors(b);
  });

  it('returns part of the receipt to the supplier: at most what came in, posted', async () => {
    const { page } = b;
    await page.goto(`/purchasing/receipts/${receiptId}`);
    await page.getByTestId('receipt-return').click();
    await waitForUrl(page, /\/purchasing\/returns\/new\?receipt=\d+$/);
    await page.locator('[data-cell="qty-0"]').fill('50');
    await page.getByTestId('doc-save').click();
    await page.getByText('超过最多可退数量 48').waitFor();
    await screenshot(page, 'purchasing-11-return-max');
    await page.locator('[data-cell="qty-0"]').fill('6');
    await page.getByTestId('doc-save').click();
    await waitForUrl(page, /\/purchasing\/returns\/\d+$/);
    await transition(page, 'confirm', 'posted');
    await screenshot(page, 'purchasing-12-return-posted');
    expectNoConsoleErrors(b);
  });

  it('stock and ledger agree through the API', async () => {
    expect(await stockOf(plain.id)).toBe(plainBefore + 42);
    expect(await stockOf(tracked.id, `&lotNo=${lot}`)).toBe(2 * caseFactor);
    const returnable = await admin.get<{ productId: number; returnedQty: string; returnableQty: string }[]>(
      `/api/purchase-receipts/${receiptId}/returnable`,
    );
    expect(returnable.find((r) => r.productId === plain.id)).toMatchObject({ returnedQty: '6.000', returnableQty: '42.000' });
    const recalc = await admin.send<{ differences: unknown[]; costDifferences: unknown[] }>('POST', '/api/stock/recalculate', {
      warehouseIds: [dcWarehouseId],
    });
    expect(recalc.differences).toEqual([]);
    expect(recalc.costDifferences).toEqual([]);
  });

  it('in English, and on a phone the scan box has a camera button', async () => {
    const { page } = b;
    await page.evaluate(() => localStorage.setItem('erp.locale', 'en'));
    await page.goto(`/purchasing/receipts/${receiptId}`);
    await page.getByText('Receipt', { exact: true }).first().waitFor();
    await page.getByTestId('doc-lines').getByText(lot).waitFor();
    await screenshot(page, 'purchasing-13-receipt-en');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/purchasing/receipts/new');
    // On a phone the menu starts closed, a drawer over the page that closes again on navigation.
    const menuWidth = async () => (await page.locator('.erp-sider').boundingBox())?.width ?? 0;
    await expect.poll(menuWidth).toBe(0);
    await page.getByTestId('menu-toggle').click();
    await expect.poll(menuWidth).toBeGreaterThan(150);
    await screenshot(page, 'purchasing-14a-phone-menu');
    await page.locator('.erp-sider-mask').click({ position: { x: 360, y: 400 } });
    await expect.poll(menuWidth).toBe(0);
    await page.getByTestId('scan-camera').click();
    // Headless Chromium has no camera: the dialog opens and says so instead of failing silently.
    const camera = page.locator('.ant-modal', { hasText: 'Point the camera at a barcode or QR code' });
    await camera.getByText(/Cannot open the camera/).waitFor({ timeout: 30_000 });
    await screenshot(page, 'purchasing-14-phone-camera');
    await camera.locator('.ant-modal-close').click();
    await page.evaluate(() => localStorage.removeItem('erp.locale'));
    await page.setViewportSize({ width: 1440, height: 900 });
    expectNoConsoleErrors(b);
  });
});

// Store self-purchase (PUR-4) at the franchise store: lines by scanning, a weighed-goods label (2x EAN-13)
// among them; saved and received in one go; then a line is voided with a reason, which reverses its posting.
describe('store self-purchase with a weighed label, and a line voided', () => {
  let b: Browser;
  let admin: Api;
  let weighed: Product;
  let plain: Product;
  beforeAll(async () => {
    b = await openBrowser();
    admin = await apiAs(b.baseUrl, 'admin');
    const byScale = await admin.get<{ items: (Product & { scaleCode: string | null })[] }>(
      '/api/products?pageSize=50&weighed=true',
    );
    weighed = byScale.items.find((p) => p.weighed && p.scaleCode)!;
    const products = await admin.get<{ items: Product[] }>('/api/products?pageSize=500&active=true');
    plain = products.items.find((p) => !p.batchTracked && !p.weighed && p.barcodes.some((x) => x.unitId === null))!;
    expect(weighed, 'a weighed product with a scale code').toBeDefined();
    await login(b.page, 's003_mgr');
  });
  afterAll(async () => {
    await b?.close();
  });
  screenshotOnFailure(() => b);

  it('scans a weighed label and a barcode, receives, voids one line with a reason', async () => {
    const { page } = b;
    await page.goto('/purchasing/self-purchases/new');
    await page.getByTestId('scan-input').waitFor();
    const supplier = page.locator('.ant-form-item', { hasText: '供应商' }).locator('.ant-select');
    await supplier.click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();

    // 1.234 kg on a weight label; the scanner fires while nothing in particular has the focus.
    const label = buildScaleBarcode(
      DEFAULT_SCALE_SETTINGS.layouts.find((l) => l.valueKind === 'weight')!,
      (weighed as Product & { scaleCode: string }).scaleCode,
      '1.234',
    );
    await page.getByRole('heading').first().click();
    await wedgeScan(page, label);
    await expect
      .poll(() =>
        page
          .locator('[data-cell="qty-0"]')
          .inputValue()
          .catch(() => ''),
      )
      .toBe('1.234');
    await expect(page.getByTestId('scan-feedback').innerText()).resolves.toContain(weighed.code);
    await wedgeScan(page, plain.barcodes.find((x) => x.unitId === null)!.barcode);
    await expect
      .poll(() =>
        page
          .locator('[data-cell="qty-1"]')
          .inputValue()
          .catch(() => ''),
      )
      .toBe('1');
    await page.locator('[data-cell="qty-1"]').fill('10');
    await page.locator('[data-cell="price-0"]').fill('9.80');
    await page.locator('[data-cell="price-1"]').fill('1.20');
    await screenshot(page, 'purchasing-15-self-purchase-scanned');

    await page.getByTestId('self-save-receive').click();
    await waitForUrl(page, /\/purchasing\/self-purchases\/\d+$/);
    await page.locator('[data-status="posted"]').first().waitFor();
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const stockBefore = await admin.get<{ items: { qty: string }[] }>(
      `/api/stock/balances?productId=${plain.id}&orgId=${(await admin.get<{ orgId: number }>(`/api/documents/${id}`)).orgId}`,
    );

    const lines = page.getByTestId('doc-lines');
    await lines.locator('tr[data-row-key]', { hasText: plain.code }).locator('.ant-checkbox-wrapper').click();
    await page.getByTestId('self-void-lines').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: /确\s*定/ }).click();
    await dialog.locator('.ant-form-item-explain-error').waitFor();
    await page.getByTestId('comment-input').fill('供应商送错规格');
    await page.getByTestId('comment-ok').click();
    await lines.locator('tr.erp-line-void', { hasText: plain.code }).waitFor();
    await screenshot(page, 'purchasing-16-self-purchase-line-voided');

    const doc = await admin.get<{ orgId: number; totalAmount: string; lines: { productId: number; status: string }[] }>(
      `/api/documents/${id}`,
    );
    expect(doc.lines.find((l) => l.productId === plain.id)?.status).toBe('void');
    expect(doc.totalAmount).toBe('12.09');
    const stockAfter = await admin.get<{ items: { qty: string }[] }>(
      `/api/stock/balances?productId=${plain.id}&orgId=${doc.orgId}`,
    );
    const sum = (r: { items: { qty: string }[] }) => r.items.reduce((n, i) => n + Number(i.qty), 0);
    expect(sum(stockAfter)).toBe(sum(stockBefore) - 10);
    const recalc = await admin.send<{ differences: unknown[] }>('POST', '/api/stock/recalculate', {});
    expect(recalc.differences).toEqual([]);
    expectNoConsoleErrors(b);
  });
});
