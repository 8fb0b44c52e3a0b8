import { eanCheckDigit } from '../catalog/barcodes.js';

/**
 * GS1 element strings (GS1-128, GS1 DataMatrix, GS1 QR, GS1 DataBar) as a scanner hands them to the till:
 * the raw form, where FNC1 arrives as ASCII 29 (GS) after a variable-length field, or the human-readable form
 * printed under the symbol, "(01)06901234567892(17)260630(10)L2401". Pure, so the till parses a code the same
 * way online and offline, and the unit tests pin the rules (fixed/variable lengths, FNC1, check digit, dates).
 */

/** FNC1 as the scanner transmits it between fields: ASCII 29, group separator. */
export const GS1_GS = '\u001d';

/** Symbology identifiers (ISO/IEC 15424) that announce GS1 data: GS1-128, DataMatrix, QR, DataBar, Composite. */
const SYMBOLOGY_IDS = [']C1', ']d2', ']Q3', ']e0', ']J1'];

type AiKind = 'gtin' | 'date' | 'text' | 'numeric' | 'measure';

interface AiSpec {
  /** Data length when fixed; otherwise undefined and `max` applies. */
  fixed?: number;
  max?: number;
  kind: AiKind;
}

/** Two- and three-digit AIs this parser knows (GS1 General Specifications §3.2); four-digit ones in `spec4`. */
const AI2: Record<string, AiSpec> = {
  '00': { fixed: 18, kind: 'numeric' },
  '01': { fixed: 14, kind: 'gtin' },
  '02': { fixed: 14, kind: 'gtin' },
  '10': { max: 20, kind: 'text' },
  '11': { fixed: 6, kind: 'date' },
  '12': { fixed: 6, kind: 'date' },
  '13': { fixed: 6, kind: 'date' },
  '15': { fixed: 6, kind: 'date' },
  '16': { fixed: 6, kind: 'date' },
  '17': { fixed: 6, kind: 'date' },
  '20': { fixed: 2, kind: 'numeric' },
  '21': { max: 20, kind: 'text' },
  '22': { max: 20, kind: 'text' },
  '30': { max: 8, kind: 'numeric' },
  '37': { max: 8, kind: 'numeric' },
};

const AI3: Record<string, AiSpec> = {
  '235': { max: 28, kind: 'text' },
  '240': { max: 30, kind: 'text' },
  '241': { max: 30, kind: 'text' },
  '242': { max: 6, kind: 'numeric' },
  '250': { max: 30, kind: 'text' },
  '251': { max: 30, kind: 'text' },
  '253': { max: 30, kind: 'text' },
  '254': { max: 20, kind: 'text' },
  '400': { max: 30, kind: 'text' },
  '401': { max: 30, kind: 'text' },
  '402': { fixed: 17, kind: 'numeric' },
  '403': { max: 30, kind: 'text' },
  '410': { fixed: 13, kind: 'numeric' },
  '411': { fixed: 13, kind: 'numeric' },
  '412': { fixed: 13, kind: 'numeric' },
  '413': { fixed: 13, kind: 'numeric' },
  '414': { fixed: 13, kind: 'numeric' },
  '415': { fixed: 13, kind: 'numeric' },
  '416': { fixed: 13, kind: 'numeric' },
  '417': { fixed: 13, kind: 'numeric' },
  '420': { max: 20, kind: 'text' },
  '421': { max: 12, kind: 'text' },
  '422': { fixed: 3, kind: 'numeric' },
  '424': { fixed: 3, kind: 'numeric' },
  '426': { fixed: 3, kind: 'numeric' },
};

function spec4(ai: string): AiSpec | undefined {
  // 31nn–36nn: trade measures, six digits with the last AI digit as the number of decimals (0–5).
  if (/^3[1-6]\d[0-5]$/.test(ai)) return { fixed: 6, kind: 'measure' };
  // 390n–393n: amounts and prices (with or without an ISO currency code).
  if (/^39[02]\d$/.test(ai)) return { max: 15, kind: 'numeric' };
  if (/^39[13]\d$/.test(ai)) return { max: 18, kind: 'numeric' };
  if (ai === '7003') return { fixed: 10, kind: 'numeric' };
  if (ai === '8005') return { fixed: 6, kind: 'numeric' };
  if (ai === '8020') return { max: 25, kind: 'text' };
  return undefined;
}

function specOf(ai: string): AiSpec | undefined {
  if (ai.length === 2) return AI2[ai];
  if (ai.length === 3) return AI3[ai];
  return spec4(ai);
}

/** The AI at the start of `s`: GS1 AIs are prefix-free, so the first length that names a known AI is it. */
function readAi(s: string): string | null {
  for (const n of [2, 3, 4]) {
    const ai = s.slice(0, n);
    if (ai.length === n && /^\d+$/.test(ai) && specOf(ai)) return ai;
  }
  return null;
}

