import type { Locale, Problem } from '@erp/contracts';
import { TERMINAL_TOKEN_HEADER } from '@erp/contracts';

/**
 * The till's HTTP client. A till does not use the back office's cookie session: the cashier's till session is
 * a bearer token, and every request also carries this device's terminal token (X-Terminal-Token), so a
 * cashier's token alone is useless away from the till. Network failures (offline, timeout) are told apart
 * from the server's answers: the first keep the sale in the outbox, the second are business errors.
 */

/** Every till endpoint in one place. */
export const TILL = {
  pair: '/api/pos/terminal/pair',
  signIn: '/api/pos/till/sign-in',
  signOut: '/api/pos/till/sign-out',
  me: '/api/pos/till/me',
  sync: '/api/pos/sync',
  receiptBlock: '/api/pos/till/receipt-blocks',
  shift: '/api/pos/shifts/current',
  shifts: '/api/pos/shifts',
  handover: '/api/pos/shifts/current/handover',
  cashMovement: '/api/pos/shifts/current/cash-movements',
  sales: '/api/pos/sales',
  openSales: '/api/pos/sales/open',
  discardOpenSale: (clientId: string) => `/api/pos/sales/${clientId}/discard`,
  upload: '/api/pos/uploads',
  authorizations: '/api/pos/authorizations',
  payments: '/api/pos/payments',
  payment: (id: string) => `/api/pos/payments/${id}`,
  paymentQuery: (id: string) => `/api/pos/payments/${id}/query`,
  paymentCancel: (id: string) => `/api/pos/payments/${id}/cancel`,
  returns: '/api/pos/returns',
  journal: '/api/pos/journal',
  sale: (id: number) => `/api/pos/sales/${id}`,
  receipt: (saleId: number) => `/api/pos/sales/${saleId}/receipt`,
  /** Availability before payment (no selling below zero): `{lines:[{productId, qty, lotNo?}]}`. */
  stockCheck: '/api/pos/till/stock-check',
} as const;

export class TillApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;
  constructor(status: number, problem: Problem | undefined, fallback: string) {
    super(problem?.detail ?? fallback);
    this.name = 'TillApiError';
    this.status = status;
    this.problem = problem;
  }
  get code(): string | undefined {
    return this.problem?.code;
  }
}

/** The server could not be reached (offline, DNS, timeout, 5xx from a proxy): the request may be retried. */
export class NetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetworkError';
  }
}

interface Credentials {
  terminalToken: string | null;
  bearer: string | null;
}

const creds: Credentials = { terminalToken: null, bearer: null };
let locale: Locale = 'zh-CN';
const listeners = new Set<(ok: boolean) => void>();
let reachable = typeof navigator === 'undefined' ? true : navigator.onLine;

export function setTillCredentials(c: Partial<Credentials>): void {
  Object.assign(creds, c);
}

/** Whether requests go out with a cashier's till session (bearer token). */
export function hasTillSession(): boolean {
  return !!creds.bearer && !!creds.terminalToken;
}

export function setTillLocale(l: Locale): void {
  locale = l;
}

/** Whether the last request reached the server (and the browser thinks it is online). */
export function isReachable(): boolean {
  return reachable && (typeof navigator === 'undefined' || navigator.onLine);
}

export function onReachability(fn: (ok: boolean) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function setReachable(ok: boolean) {
  if (ok === reachable) return;
  reachable = ok;
  for (const l of listeners) l(ok);
}

if (typeof window !== 'undefined') {
  window.addEventListener('offline', () => setReachable(false));
  window.addEventListener('online', () => setReachable(true));
}

export interface TillRequest {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /** Abort after this many milliseconds (treated as a network failure). */
  timeoutMs?: number;
  idempotencyKey?: string;
  /** Send without the cashier's bearer token (pairing, sign-in). */
  anonymous?: boolean;
}

function newKey(): string {
  return crypto.randomUUID();
}

export async function tillFetch<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, opts: TillRequest = {}): Promise<T> {
  if (typeof navigator !== 'undefined' && !navigator.onLine) {
    setReachable(false);
    throw new NetworkError('offline');
  }
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': locale };
  if (creds.terminalToken) headers[TERMINAL_TOKEN_HEADER] = creds.terminalToken;
  if (creds.bearer && !opts.anonymous) headers.Authorization = `Bearer ${creds.bearer}`;
  let body: string | undefined;
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    headers['Idempotency-Key'] = opts.idempotencyKey ?? newKey();
    body = JSON.stringify(opts.body ?? {});
  }
  let full = url;
  if (opts.query) {
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query)) if (v !== undefined && v !== '') sp.set(k, String(v));
    const s = sp.toString();
    if (s) full += `?${s}`;
  }
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), opts.timeoutMs ?? 15_000);
  let res: Response;
  try {
    res = await fetch(full, { method, headers, body, signal: ctrl.signal, credentials: 'omit', cache: 'no-store' });
  } catch (e) {
    setReachable(false);
    throw new NetworkError(e instanceof Error ? e.message : String(e));
  } finally {
    clearTimeout(timer);
  }
  if (res.status >= 502 && res.status <= 504) {
    setReachable(false);
    throw new NetworkError(`HTTP ${res.status}`);
  }
  setReachable(true);
  const type = res.headers.get('content-type') ?? '';
  if (!res.ok) {
    let problem: Problem | undefined;
    if (type.includes('json')) problem = (await res.json().catch(() => undefined)) as Problem | undefined;
    throw new TillApiError(res.status, problem, `HTTP ${res.status} ${url}`);
  }
  if (res.status === 204) return undefined as T;
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

export const till = {
  get: <T>(url: string, query?: TillRequest['query'], opts?: Omit<TillRequest, 'query'>) =>
    tillFetch<T>('GET', url, { ...opts, query }),
  post: <T>(url: string, body?: unknown, opts?: Omit<TillRequest, 'body'>) => tillFetch<T>('POST', url, { ...opts, body }),
  put: <T>(url: string, body?: unknown, opts?: Omit<TillRequest, 'body'>) => tillFetch<T>('PUT', url, { ...opts, body }),
};
