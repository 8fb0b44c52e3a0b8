import { withCheckDigit } from '@erp/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  expectNoConsoleErrors,
  login,
  openBrowser,
  openMenu,
  screenshot,
  screenshotOnFailure,
  waitForUrl,
} from './browser';

// Master data (MD-1, MD-4) through the screens: a product with two barcodes found again by scanning one,
// and an import whose one bad row refuses the whole file, then the good-rows-only option.
describe('master data in the back office', () => {
  let b: Browser;
  const stamp = String(Date.now()).slice(-6);
  const ean13 = withCheckDigit(`690${stamp}123`);
  const ean8 = withCheckDigit(`6${stamp}`);
  const wrongCheckDigit = `${ean13.slice(0, 12)}${(Number(ean13[12]) + 1) % 10}`;

  beforeAll(async () => {
    b = await openBrowser();
    await login(b.page, 'admin');
  });
  afterAll(async () => {
    await b?.close();
  });
  screenshotOnFailure(() => b);

  it('creates a product with two barcodes; a wrong check digit is caught on the field before saving', async () => {
    const { page } = b;
    await openMenu(page, '基础资料', '商品资料');
    await page.getByTestId('product-new').click();
    await page.getByTestId('product-code').fill(`T${stamp}`);
    await page.getByTestId('product-name').fill('测试矿泉水 550ml');
    await page.getByTestId('barcode-0').fill(ean13);
    await page.getByTestId('barcode-add').click();
    await page.getByTestId('barcode-1').fill(wrongCheckDigit);
    await page.getByTestId('barcode-1').blur();
    await page.getByText('校验位错误', { exact: false }).waitFor();
    await screenshot(page, '20-product-barcode-check-digit');
    await page.getByTestId('barcode-1').fill(ean8);
    await page.getByTestId('price-retail').fill('2.50');
    await page.getByTestId('product-save').click();
    await waitForUrl(page, /\/catalog\/products\/\d+$/);
    await page.getByText(`T${stamp} 测试矿泉水 550ml`).waitFor();
    await expect(page.getByTestId('barcode-0').inputValue()).resolves.toBe(ean13);
    await expect(page.getByTestId('barcode-1').inputValue()).resolves.toBe(ean8);
    await screenshot(page, '21-product-saved');
  });

  it('finds the product by scanning its second barcode into the list’s barcode search', async () => {
    const { page } = b;
    await openMenu(page, '基础资料', '商品资料');
    const scan = page.getByPlaceholder('扫描或输入条码');
    await scan.fill(ean8);
    await scan.press('Enter');
    await expect.poll(() => page.url()).toContain(`barcode=${ean8}`);
    await page.getByRole('link', { name: `T${stamp}` }).waitFor();
    await expect.poll(() => page.locator('.ant-table-tbody tr.ant-table-row').count()).toBe(1);
    await screenshot(page, '22-product-found-by-barcode');
  });

  it('imports a file with one bad row: the report names the row and nothing is imported', async () => {
    const { page } = b;
    const good = withCheckDigit(`691${stamp}001`);
    const validB = withCheckDigit(`691${stamp}002`);
    const bad = `${validB.slice(0, 12)}${(Number(validB[12]) + 1) % 10}`;
    const csv = [
      '商品编码,商品名称,规格,主条码',
      `I${stamp}A,导入测试商品甲,500g,${good}`,
      `I${stamp}B,导入测试商品乙,500g,${bad}`,
    ].join('\n');
    await openMenu(page, '基础资料', '导入导出');
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByTestId('import-run').click();
    const report = page.getByTestId('import-report');
    await report.waitFor();
    await expect(page.getByTestId('import-status').getAttribute('data-status')).resolves.toBe('rejected');
    await expect(page.getByTestId('import-bad').textContent()).resolves.toBe('1');
    await expect(page.getByTestId('import-imported').textContent()).resolves.toBe('0');
    await report.getByRole('cell', { name: '3', exact: true }).waitFor();
    await page.getByTestId('import-rejected').waitFor();
    await screenshot(page, '23-import-rejected');

    // Nothing of the file is in the catalog.
    await page.goto(`/catalog/products?q=I${stamp}`);
    await page.getByRole('heading', { name: '商品资料' }).waitFor();
    await page.waitForLoadState('networkidle');
    await expect.poll(() => page.locator('.ant-table-tbody tr.ant-table-row').count()).toBe(0);

    // Asking for the good rows only imports the one good row.
    await openMenu(page, '基础资料', '导入导出');
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByTestId('import-good-only').check();
    await page.getByTestId('import-run').click();
    await page.getByTestId('import-status').and(page.locator('[data-status="partial"]')).waitFor();
    await expect(page.getByTestId('import-imported').textContent()).resolves.toBe('1');
    await screenshot(page, '24-import-good-rows-only');
    expectNoConsoleErrors(b);
  });
});
