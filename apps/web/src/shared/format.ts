import dayjs from 'dayjs';

/** Display helpers: decimals stay strings (exact), dates in the local time zone. */
export function fmtDateTime(v: string | Date | null | undefined): string {
  return v ? dayjs(v).format('YYYY-MM-DD HH:mm:ss') : '';
}

export function fmtDate(v: string | Date | null | undefined): string {
  return v ? dayjs(v).format('YYYY-MM-DD') : '';
}

/** A decimal string without trailing zeros beyond `min` places ("12.500" → "12.5", min 0). */
export function fmtDecimal(v: string | null | undefined, minPlaces = 0): string {
  if (v === null || v === undefined || v === '') return '';
  const [int, frac = ''] = v.split('.');
  const trimmed = frac.replace(/0+$/, '');
  const padded = trimmed.padEnd(minPlaces, '0');
  const grouped = (int ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return padded ? `${grouped}.${padded}` : grouped;
}

export function fmtMoney(v: string | null | undefined): string {
  return fmtDecimal(v, 2);
}

/** "approve" → "Approve" (English action labels on buttons); Chinese is unchanged. */
export function capitalize(s: string): string {
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}
