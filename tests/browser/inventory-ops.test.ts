import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, expectNoConsoleErrors, login, openBrowser, screenshot, screenshotOnFailure, waitForUrl } from './browser';

async function apiGet<T>(page: Page, url: string): Promise<T> {
  return page.evaluate(async (u) => {
    const res = await fetch(u);
    if (!res.ok) throw new Error(`${res.status} ${u}`);
    return res.json();
  }, url) as Promise<T>;
}

async function apiPost<T>(page: Page, url: string, body: unknown): Promise<T> {
  return page.evaluate(
    async ({ url, body }) => {
      const me = await (await fetch('/api/auth/me')).json();
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-CSRF-Token': me.csrfToken ?? '',
          'Idempotency-Key': crypto.randomUUID(),
        },
        body: JSON.stringify(body),
      });
      const json = await res.json();
      if (!res.ok) throw new Error(`${res.status} ${url}: ${JSON.stringify(json)}`);
      return json;
    },
    { url, body },
  ) as Promise<T>;
}

interface BalanceRow {
  productId: number;
  productCode: string;
  warehouseId: number;
  batchNo: string | null;
  shelfId: number | null;
  status: string | null;
  qty: string;
}

const OK = /^(确\s*定|OK)$/;

// The other inventory screens (INV-4, INV-6, INV-7, DOC, INV-3) as a store manager and a DC keeper: a loss
// entered by scanning with its stock picked from the balances, submitted for HQ approval; an internal
// adjustment putting goods on hold; a warehouse move at the DC; the review queue posting a waiting document;
// the period stock report with opening and closing balances.
describe('inventory operations', () => {
  let b: Browser;
  /** The browser of the test running now, for the screenshot on failure. */
  let current: Browser | undefined;
  beforeAll(async () => {
    b = await openBrowser();
    await login(b.page, 's001_mgr');
  });
  const extra: Browser[] = [];
  afterAll(async () => {
    await b?.close();
    for (const x of extra) await x.close();
  });
  screenshotOnFailure(() => current ?? b);

  async function stockRow(page: Page): Promise<BalanceRow & { barcode: string }> {
    const rows = await apiGet<{ items: BalanceRow[] }>(page, '/api/stock/balances?pageSize=100&status=sellable');
    for (const r of rows.items) {
      if (r.batchNo || Number(r.qty) < 10) continue;
      const p = await apiGet<{ barcodes: { barcode: string }[]; batchTracked: boolean }>(page, `/api/products/${r.productId}`);
      const code = p.barcodes[0]?.barcode;
      if (code && !p.batchTracked) return { ...r, barcode: code };
    }
    throw new Error('no stock with a barcode at the store');
  }

  it('enters a loss by scanning, picks the stock it takes, and submits it to HQ finance', async () => {
    const { page } = b;
    const row = await stockRow(page);
    await page.goto('/inventory/losses');
    await page.getByTestId('doc-new').click();
    await waitForUrl(page, /\/inventory\/losses\/new$/);
    const scan = page.getByTestId('scan-input');
    for (let i = 0; i < 2; i++) {
      await scan.pressSequentially(row.barcode, { delay: 4 });
      await scan.press('Enter');
      await page
        .getByTestId('scan-feedback')
        .filter({ hasText: `数量 ${i + 1}` })
        .waitFor();
    }
    await page.getByTestId('line-pick-stock').first().click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
    await page.getByTestId('doc-reason').fill('搬运破损');
    await screenshot(page, 'inventory-20-loss-new');
    await page.getByTestId('doc-save').click();
    await waitForUrl(page, /\/inventory\/losses\/\d+$/);
    await page.getByTestId('doc-actions').locator('[data-action=submit]').click();
    await page.locator('[data-status="pending_approval"]').first().waitFor();
    await expect(page.getByTestId('doc-value').textContent()).resolves.toMatch(/¥\d/);
    await screenshot(page, 'inventory-21-loss-submitted');
  });

  it('puts goods on hold with an internal adjustment and posts it', async () => {
    const { page } = b;
    const row = await stockRow(page);
    await page.goto('/inventory/adjustments/new');
    const scan = page.getByTestId('scan-input');
    await scan.pressSequentially(row.barcode, { delay: 4 });
    await scan.press('Enter');
    await page.getByTestId('scan-feedback').filter({ hasText: '数量 1' }).waitFor();
    await page.getByTestId('line-pick-stock').first().click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '可销' }).first().click();
    // New status: pending check (待查). The status selects are in order: from, to.
    const toStatus = page.getByTestId('doc-lines').locator('.ant-select').last();
    await toStatus.click();
    await page.locator('.ant-select-dropdown:visible').getByText('待查', { exact: true }).click();
    await screenshot(page, 'inventory-22-adjustment-new');
    await page.getByTestId('doc-save').click();
    await waitForUrl(page, /\/inventory\/adjustments\/\d+$/);
    await page.getByTestId('doc-actions').locator('[data-action=confirm]').click();
    await page.locator('[data-status="posted"]').first().waitFor();
    await screenshot(page, 'inventory-23-adjustment-posted');
    const held = await apiGet<{ items: BalanceRow[] }>(
      page,
      `/api/stock/balances?productId=${row.productId}&status=pending_check`,
    );
    expect(held.items.reduce((s, r) => s + Number(r.qty), 0)).toBeGreaterThanOrEqual(1);
  });

  it('counts blind: book hidden, goods found off the sheet are added by scanning', async () => {
    const { page } = b;
    const row = await stockRow(page);
    const [wh] = await apiGet<{ id: number; orgId: number }[]>(page, '/api/warehouses');
    const shelves = await apiGet<{ id: number; code: string }[]>(page, `/api/warehouses/${wh?.id}/shelves`);
    // The pharmacy shelf: the scanned product (on a food shelf) is not on its sheet.
    const shelf = shelves.find((x) => x.code.endsWith('Y01')) ?? shelves[shelves.length - 1];
    const st = await apiPost<{ id: number }>(page, '/api/stocktakes', {
      orgId: wh?.orgId,
      warehouseId: wh?.id,
      shelfId: shelf?.id,
      entryMode: 'blind',
    });
    await page.goto(`/inventory/stocktakes/${st.id}`);
    const lines = page.getByTestId('stocktake-lines');
    await lines.locator('tr.ant-table-row').first().waitFor();
    await expect(lines.locator('tr.ant-table-row').first().textContent()).resolves.toContain('—');
    const scan = page.getByTestId('scan-input');
    await scan.pressSequentially(row.barcode, { delay: 4 });
    await scan.press('Enter');
    await page.getByTestId('scan-feedback').filter({ hasText: row.productCode }).waitFor();
    await page.getByTestId('stocktake-save').click();
    await lines.getByText('表外').waitFor();
    await screenshot(page, 'inventory-24b-blind-extra');
  });

  it('shows the period stock report with opening and closing balances, and a row’s entries', async () => {
    const { page } = b;
    await page.goto('/inventory/period-report');
    const first = page.locator('.ant-table-tbody tr.ant-table-row').first();
    await first.waitFor();
    await first.locator('.ant-table-row-expand-icon').click();
    await page.locator('.ant-table-expanded-row').first().waitFor();
    await screenshot(page, 'inventory-24-period-report');
    expectNoConsoleErrors(b);
  });

  it('posts a waiting document from the review queue (another store, auto-posting off)', async () => {
    const other = await openBrowser();
    extra.push(other);
    current = other;
    try {
      const { page } = other;
      await login(page, 's002_mgr');
      // The store posts other inbound documents by hand (demo configuration): a confirmed one waits for review.
      const [wh] = await apiGet<{ id: number; orgId: number; isDefault: boolean }[]>(page, '/api/warehouses');
      const products = await apiGet<{ items: { id: number; batchTracked: boolean }[] }>(page, '/api/products?pageSize=20');
      const product = products.items.find((p) => !p.batchTracked);
      const doc = await apiPost<{ id: number; number: string }>(page, '/api/documents', {
        docType: 'other_inbound',
        orgId: wh?.orgId,
        warehouseId: wh?.id,
        attrs: { reason: '赠品' },
        lines: [{ productId: product?.id, qty: '3' }],
      });
      const confirmed = await apiPost<{ status: string }>(page, `/api/documents/${doc.id}/transitions`, { action: 'confirm' });
      expect(confirmed.status).toBe('confirmed');
      await page.goto('/inventory/review');
      const row = page.locator('.ant-table-tbody tr.ant-table-row', { hasText: doc.number });
      await row.waitFor();
      await screenshot(page, 'inventory-25-review-queue');
      await row.locator('.ant-checkbox-input').check();
      await page.getByTestId('review-post-selected').click();
      await page.getByTestId('confirm-ok').click();
      await page.getByText(/已记账 1 张单据/).waitFor();
      await screenshot(page, 'inventory-26-review-posted');
      expectNoConsoleErrors(other);
    } finally {
      current = other;
    }
  });

  it('moves stock between the DC’s warehouses', async () => {
    const dc = await openBrowser();
    extra.push(dc);
    current = dc;
    try {
      const { page } = dc;
      await login(page, 'dc_keeper');
      await page.goto('/inventory/moves/new');
      const row = await stockRow(page);
      const scan = page.getByTestId('scan-input');
      await scan.pressSequentially(row.barcode, { delay: 4 });
      await scan.press('Enter');
      await page.getByTestId('scan-feedback').filter({ hasText: '数量 1' }).waitFor();
      await page.getByTestId('doc-to-warehouse').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '冷链' }).click();
      await page.getByTestId('line-pick-stock').first().click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '可销' }).first().click();
      await screenshot(page, 'inventory-27-move-new');
      await page.getByTestId('doc-save').click();
      await waitForUrl(page, /\/inventory\/moves\/\d+$/);
      await page.getByTestId('doc-actions').locator('[data-action=confirm]').click();
      await page.locator('[data-status="posted"]').first().waitFor();
      await screenshot(page, 'inventory-28-move-posted');
      expectNoConsoleErrors(dc);
    } finally {
      current = dc;
    }
  });
});
