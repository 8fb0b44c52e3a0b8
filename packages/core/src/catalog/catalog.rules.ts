import { pinyin } from 'pinyin-pro';

/**
 * 助记码: the initials of a name's Chinese characters, with letters and digits kept, lower case — what a
 * cashier types to find 农夫山泉 550ml ("nfsq550ml"). Polyphonic characters follow pinyin-pro's reading
 * of the whole phrase (长城 → cc).
 */
export function pinyinInitials(name: string): string {
  const initials = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array' }).join('');
  return initials
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 64);
}

/** Scale codes (PLU) are compared without leading zeros: the label prints "00042", the product says "42". */
export function normalizeScaleCode(code: string | null | undefined): string | null {
  if (code === null || code === undefined || code === '') return null;
  const stripped = code.replace(/^0+/, '');
  return stripped === '' ? '0' : stripped;
}

/** A category path '/1/5/9/' → the ids from the root down. */
export function categoryPathIds(path: string): number[] {
  return path
    .split('/')
    .filter((p) => p !== '')
    .map(Number);
}

/** Escapes % and _ for LIKE patterns built from user input. */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}
