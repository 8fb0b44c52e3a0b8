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

// HQ administrator: browse the org tree, open a new store with the wizard (ORG-2), create a user for it
// (AUTH-1), then switch the UI to English (OPS-4) and see a server error come back in English.
describe('HQ admin in the back office', () => {
  let b: Browser;
  beforeAll(async () => {
    b = await openBrowser();
  });
  afterAll(async () => {
    await b?.close();
  });
  screenshotOnFailure(() => b);

  it('signs in (Chinese by default) and sees the menu of an administrator', async () => {
    const { page } = b;
    await page.goto('/');
    await waitForUrl(page, /\/login/);
    await page.getByTestId('login-submit').waitFor();
    await expect(page.getByTestId('login-submit').textContent()).resolves.toMatch(/登\s*录/);
    await screenshot(page, '01-login-zh');
    await login(page, 'admin');
    const menu = page.getByTestId('side-menu');
    for (const group of ['组织机构', '库存管理', '单据中心', '系统管理']) await menu.getByText(group, { exact: true }).waitFor();
    await page.getByText('你好，王总管').waitFor();
    await screenshot(page, '02-home-admin');
  });

  it('browses the org tree and opens a store’s details', async () => {
    const { page } = b;
    await openMenu(page, '组织机构', '机构管理');
    const tree = page.getByTestId('org-tree');
    await tree.getByTestId('org-node-S002').click();
    const detail = page.getByTestId('org-detail');
    await detail.getByText('文三路店', { exact: false }).first().waitFor();
    await expect(detail.getByText('杭州市西湖区文三路 77 号').isVisible()).resolves.toBe(true);
    await expect(page.url()).toMatch(/\/org\/orgs\?id=\d+/);
    await screenshot(page, '03-orgs-tree');
  });

  it('opens a new store with the wizard: store, default warehouse, supplying DC, parameters, a manager', async () => {
    const { page } = b;
    await openMenu(page, '组织机构', '开新店');
    // Validation runs with the server's own schema before anything is sent.
    await page.getByTestId('wizard-next').click();
    await page.locator('.ant-form-item-explain-error').first().waitFor();
    await page.getByTestId('open-code').fill('S900');
    await page.getByTestId('open-name').fill('西溪测试店');
    await page.getByTestId('wizard-next').click(); // → warehouses (none: one default warehouse)
    await page.getByText('不填则自动建一个以门店命名的默认仓库', { exact: false }).waitFor();
    await page.getByTestId('wizard-next').click(); // → supplying DCs (DC01 preset)
    await page.getByText('DC01 华东配送中心').waitFor();
    await page.getByTestId('wizard-next').click(); // → parameters
    await page.getByTestId('wizard-next').click(); // → staff
    await page.getByRole('button', { name: '添加人员' }).click();
    await page.getByPlaceholder('登录名').fill('s900_mgr');
    await page.getByPlaceholder('姓名').fill('西溪店长');
    await page.getByPlaceholder('初始密码').fill('Welcome2026x');
    await page.getByTestId('wizard-next').click(); // → confirm
    const summary = page.getByTestId('open-summary');
    await summary.waitFor();
    await expect(summary.getByText('（自动）西溪测试店仓库').isVisible()).resolves.toBe(true);
    await expect(summary.getByText('s900_mgr').isVisible()).resolves.toBe(true);
    await screenshot(page, '04-open-store-confirm');
    await page.getByTestId('wizard-submit').click();
    await page.getByText('门店 S900 西溪测试店 已开设').waitFor();
    await expect(page.getByText('已创建 1 个仓库、1 条配送关系、1 个用户。').isVisible()).resolves.toBe(true);
    await screenshot(page, '05-open-store-done');
    await page.getByRole('button', { name: '查看机构' }).click();
    await page.getByTestId('org-detail').getByText('S900-W1').waitFor();
  });

  it('creates a user for the new store, and the server refuses a duplicate login on the field', async () => {
    const { page } = b;
    await openMenu(page, '系统管理', '用户管理');
    await page.getByTestId('user-new').click();
    await pickOption(page, 'user-org', 'S900');
    await page.getByTestId('user-login').fill('s900_cash');
    await page.getByTestId('user-name').fill('西溪收银员');
    await page.getByTestId('user-password').fill('Welcome2026x');
    await page.getByTestId('role-add').click();
    await pickOption(page, 'role-select-0', '收银员');
    await page.getByTestId('user-save').click();
    await page
      .locator('.ant-drawer-open')
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
    await page.getByPlaceholder('登录名 / 姓名').fill('s900');
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.getByRole('cell', { name: 's900_cash' }).waitFor();
    await expect(page.getByRole('cell', { name: 's900_mgr' }).isVisible()).resolves.toBe(true);
    expect(page.url()).toContain('q=s900');
    await screenshot(page, '06-users-new-store');

    // Same login again: the server's DUPLICATE comes back in Chinese.
    await page.getByTestId('user-new').click();
    await pickOption(page, 'user-org', 'S900');
    await page.getByTestId('user-login').fill('s900_cash');
    await page.getByTestId('user-name').fill('重复');
    await page.getByTestId('user-password').fill('Welcome2026x');
    await page.getByTestId('user-save').click();
    await expect(page.getByTestId('form-error').textContent()).resolves.toContain('已存在');
    await page.getByTestId('user-cancel').click();
  });

  it('switches the UI to English; the choice persists and server errors come back in English', async () => {
    const { page } = b;
    await page.getByTestId('lang-switch').click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    const menu = page.getByTestId('side-menu');
    await menu.getByText('System', { exact: true }).waitFor();
    await expect(page.getByRole('heading', { name: 'Users' }).isVisible()).resolves.toBe(true);
    await page.reload();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await expect(page.getByTestId('breadcrumbs').textContent()).resolves.toContain('Home');
    await screenshot(page, '07-users-english');

    await page.getByTestId('user-new').click();
    await pickOption(page, 'user-org', 'S900');
    await page.getByTestId('user-login').fill('s900_cash');
    await page.getByTestId('user-name').fill('Duplicate');
    await page.getByTestId('user-password').fill('short');
    await page.getByTestId('user-save').click();
    // The password policy is the server's rule: it answers PASSWORD_POLICY, in English now.
    const error = page.getByTestId('form-error');
    await error.waitFor();
    await expect(error.textContent()).resolves.toMatch(/already exists|at least 10 characters/);
    await screenshot(page, '08-server-error-english');
    await page.getByTestId('user-cancel').click();
    expect(b.failedRequests.every((r) => /^(400|409) POST \/api\/users$/.test(r))).toBe(true);
    expectNoConsoleErrors(b);
  });

  it('lets the new store manager in, who sees only the new store', async () => {
    const { page } = b;
    await page.getByTestId('user-menu').click();
    await page.locator('.ant-dropdown:visible').getByText('Sign out', { exact: true }).click();
    await waitForUrl(page, /\/login/);
    await login(page, 's900_mgr', 'Welcome2026x');
    await expect(page.getByTestId('org-current').textContent()).resolves.toContain('S900');
    await expect(page.getByTestId('org-switcher').count()).resolves.toBe(0);
    await screenshot(page, '09-new-store-manager-home');
  });
});
