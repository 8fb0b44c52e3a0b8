import { type FieldIssue, interpolate, type Locale, messageWithRow, type Problem } from '@erp/contracts';
import { commonMessages } from './messages';

/**
 * The one way the web app talks to the server: JSON in and out, the session cookie, `X-CSRF-Token` on every
 * non-GET request, `Accept-Language` so the server answers errors in the user's language, and an
 * `Idempotency-Key` per write so a retried click never creates a thing twice. Failures become `ApiError`
 * carrying the server's problem+json (localized `detail`, field `errors`).
 */

let csrfToken: string | null = null;
let locale: Locale = 'zh-CN';
let unauthorizedHandler: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function setApiLocale(l: Locale): void {
  locale = l;
}

/** Called when the server says the session is gone (401), so the shell can show the login page. */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor(status: number, problem: Problem | undefined, fallback: string) {
    super(problem?.detail ?? fallback);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  get code(): string | undefined {
    return this.problem?.code;
  }

  get fieldErrors(): FieldIssue[] {
    return this.problem?.errors ?? [];
  }
}

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type Query = Record<string, QueryValue>;

export function buildUrl(url: string, query?: Query): string {
  if (!query) return url;
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const item of v) sp.append(k, String(item));
    else sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `${url}${url.includes('?') ? '&' : '?'}${s}` : url;
}

function newKey(): string {
  return typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Reuse one key when retrying the same logical write; default a fresh key per call. */
  idempotencyKey?: string;
  headers?: Record<string, string>;
}

async function send(method: string, url: string, opts: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { 'Accept-Language': locale, Accept: 'application/json', ...opts.headers };
  const write = method !== 'GET' && method !== 'HEAD';
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData || opts.body instanceof Blob) body = opts.body;
  else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  } else if (write) {
    headers['Content-Type'] = 'application/json';
    body = '{}';
  }
  if (write) {
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
    headers['Idempotency-Key'] = opts.idempotencyKey ?? newKey();
  }
  const res = await fetch(buildUrl(url, opts.query), {
    method,
    headers,
    body,
    credentials: 'same-origin',
    signal: opts.signal,
  });
  if (!res.ok) throw await toError(res, url);
  return res;
}

async function toError(res: Response, url: string): Promise<ApiError> {
  let problem: Problem | undefined;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      problem = (await res.json()) as Problem;
    } catch {
      problem = undefined;
    }
  }
  const err = new ApiError(res.status, problem, `HTTP ${res.status} ${url}`);
  const sessionGone = res.status === 401 && !url.endsWith('/api/auth/login');
  if (sessionGone) unauthorizedHandler?.();
  return err;
}

async function json<T>(method: string, url: string, opts?: RequestOptions): Promise<T> {
  const res = await send(method, url, opts);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

export const api = {
  get: <T>(url: string, query?: Query, signal?: AbortSignal) => json<T>('GET', url, { query, signal }),
  post: <T>(url: string, body?: unknown, opts?: Omit<RequestOptions, 'body'>) => json<T>('POST', url, { ...opts, body }),
  put: <T>(url: string, body?: unknown, opts?: Omit<RequestOptions, 'body'>) => json<T>('PUT', url, { ...opts, body }),
  patch: <T>(url: string, body?: unknown, opts?: Omit<RequestOptions, 'body'>) => json<T>('PATCH', url, { ...opts, body }),
  delete: <T>(url: string, opts?: RequestOptions) => json<T>('DELETE', url, opts),
  /** Raw response for files (downloads). */
  raw: send,
};

function filenameOf(res: Response, fallback: string): string {
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  return plain?.[1] ?? fallback;
}

/** Downloads a file the server produces (Excel export, import template) under the server's file name. */
export async function download(url: string, query?: Query, fallbackName = 'export.xlsx', method: 'GET' | 'POST' = 'GET') {
  const res = await send(method, url, { query });
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filenameOf(res, fallbackName);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** A field error's message in the user's current language (the server sends both). */
export function issueText(issue: FieldIssue): string {
  return (locale === 'en' ? issue.messageEn : issue.messageZh) ?? issue.message;
}

function problemDetail(e: ApiError): string | undefined {
  const p = e.problem;
  if (!p) return undefined;
  return p.messages?.[locale] ?? p.detail;
}

/** The failure's headline alone (a form shows the field messages on the fields themselves). */
export function detailText(e: unknown): string {
  return (e instanceof ApiError ? problemDetail(e) : undefined) ?? errorText(e);
}

/**
 * The server's error with each field message ("输入有误，请检查标出的字段：明细第 3 行：请填写数量"), for a toast
 * or an alert where no form field can show them. Field messages already say which line they are about.
 */
export function fullError(e: unknown): string {
  if (!(e instanceof ApiError) || !e.problem) return errorText(e);
  const detail = problemDetail(e) ?? '';
  const extra = e.fieldErrors.map((i) => messageWithRow(i, locale)).filter((m) => m && m !== detail);
  return extra.length ? `${detail}：${extra.join('；')}` : detail;
}

/**
 * The message to show for any failure, always in the user's language: the server's problem (with its
 * field messages), or a plain sentence for a network failure or a server that sent no problem. A raw
 * exception text (English, a library's) is never shown; it goes to the console for whoever debugs.
 */
export function errorText(e: unknown): string {
  const texts = commonMessages[locale];
  if (e instanceof ApiError) {
    if (e.problem) return e.problem.code === 'VALIDATION_FAILED' ? fullError(e) : (problemDetail(e) ?? e.message);
    return interpolate(texts['error.server'], { status: e.status });
  }
  if (e instanceof TypeError && /fetch|network|load failed/i.test(e.message)) return texts['error.network'];
  console.warn(e);
  return texts['error.unexpected'];
}
