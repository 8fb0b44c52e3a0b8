import { type ErrorCode, errorMessage, type Locale } from '@erp/contracts';
import { NetworkError, TillApiError } from './api';
import { type TillKey, tillText } from './messages';

/**
 * The one place that turns a failure into what the cashier reads, in the cashier's language. Server refusals
 * carry problem+json with both languages; network failures, IndexedDB (Dexie) errors and anything unexpected
 * get a sentence of our own. Raw English library text (a Dexie `ConstraintError`, `Failed to fetch`, a Zod
 * issue, "HTTP 500 /api/…") never reaches the screen.
 */

/** A failure whose text is already in the user's language (e.g. a sign-in refusal worded by the controller). */
export class LocalizedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalizedError';
  }
}

/** A failure of the till itself, worded from the till's catalog at display time (so a language switch follows). */
export class TillError extends Error {
  constructor(
    readonly key: TillKey,
    readonly params: Record<string, unknown> = {},
  ) {
    super(key);
    this.name = 'TillError';
  }
}

/** IndexedDB / Dexie error names (DOMException names, which Dexie keeps on its own error classes). */
const STORAGE_ERRORS = new Set([
  'AbortError',
  'BulkError',
  'DatabaseClosedError',
  'DataCloneError',
  'DataError',
  'InvalidStateError',
  'InvalidTableError',
  'MissingAPIError',
  'NoSuchDatabaseError',
  'NotFoundError',
  'OpenFailedError',
  'PrematureCommitError',
  'ReadOnlyError',
  'SchemaError',
  'SubTransactionError',
  'TimeoutError',
  'TransactionInactiveError',
  'UnknownError',
  'UpgradeError',
  'VersionChangeError',
  'VersionError',
]);

function errorName(e: unknown): string | null {
  if (e && typeof e === 'object' && 'name' in e && typeof (e as { name: unknown }).name === 'string') {
    return (e as { name: string }).name;
  }
  return null;
}

function serverText(e: TillApiError, locale: Locale): string {
  const p = e.problem;
  const fromProblem = p?.messages?.[locale];
  const field = p?.errors?.[0];
  const fieldText = field ? (locale === 'en' ? field.messageEn : field.messageZh) : undefined;
  if (fromProblem) return fieldText && !fromProblem.includes(fieldText) ? `${fromProblem}：${fieldText}` : fromProblem;
  if (p?.code) {
    try {
      return errorMessage(p.code as ErrorCode, locale, p.params);
    } catch {
      // A code this build does not know: fall through to the status.
    }
  }
  if (e.status === 401) return tillText(locale, 'err.session');
  if (e.status === 403) return tillText(locale, 'err.forbidden');
  if (e.status === 404) return tillText(locale, 'err.notFound');
  return tillText(locale, 'err.server', { status: e.status });
}

/** What to show for a failure, in `locale`. */
export function tillErrorText(e: unknown, locale: Locale): string {
  if (e instanceof TillApiError) return serverText(e, locale);
  if (e instanceof NetworkError) return tillText(locale, 'err.network');
  if (e instanceof TillError) return tillText(locale, e.key, e.params);
  if (e instanceof LocalizedError) return e.message;
  const name = errorName(e);
  if (name === 'ConstraintError') return tillText(locale, 'err.duplicateLocal');
  if (name === 'QuotaExceededError') return tillText(locale, 'err.storageFull');
  if (name && STORAGE_ERRORS.has(name)) return tillText(locale, 'err.storage');
  return tillText(locale, 'err.unexpected');
}

/** The same text in both languages, for what is stored (the outbox) and shown later in either language. */
export function tillErrorTexts(e: unknown): { 'zh-CN': string; en: string } {
  return { 'zh-CN': tillErrorText(e, 'zh-CN'), en: tillErrorText(e, 'en') };
}
