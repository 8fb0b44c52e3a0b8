import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, expectNoConsoleErrors, login, openBrowser, openMenu, screenshot, screenshotOnFailure } from './browser';

// A store manager (AUTH-2): every list shows their own store only, and HQ-only screens answer 403.
describe('store manager s001_mgr', () => {
  let b: Browser;
  beforeAll(async () => {
    b = await openBrowser();
    await login(b.page, 's001_mgr');
  });
  afterAll(async () => {
    await b?.close();
  });
  screenshotOnFailure(() => b);

  it('works in their own store only: no org switcher, one org in the tree', async () => {
    const { page } = b;
    await expect(page.getByTestId('org-current').textContent()).resolves.toContain('S001 人民路店');
    await expect(page.getByTestId('org-switcher').count()).resolves.toBe(0);
    await openMenu(page, '组织机构', '机构管理');
    const tree = page.getByTestId('org-tree');
    await tree.getByTestId('org-node-S001').waitFor();
    await expect(tree.locator('[data-testid^="org-node-"]').count()).resolves.toBe(1);
    await screenshot(page, '10-store-orgs');
  });

  it('sees only their store’s users and stock', async () => {
    const { page } = b;
    await openMenu(page, '系统管理', '用户管理');
    await page.getByRole('cell', { name: 's001_cash' }).waitFor();
    const logins = await page.locator('.ant-table-tbody tr.ant-table-row td:first-child').allInnerTexts();
    expect(logins.length).toBeGreaterThan(0);
    expect(logins.filter((l) => !l.startsWith('s001_'))).toEqual([]);
    await screenshot(page, '11-store-users');

    await openMenu(page, '库存管理', '库存查询');
    await page.getByRole('heading', { name: '库存查询' }).waitFor();
    await page.waitForLoadState('networkidle');
    const warehouses = await page.locator('.ant-table-tbody tr.ant-table-row td:first-child').allInnerTexts();
    expect(warehouses.filter((w) => !w.startsWith('S001-'))).toEqual([]);
    await screenshot(page, '12-store-stock');
  });

  it('does not get HQ screens: not in the menu, and 403 when opened by address', async () => {
    const { page } = b;
    const menu = page.getByTestId('side-menu');
    await menu
      .getByRole('menuitem', { name: '组织机构' })
      .click()
      .catch(() => undefined);
    await expect(menu.getByText('开新店', { exact: true }).count()).resolves.toBe(0);
    await page.goto('/org/open-store');
    await page.getByText('没有权限').waitFor();
    await screenshot(page, '13-store-forbidden');
    await page.goto('/documents/999999');
    await page.getByText('单据不存在或无权查看').waitFor();
    expectNoConsoleErrors(b);
  });
});
