export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

/** A text in both product languages. */
export interface Bilingual {
  zh: string;
  en: string;
}

export function pickLocale(acceptLanguage: string | undefined | null): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

export function interpolate(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, key: string) => {
    const v = params[key];
    return v === undefined || v === null ? m : String(v);
  });
}

export function localized(text: Bilingual, locale: Locale, params?: Record<string, unknown>): string {
  return interpolate(locale === 'en' ? text.en : text.zh, params);
}
