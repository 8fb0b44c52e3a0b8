/** A message catalog: the same keys in zh-CN and en (a missing English key is a type error). */
export interface Catalog<K extends string> {
  'zh-CN': Record<K, string>;
  en: Record<K, string>;
}

export function defineMessages<const Z extends Record<string, string>>(
  zh: Z,
  en: Record<keyof Z, string>,
): Catalog<keyof Z & string> {
  return { 'zh-CN': zh, en } as Catalog<keyof Z & string>;
}
