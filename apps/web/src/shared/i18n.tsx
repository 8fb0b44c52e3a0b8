import { type Bilingual, interpolate, type Locale } from '@erp/contracts';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { setApiLocale } from './api';
import { type Catalog, defineMessages } from './catalog';
import { commonMessages } from './messages';

export type { Locale };
export { type Catalog, defineMessages };

export type CommonKey = keyof (typeof commonMessages)['zh-CN'];

const STORAGE_KEY = 'erp.locale';

function initialLocale(): Locale {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return 'zh-CN';
}

function applyLocale(locale: Locale): void {
  setApiLocale(locale);
  dayjs.locale(locale === 'en' ? 'en' : 'zh-cn');
  document.documentElement.lang = locale;
}

interface LocaleState {
  locale: Locale;
  setLocale(locale: Locale): void;
}

const LocaleContext = createContext<LocaleState | null>(null);

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setState] = useState<Locale>(() => {
    const l = initialLocale();
    applyLocale(l);
    return l;
  });
  const setLocale = useCallback((l: Locale) => {
    localStorage.setItem(STORAGE_KEY, l);
    applyLocale(l);
    setState(l);
  }, []);
  const value = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleState {
  const ctx = useContext(LocaleContext);
  if (!ctx) throw new Error('LocaleProvider missing');
  return ctx;
}

export type Translate<K extends string> = (key: K | CommonKey, params?: Record<string, unknown>) => string;

/** `t(key, params)` over a feature's catalog plus the common one; `{name}` placeholders are filled from params. */
export function useT<K extends string = never>(catalog?: Catalog<K>): Translate<K> {
  const { locale } = useLocale();
  return useCallback(
    (key: K | CommonKey, params?: Record<string, unknown>) => {
      const own = catalog?.[locale] as Record<string, string> | undefined;
      const text = own?.[key] ?? (commonMessages[locale] as Record<string, string>)[key] ?? key;
      return params ? interpolate(text, params) : text;
    },
    [catalog, locale],
  );
}

/** Picks the user's language from texts the server or the contracts give in both languages. */
export function useLabel() {
  const { locale } = useLocale();
  return useCallback(
    (b: Bilingual | { name: string; nameEn?: string | null } | null | undefined): string => {
      if (!b) return '';
      if ('zh' in b) return locale === 'en' ? b.en : b.zh;
      return locale === 'en' && b.nameEn ? b.nameEn : b.name;
    },
    [locale],
  );
}
