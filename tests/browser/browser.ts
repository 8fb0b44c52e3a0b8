import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterEach, expect, inject } from 'vitest';

export const DEMO_PASSWORD = 'Retail2026go';
const resultsDir = resolve(import.meta.dirname, '../../test-results');

export interface Browser {
  context: BrowserContext;
  page: Page;
  baseUrl: string;
  /** Console errors and uncaught page errors (not failed requests, see `failedRequests`). */
  consoleErrors: string[];
  /** "STATUS METHOD path" of every API answer >= 400. */
  failedRequests: string[];
  close(): Promise<void>;
}

/** The server's API as a test sets data up or checks it: JSON in and out, a fresh Idempotency-Key per write. */
export interface Api {
  get<T>(url: string): Promise<T>;
  send<T>(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
}

/** The API with these credentials (a bearer token; a till's also its X-Terminal-Token; none for pairing). */
export function apiWith(baseUrl: string, auth: Record<string, string>): Api {
  const call = async <T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> => {
    const r = await fetch(`${baseUrl}${url}`, {
      method,
      headers: {
        ...auth,
        ...headers,
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

/** The API as a back-office user signed in with a bearer session (the demo password unless given). */
export async function apiAs(baseUrl: string, loginName: string, password = DEMO_PASSWORD): Promise<Api> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: loginName, password, mode: 'bearer' }),
  });
  if (!res.ok) throw new Error(`login ${loginName}: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  return apiWith(baseUrl, { authorization: `Bearer ${token}` });
}

/** A fresh Chromium (own user-data dir) on the test server, collecting console errors and failed API calls. */
export async function openBrowser(opts: { locale?: 'zh-CN' | 'en'; baseUrl?: string | undefined } = {}): Promise<Browser> {
  // baseUrl: another server than the suite's (e.g. one on PostgreSQL for a second run of a file).
  const baseUrl = opts.baseUrl || inject('erpBaseUrl');
  const userDataDir = mkdtempSync(join(tmpdir(), 'erp-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1440, height: 900 },
    locale: opts.locale ?? 'zh-CN',
    baseURL: baseUrl,
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors: string[] = [];
  const failedRequests: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // Chromium reports every non-2xx fetch as a console error; those are tracked as failedRequests instead.
    if (msg.text().startsWith('Failed to load resource')) return;
    consoleErrors.push(msg.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (res.status() >= 400 && url.pathname.startsWith('/api/')) {
      failedRequests.push(`${res.status()} ${res.request().method()} ${url.pathname}`);
    }
  });
  return {
    context,
    page,
    baseUrl,
    consoleErrors,
    failedRequests,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Waits for a client-side route change (history API: no page load to wait for). */
export async function waitForUrl(page: Page, test: RegExp | ((url: URL) => boolean)): Promise<void> {
  const ok = (u: URL) => (test instanceof RegExp ? test.test(u.pathname + u.search) : test(u));
  const deadline = Date.now() + 15_000;
  while (!ok(new URL(page.url()))) {
    if (Date.now() > deadline) throw new Error(`URL still ${page.url()}`);
    await page.waitForTimeout(100);
  }
}

export async function login(page: Page, loginName: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-name').fill(loginName);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await waitForUrl(page, (u) => !u.pathname.startsWith('/login'));
  await page.getByTestId('user-menu').waitFor();
}

/** Saves a full-page screenshot to test-results/<name>.png (CI keeps them). */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(resultsDir, `${name}.png`);
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Opens a menu entry the way a user does: expand the group, click the item. */
export async function openMenu(page: Page, group: string, item: string): Promise<void> {
  const menu = page.getByTestId('side-menu');
  const entry = menu.getByRole('menuitem', { name: item, exact: true });
  if (!(await entry.isVisible())) await menu.getByRole('menuitem', { name: group }).click();
  await entry.click();
}

export function expectNoConsoleErrors(b: Browser): void {
  expect(b.consoleErrors, b.consoleErrors.join('\n')).toEqual([]);
}

/** Picks an option of an antd Select/TreeSelect by typing and choosing the match. */
export async function pickOption(page: Page, testIdOrLocator: string, text: string): Promise<void> {
  const field = page.getByTestId(testIdOrLocator);
  await field.click();
  await page.keyboard.type(text);
  await page.locator('.ant-select-dropdown:visible').getByText(text, { exact: false }).first().click();
}

export function cleanup(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

/** Saves a screenshot named after a failing test, so CI shows what the page looked like when it failed. */
export function screenshotOnFailure(get: () => Browser | undefined): void {
  afterEach(async (ctx) => {
    const b = get();
    if (!b || ctx.task.result?.state !== 'fail') return;
    const name = `FAILED-${ctx.task.name.replace(/[^\w\u4e00-\u9fa5-]+/g, '_').slice(0, 80)}`;
    await screenshot(b.page, name).catch(() => undefined);
  });
}