export interface Gs1Element {
  ai: string;
  value: string;
}

export interface Gs1Data {
  elements: Gs1Element[];
  /** GTIN-14 from AI 01 (or 02, the contained item). */
  gtin: string | null;
  /** Lot / batch (AI 10). */
  lot: string | null;
  /** Serial number (AI 21). */
  serial: string | null;
  /** Expiry date (AI 17), YYYY-MM-DD. */
  expiry: string | null;
  /** Best before (AI 15), YYYY-MM-DD. */
  bestBefore: string | null;
  /** Net weight in kg (AI 310n), as a decimal string. */
  netWeightKg: string | null;
}

export type Gs1ErrorReason = 'empty' | 'unknown_ai' | 'truncated' | 'too_long' | 'check_digit' | 'bad_date' | 'bad_value';

export interface Gs1Error {
  reason: Gs1ErrorReason;
  ai?: string;
  zh: string;
  en: string;
}

export type Gs1Parse = { ok: true; data: Gs1Data } | { ok: false; error: Gs1Error };

function fail(reason: Gs1ErrorReason, ai?: string): Gs1Parse {
  const at = ai ? `(${ai})` : '';
  const texts: Record<Gs1ErrorReason, [string, string]> = {
    empty: ['GS1 码没有内容', 'The GS1 code is empty'],
    unknown_ai: [`GS1 码含有无法识别的应用标识符${at}`, `The GS1 code holds an unknown application identifier ${at}`],
    truncated: [`GS1 码${at}的数据不完整`, `The GS1 code's field ${at} is incomplete`],
    too_long: [`GS1 码${at}的数据超长`, `The GS1 code's field ${at} is too long`],
    check_digit: [`GS1 码${at}的商品条码校验位错误`, `The GTIN in the GS1 code ${at} has a wrong check digit`],
    bad_date: [`GS1 码${at}的日期无效`, `The date in the GS1 code ${at} is not valid`],
    bad_value: [`GS1 码${at}的数据格式不对`, `The GS1 code's field ${at} has the wrong format`],
  };
  const [zh, en] = texts[reason];
  return { ok: false, error: { reason, ...(ai ? { ai } : {}), zh, en } };
}

function stripSymbology(raw: string): { body: string; marked: boolean } {
  for (const id of SYMBOLOGY_IDS) if (raw.startsWith(id)) return { body: raw.slice(id.length), marked: true };
  return { body: raw, marked: false };
}

function validGtin(v: string): boolean {
  return /^\d{14}$/.test(v) && eanCheckDigit(v.slice(0, 13)) === Number(v[13]);
}

/**
 * Whether a scanned text is a GS1 element string rather than a plain barcode: a GS1 symbology identifier, the
 * bracketed human-readable form, a GS separator, or digits starting with AI 01/02 and a valid GTIN-14 that go on
 * past it (a bare 14-digit ITF-14 or a 13-digit EAN stays a plain barcode).
 */
export function looksLikeGs1(raw: string): boolean {
  const s = raw.trim();
  if (SYMBOLOGY_IDS.some((id) => s.startsWith(id))) return true;
  if (/^\(\d{2,4}\)/.test(s)) return true;
  if (s.includes(GS1_GS)) return true;
  return /^0[12]\d{14}./.test(s) && validGtin(s.slice(2, 16));
}

/**
 * The century of a two-digit GS1 year (General Specifications §7.12): within 49 years ahead or 50 behind the
 * current year, so "99" read in 2026 is 1999 and "30" is 2030.
 */
function fullYear(yy: number, now: Date): number {
  const current = now.getFullYear();
  const century = Math.floor(current / 100) * 100;
  const diff = yy - (current % 100);
  if (diff >= 51) return century - 100 + yy;
  if (diff <= -50) return century + 100 + yy;
  return century + yy;
}

/** YYMMDD → YYYY-MM-DD; day 00 means the last day of the month (GS1 rule); null when not a date. */
function gs1Date(v: string, now: Date): string | null {
  if (!/^\d{6}$/.test(v)) return null;
  const year = fullYear(Number(v.slice(0, 2)), now);
  const month = Number(v.slice(2, 4));
  let day = Number(v.slice(4, 6));
  if (month < 1 || month > 12) return null;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day === 0) day = last;
  if (day > last) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A measure's six digits with `decimals` implied decimal places, as a plain decimal string ("001250", 3 → "1.25"). */
function measure(v: string, decimals: number): string {
  const digits = v.replace(/^0+(?=\d)/, '');
  if (decimals === 0) return digits;
  const padded = digits.padStart(decimals + 1, '0');
  const int = padded.slice(0, padded.length - decimals);
  const frac = padded.slice(padded.length - decimals).replace(/0+$/, '');
  return frac ? `${int}.${frac}` : int;
}

/** GS1 character set 82 (the printable subset a lot or serial may use). */
const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$/;

