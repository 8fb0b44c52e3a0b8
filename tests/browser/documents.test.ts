import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, expectNoConsoleErrors, login, openBrowser, screenshot, screenshotOnFailure, waitForUrl } from './browser';

// The generic document screens (DOC): a document waiting for approval is rejected (a comment is required),
// resubmitted and approved through the buttons its state and the user's grants allow; history records it all.
describe('documents in the back office', () => {
  let b: Browser;
  beforeAll(async () => {
    b = await openBrowser();
    await login(b.page, 'admin');
  });
  afterAll(async () => {
    await b?.close();
  });
  screenshotOnFailure(() => b);

  it('rejects with a required comment, resubmits and approves a document', async () => {
    const { page } = b;
    await page.goto('/documents?status=pending_approval');
    const first = page.locator('.ant-table-tbody tr.ant-table-row a').first();
    await first.waitFor();
    const number = (await first.textContent())?.trim() ?? '';
    await first.click();
    await waitForUrl(page, /\/documents\/\d+$/);
    await expect(page.getByTestId('doc-number').textContent()).resolves.toBe(number);
    const actions = page.getByTestId('doc-actions');
    await actions.locator('[data-action=approve]').waitFor();
    await screenshot(page, '30-document-pending');

    await actions.locator('[data-action=reject]').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
    await dialog.locator('.ant-form-item-explain-error').waitFor();
    await page.getByTestId('comment-input').fill('数量与合同不符，请核对');
    await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
    await page.locator('[data-status="rejected"]').first().waitFor();
    await page.getByText('审核意见：数量与合同不符，请核对').waitFor();
    await page.getByTestId('doc-history').getByText('“数量与合同不符，请核对”').waitFor();
    await screenshot(page, '31-document-rejected');

    await actions.locator('[data-action=submit]').click();
    await page.locator('[data-status="pending_approval"]').first().waitFor();
    await actions.locator('[data-action=approve]').click();
    await page.locator('[data-status="approved"]').first().waitFor();
    await actions.locator('[data-action=confirm]').waitFor();
    await expect(actions.locator('[data-action=approve]').count()).resolves.toBe(0);
    await screenshot(page, '32-document-approved');
    expectNoConsoleErrors(b);
  });
});
