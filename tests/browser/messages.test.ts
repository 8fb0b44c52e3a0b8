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
} from './browser';

// Issue 9, item 8: validation messages name the field in the user's language, from the one mapping in
// contracts — the same text whether the browser or the server caught the problem.
describe('validation messages a person can read', () => {
  let b: Browser;

  beforeAll(async () => {
    b = await openBrowser();
    await login(b.page, 'admin');
  });
  afterAll(async () => {
    await b?.close();
  });
  screenshotOnFailure(() => b);

  const fieldErrors = () => b.page.locator('.ant-form-item-explain-error').allTextContents();

  it('a product form saved empty asks for the product code and name by name', async () => {
    const { page } = b;
    await openMenu(page, '基础资料', '商品资料');
    await page.getByTestId('product-new').click();
    await page.getByTestId('product-save').click();
    await page.getByText('请填写商品编码', { exact: true }).waitFor();
    const errors = await fieldErrors();
    expect(errors).toEqual(expect.arrayContaining(['请填写商品编码', '请填写商品名称']));
    expect(errors.join(' ')).not.toMatch(/无效|Invalid|expected|undefined/);
    await page.getByTestId('product-code').fill('A B');
    await page.getByTestId('product-code').blur();
    await page.getByText('商品编码只能包含字母、数字和 - . _', { exact: true }).waitFor();
    await screenshot(page, 'msg-01-product-empty-zh');
  });

  it('a server field error lands on its field with the server’s text', async () => {
    const { page } = b;
    await openMenu(page, '系统管理', '用户管理');
    await page.getByTestId('user-new').click();
    await pickOption(page, 'user-org', '总部');
    await page.getByTestId('user-login').fill('msg_test_user');
    await page.getByTestId('user-name').fill('消息测试');
    // The schema takes any password; the server's policy refuses it and names the password field.
    await page.getByTestId('user-password').fill('short');
    await page.getByTestId('user-save').click();
    const onField = page
      .locator('.ant-form-item')
      .filter({ has: page.getByTestId('user-password') })
      .locator('.ant-form-item-explain-error');
    await onField.waitFor();
    await expect(onField.textContent()).resolves.toBe('密码至少 10 位，须同时包含字母和数字，且不能包含登录名');
    await screenshot(page, 'msg-02-server-field-error-zh');
    await page.getByTestId('user-cancel').click();
  });

  it('in English, the same form speaks English', async () => {
    const { page } = b;
    await page.evaluate(() => localStorage.setItem('erp.locale', 'en'));
    await page.goto('/catalog/products/new');
    await page.getByTestId('product-save').click();
    await page.getByText('Enter the product code', { exact: true }).waitFor();
    expect(await fieldErrors()).toEqual(expect.arrayContaining(['Enter the product code', 'Enter the product name']));
    await page.getByTestId('product-name').fill('x'.repeat(5));
    await page.getByTestId('product-code').fill('\u0001bad');
    await page.getByTestId('product-code').blur();
    await page
      .getByText('Product code contains characters that cannot be used (control characters or broken text encoding)')
      .waitFor();
    await screenshot(page, 'msg-03-product-empty-en');
    await page.evaluate(() => localStorage.removeItem('erp.locale'));
    // Only the server's refusal of the weak password was an API error; nothing was logged to the console.
    expect(b.failedRequests.every((r) => r === '400 POST /api/users')).toBe(true);
    expectNoConsoleErrors(b);
  });
});