function checkValue(ai: string, spec: AiSpec, value: string, now: Date): Gs1Parse | null {
  if (spec.fixed !== undefined && value.length < spec.fixed) return fail('truncated', ai);
  if (spec.max !== undefined && value.length > spec.max) return fail('too_long', ai);
  if (!value.length) return fail('truncated', ai);
  switch (spec.kind) {
    case 'gtin':
      if (!/^\d{14}$/.test(value)) return fail('bad_value', ai);
      return validGtin(value) ? null : fail('check_digit', ai);
    case 'date':
      return gs1Date(value, now) ? null : fail('bad_date', ai);
    case 'numeric':
    case 'measure':
      return /^\d+$/.test(value) ? null : fail('bad_value', ai);
    case 'text':
      return CSET82.test(value) ? null : fail('bad_value', ai);
  }
}

/** The raw element string: AIs back to back, a variable-length field ended by GS (or the end of the data). */
function splitRaw(body: string, now: Date): { elements: Gs1Element[] } | Gs1Parse {
  const elements: Gs1Element[] = [];
  let i = 0;
  while (i < body.length) {
    if (body[i] === GS1_GS) {
      i++;
      continue;
    }
    const ai = readAi(body.slice(i));
    if (!ai) return fail('unknown_ai', body.slice(i, i + 4).replace(/\D.*$/, '') || undefined);
    const spec = specOf(ai) as AiSpec;
    i += ai.length;
    let value: string;
    if (spec.fixed !== undefined) {
      value = body.slice(i, i + spec.fixed);
      if (value.includes(GS1_GS)) return fail('truncated', ai);
      i += value.length;
    } else {
      const end = body.indexOf(GS1_GS, i);
      value = end < 0 ? body.slice(i) : body.slice(i, end);
      i += value.length;
    }
    const bad = checkValue(ai, spec, value, now);
    if (bad) return bad;
    elements.push({ ai, value });
  }
  return { elements };
}

/** The bracketed form printed under a symbol: "(01)…(17)…(10)…", spaces between fields allowed. */
function splitBracketed(body: string, now: Date): { elements: Gs1Element[] } | Gs1Parse {
  const elements: Gs1Element[] = [];
  const re = /\((\d{2,4})\)([^()]*)/g;
  let consumed = '';
  for (let m = re.exec(body); m; m = re.exec(body)) {
    const ai = m[1] as string;
    const value = (m[2] as string).trim();
    consumed += m[0];
    const spec = specOf(ai);
    if (!spec) return fail('unknown_ai', ai);
    if (spec.fixed !== undefined && value.length > spec.fixed) return fail('too_long', ai);
    const bad = checkValue(ai, spec, value, now);
    if (bad) return bad;
    elements.push({ ai, value });
  }
  if (consumed.replace(/\s+/g, '') !== body.replace(/\s+/g, '')) return fail('bad_value');
  return { elements };
}

/**
 * Parses a GS1 element string. `now` decides the century of two-digit years. Answers the fields the till uses
 * (GTIN, lot, serial, expiry, best before, net weight) and every element read, or why the code is refused.
 */
export function parseGs1(raw: string, now: Date = new Date()): Gs1Parse {
  const { body: stripped } = stripSymbology(raw.trim());
  const body = stripped.trim();
  if (!body) return fail('empty');
  const split = body.startsWith('(') ? splitBracketed(body, now) : splitRaw(body, now);
  if ('ok' in split) return split;
  if (!split.elements.length) return fail('empty');
  const first = (ai: string) => split.elements.find((e) => e.ai === ai)?.value ?? null;
  const weight = split.elements.find((e) => /^310[0-5]$/.test(e.ai));
  const expiry = first('17');
  const best = first('15');
  return {
    ok: true,
    data: {
      elements: split.elements,
      gtin: first('01') ?? first('02'),
      lot: first('10'),
      serial: first('21'),
      expiry: expiry ? gs1Date(expiry, now) : null,
      bestBefore: best ? gs1Date(best, now) : null,
      netWeightKg: weight ? measure(weight.value, Number(weight.ai[3])) : null,
    },
  };
}

/**
 * The barcodes a GTIN-14 may be registered under, most specific first: the GTIN-14 itself, then, for indicator
 * digit 0, the EAN-13 it carries (drop the leading 0), and the UPC-A (12 digits) inside a 00-prefixed one. A
 * GTIN with indicator 1–8 is a different trade item (a case), so it is looked up only as itself.
 */
export function gtinCandidates(gtin: string): string[] {
  const out = [gtin];
  if (gtin.startsWith('0')) out.push(gtin.slice(1));
  if (gtin.startsWith('00')) out.push(gtin.slice(2));
  return out;
}

/** Whether a lot expiring on `expiry` (YYYY-MM-DD) may no longer be sold on `today` (YYYY-MM-DD): after that day. */
export function isExpiredOn(expiry: string, today: string): boolean {
  return expiry < today;
}
