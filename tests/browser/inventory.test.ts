import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  expectNoConsoleErrors,
  login,
  openBrowser,
  openMenu,
  pickOption,
  screenshot,
  screenshotOnFailure,
  waitForUrl,
} from './browser';

/** A JSON call from inside the page with the session cookie (and the CSRF token for writes). */
async function apiCall<T>(page: Page, method: string, url: string, body?: unknown): Promise<T> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const me = await (await fetch('/api/auth/me')).json();
      const res = await fetch(url, {
        method,
        headers: {
          'Content-Type': 'application/json',
          ...(method === 'GET' ? {} : { 'X-CSRF-Token': me.csrfToken ?? '', 'Idempotency-Key': crypto.randomUUID() }),
        },
        body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
      });
      const json = await res.json();
      if (!res.ok) throw new Error(`${res.status} ${url}: ${JSON.stringify(json)}`);
      return json;
    },
    { method, url, body },
  ) as Promise<T>;
}

interface Line {
  id: number;
  lineNo: number;
  productId: number;
  productCode: string;
  bookQty: string;
  warehouseId: number;
  batchNo: string;
  lotNo: string;
  shelfId: number | null;
  status: string;
}

const OK = /^(确\s*定|OK)$/;

// INV-5 and INV-4 in the browser, as a store manager and HQ finance: a stocktake of one shelf at store S001
// (printable sheet, counts typed and scanned, posting with surplus and shortage apart, generating the
// loss/overage documents, unposting refused afterwards), finance rejecting without a comment (refused) and
// approving the loss, and the stock and ledger checked through the API.
describe('store stocktake and loss/overage approval', () => {
  let mgr: Browser;
  let fin: Browser | undefined;
  let stocktakeId = 0;
  let surplusLine: Line;
  let shortageLine: Line;
  let lossId = 0;
  let overageId = 0;

  beforeAll(async () => {
    mgr = await openBrowser();
    await login(mgr.page, 's001_mgr');
  });
  afterAll(async () => {
    await mgr?.close();
    await fin?.close();
  });
  screenshotOnFailure(() => fin ?? mgr);

  it('creates a count sheet for one shelf and prints it on A4', async () => {
    const { page } = mgr;
    await openMenu(page, '库存管理', '盘点');
    await waitForUrl(page, /\/inventory\/stocktakes$/);
    await page.getByTestId('stocktake-new').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('货架', { exact: true }).click();
    await pickOption(page, 'stocktake-shelf', 'S001-A01');
    await dialog.getByText('与账面相同').click();
    await screenshot(page, 'inventory-01-create');
    await page.getByTestId('stocktake-create-ok').click();
    await waitForUrl(page, /\/inventory\/stocktakes\/\d+$/);
    stocktakeId = Number(/(\d+)$/.exec(new URL(page.url()).pathname)?.[1]);
    await page.getByTestId('stocktake-lines').locator('tr.ant-table-row').first().waitFor();

    await page.getByTestId('stocktake-print').click();
    await waitForUrl(page, /\/print$/);
    const sheet = page.getByTestId('count-sheet');
    await sheet.locator('tbody tr').first().waitFor();
    await expect(sheet.textContent()).resolves.toContain('S001-A01');
    await screenshot(page, 'inventory-02-print-preview');
    // On paper only the sheet: the menu and header are hidden by the print stylesheet.
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByTestId('side-menu').isVisible()).resolves.toBe(false);
    await expect(sheet.isVisible()).resolves.toBe(true);
    await screenshot(page, 'inventory-03-print-media');
    await page.emulateMedia({ media: 'screen' });
    await page.goBack();
    await waitForUrl(page, /\/inventory\/stocktakes\/\d+$/);
  });

  it('enters one surplus by typing and one shortage partly by scanning into the grid, then posts', async () => {
    const { page } = mgr;
    const lines = await apiCall<{ items: Line[] }>(page, 'GET', `/api/stocktakes/${stocktakeId}/lines?pageSize=500`);
    expect(lines.items.length).toBeGreaterThanOrEqual(2);
    [surplusLine, shortageLine] = lines.items as [Line, Line];
    const product = await apiCall<{ barcodes: { barcode: string }[] }>(page, 'GET', `/api/products/${shortageLine.productId}`);
    const barcode = product.barcodes[0]?.barcode;
    expect(barcode, 'the shortage product has a barcode').toBeTruthy();

    const book1 = Number(surplusLine.bookQty);
    const book2 = Number(shortageLine.bookQty);
    const cell1 = page.locator(`[data-cell="count-${surplusLine.lineNo}"]`);
    const cell2 = page.locator(`[data-cell="count-${shortageLine.lineNo}"]`);
    await cell1.fill(String(book1 + 3));
    await cell1.press('Enter'); // Enter goes down the column
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-cell'))).resolves.toBe(
      `count-${shortageLine.lineNo}`,
    );
    await cell2.fill(String(book2 - 3));
    // A keyboard-wedge scanner types into the focused cell: digits a few ms apart, then Enter. The digits are
    // taken back out of the cell and the scan adds 1 to the product's count.
    await page.keyboard.type(barcode as string, { delay: 4 });
    await page.keyboard.press('Enter');
    await page
      .getByTestId('scan-feedback')
      .filter({ hasText: String(book2 - 2) })
      .waitFor();
    await expect(cell2.inputValue()).resolves.toBe(String(book2 - 2));
    await screenshot(page, 'inventory-04-counts');
    await page.getByTestId('stocktake-save').click();
    await page.getByText(/已保存 \d+ 行实盘数/).waitFor();

    await page.getByTestId('stocktake-post').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('stocktake-surplus').waitFor();
    await expect(page.getByTestId('stocktake-surplus').textContent()).resolves.toContain('盘盈 1 行，数量 3');
    await expect(page.getByTestId('stocktake-shortage').textContent()).resolves.toContain('盘亏 1 行，数量 2');
    await page.getByTestId('variance-surplus').getByText(surplusLine.productCode).waitFor();
    await screenshot(page, 'inventory-05-posted-surplus-shortage');
    await page.getByRole('tab', { name: /盘亏/ }).click();
    await page.getByTestId('variance-shortage').getByText(shortageLine.productCode).waitFor();
    await screenshot(page, 'inventory-06-posted-shortage-tab');

    // Unposting before anything is generated reopens counting with the counts kept; posting again gives the same.
    await page.getByTestId('stocktake-unpost').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('stocktake-post').waitFor();
    await expect(cell2.inputValue()).resolves.toBe(String(book2 - 2));
    await page.getByTestId('stocktake-post').click();
    await page.getByTestId('confirm-ok').click();
    await expect(page.getByTestId('stocktake-shortage').textContent()).resolves.toContain('盘亏 1 行，数量 2');
  });

  it('generates the loss/overage documents; unposting is then refused with the server’s reason', async () => {
    const { page } = mgr;
    await page.getByTestId('stocktake-generate').click();
    await page.getByTestId('confirm-ok').click();
    const generated = page.getByTestId('stocktake-generated');
    await generated.locator('a').nth(1).waitFor();
    const st = await apiCall<{ generatedDocuments: { id: number; docType: string }[] }>(
      page,
      'GET',
      `/api/stocktakes/${stocktakeId}`,
    );
    lossId = st.generatedDocuments.find((d) => d.docType === 'loss')?.id ?? 0;
    overageId = st.generatedDocuments.find((d) => d.docType === 'overage')?.id ?? 0;
    expect(lossId).toBeGreaterThan(0);
    expect(overageId).toBeGreaterThan(0);
    await screenshot(page, 'inventory-07-generated');

    await page.getByTestId('stocktake-unpost').click();
    await page.getByTestId('confirm-ok').click();
    await expect(page.getByTestId('stocktake-error').textContent()).resolves.toContain('已生成损益单，不能回退过账');
    await screenshot(page, 'inventory-08-unpost-refused');
  });

  it('finance must comment to reject the overage and approves the loss', async () => {
    fin = await openBrowser();
    const { page } = fin;
    await login(page, 'finance');
    await page.goto(`/inventory/overages/${overageId}`);
    const actions = page.getByTestId('doc-actions');
    await actions.locator('[data-action=reject]').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: OK }).click();
    await dialog.getByText('请填写审核意见（不通过时必填）').last().waitFor();
    await screenshot(page, 'inventory-09-reject-needs-comment');
    await page.getByTestId('comment-input').fill('盘盈数量需复盘确认');
    await dialog.getByRole('button', { name: OK }).click();
    await page.getByTestId('reject-note').getByText('盘盈数量需复盘确认').waitFor();
    await screenshot(page, 'inventory-10-overage-rejected');

    await page.goto(`/inventory/losses/${lossId}`);
    await page.getByTestId('doc-value').waitFor();
    await actions.locator('[data-action=approve]').click();
    await dialog.getByRole('button', { name: OK }).click();
    await page.locator('[data-status="approved"]').first().waitFor();
    await screenshot(page, 'inventory-11-loss-approved');
    expectNoConsoleErrors(fin);
  });

  it('the store confirms the approved loss: stock falls by the shortage and the ledger matches the balances', async () => {
    const { page } = mgr;
    const key = shortageLine;
    const balance = async () => {
      const r = await apiCall<{ items: { qty: string }[] }>(
        page,
        'GET',
        `/api/stock/balances?warehouseId=${key.warehouseId}&productId=${key.productId}&groupBy=shelf,status,batch,lot&includeZero=true`,
      );
      return r.items.reduce((s, x) => s + Number(x.qty), 0);
    };
    const before = await balance();
    await page.goto(`/inventory/losses/${lossId}`);
    await page.getByTestId('doc-actions').locator('[data-action=confirm]').click();
    await page.locator('[data-status="posted"]').first().waitFor();
    await screenshot(page, 'inventory-12-loss-posted');
    expect(await balance()).toBeCloseTo(before - 2, 3);
    const recalc = await apiCall<{ differences: unknown[]; costDifferences: unknown[] }>(page, 'POST', '/api/stock/recalculate', {
      warehouseIds: [key.warehouseId],
    });
    expect(recalc.differences).toEqual([]);
    expect(recalc.costDifferences).toEqual([]);
  });

  it('shows the stocktake in English', async () => {
    const { page } = mgr;
    await page.getByTestId('lang-switch').click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await page.goto(`/inventory/stocktakes/${stocktakeId}`);
    await page
      .getByTestId('stocktake-surplus')
      .getByText(/Surplus: 1 line\(s\), qty 3/)
      .waitFor();
    await page.getByRole('button', { name: 'Print count sheet' }).waitFor();
    await screenshot(page, 'inventory-13-stocktake-english');
    await page.getByTestId('lang-switch').click();
    await page.getByRole('menuitem', { name: '中文' }).click();
    expectNoConsoleErrors(mgr);
  });
});
