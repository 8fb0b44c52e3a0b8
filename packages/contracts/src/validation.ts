import type { z } from 'zod';
import en from 'zod/v4/locales/en.js';
import zhCN from 'zod/v4/locales/zh-CN.js';
import type { FieldIssue } from './errors.js';
import type { Locale } from './i18n.js';

const zhError = zhCN().localeError;
const enError = en().localeError;

type IssueLike = {
  code?: string;
  path?: readonly PropertyKey[] | string;
  message?: string;
  params?: Record<string, unknown>;
  instancePath?: string;
};

function formatPath(path: IssueLike['path'], instancePath?: string): string {
  if (Array.isArray(path)) return path.map(String).join('.');
  if (typeof path === 'string') return path;
  return (instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
}

function localeMessage(fn: typeof zhError, issue: IssueLike): string | undefined {
  const out = fn(issue as Parameters<typeof zhError>[0]);
  if (!out) return undefined;
  return typeof out === 'string' ? out : out.message;
}

/**
 * A schema issue as a field error in both languages. Custom refinements carry their Chinese text in
 * `params.zh` (see `bilingual`), zod's own checks are translated with zod's zh-CN and en locales.
 */
export function toFieldIssue(issue: IssueLike, locale: Locale = 'zh-CN'): FieldIssue {
  const customZh = typeof issue.params?.zh === 'string' ? issue.params.zh : undefined;
  const isCustom = issue.code === 'custom';
  const messageEn = isCustom ? (issue.message ?? 'Invalid value') : (localeMessage(enError, issue) ?? issue.message ?? '');
  const messageZh = customZh ?? (isCustom ? messageEn : (localeMessage(zhError, issue) ?? messageEn));
  return {
    path: formatPath(issue.path, issue.instancePath),
    code: issue.code ?? 'invalid',
    message: locale === 'en' ? messageEn : messageZh,
    messageZh,
    messageEn,
  };
}

/** Options for `.refine()` / `.superRefine()` with a message in both languages. */
export function bilingual(zh: string, en: string, path?: (string | number)[]) {
  return { message: en, params: { zh }, ...(path ? { path } : {}) };
}

export function fieldIssuesFromZod(error: z.ZodError, locale: Locale = 'zh-CN'): FieldIssue[] {
  return error.issues.map((i) => toFieldIssue(i as IssueLike, locale));
}
