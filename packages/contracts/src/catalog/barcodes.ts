import { z } from 'zod';
import { Dec } from '../decimal.js';
import { bilingual, pattern, text } from '../validation.js';

/**
 * Barcodes (MD-1). Pure functions shared by the server, the web screens and the offline till: an EAN check
 * digit is checked the same way everywhere, and a weighed-goods label parses the same at every scanner.
 */
export const BARCODE_KINDS = ['ean13', 'ean8', 'internal'] as const;
export type BarcodeKind = (typeof BARCODE_KINDS)[number];

export const barcodeKindLabels = {
  ean13: { zh: 'EAN-13 商品条码', en: 'EAN-13' },
  ean8: { zh: 'EAN-8 短条码', en: 'EAN-8' },
  internal: { zh: '店内码', en: 'Internal code' },
} as const;

/** The GS1 check digit of the digits before it (EAN-8, EAN-13, GTIN-14 alike): weights 3,1,3… from the right. */
export function eanCheckDigit(body: string): number {
  let total = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    total += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (total % 10)) % 10;
}

/** `body` plus its check digit: `withCheckDigit('690123456789')` is a valid EAN-13. */
export function withCheckDigit(body: string): string {
  return `${body}${eanCheckDigit(body)}`;
}

export function isValidEan13(code: string): boolean {
  return /^\d{13}$/.test(code) && eanCheckDigit(code.slice(0, 12)) === Number(code[12]);
}

export function isValidEan8(code: string): boolean {
  return /^\d{8}$/.test(code) && eanCheckDigit(code.slice(0, 7)) === Number(code[7]);
}

/** Internal codes (店内码): what shops print themselves; letters, digits and - . _ only. */
const INTERNAL_CODE = /^[A-Za-z0-9._-]{1,32}$/;

export type BarcodeCheck =
  | { ok: true; kind: BarcodeKind }
  | { ok: false; reason: 'check_digit' | 'format' | 'kind_mismatch'; zh: string; en: string };

/**
 * Decides what a code is, or why it is refused. Without a declared kind, 13 or 8 digits must carry a
 * valid EAN check digit (a mistyped digit is the usual error); anything else must be declared internal.
 */
export function checkBarcode(raw: string, declared?: BarcodeKind): BarcodeCheck {
  const code = raw.trim();
  if (declared === 'internal') {
    return INTERNAL_CODE.test(code)
      ? { ok: true, kind: 'internal' }
      : {
          ok: false,
          reason: 'format',
          zh: '店内码只能包含字母、数字和 - . _，最长 32 位',
          en: 'Internal codes may hold letters, digits and - . _ (at most 32)',
        };
  }
  const digits = /^\d+$/.test(code);
  const expected: BarcodeKind | undefined =
    digits && code.length === 13 ? 'ean13' : digits && code.length === 8 ? 'ean8' : undefined;
  if (declared && expected !== declared) {
    return {
      ok: false,
      reason: 'kind_mismatch',
      zh: declared === 'ean13' ? 'EAN-13 条码必须是 13 位数字' : 'EAN-8 条码必须是 8 位数字',
      en: declared === 'ean13' ? 'An EAN-13 barcode has 13 digits' : 'An EAN-8 barcode has 8 digits',
    };
  }
  if (!expected) {
    return {
      ok: false,
      reason: 'format',
      zh: '不是 13 位或 8 位的 EAN 条码；如为店内码请标明类型为“店内码”',
      en: 'Not a 13- or 8-digit EAN; mark it as an internal code if it is one',
    };
  }
  const valid = expected === 'ean13' ? isValidEan13(code) : isValidEan8(code);
  if (!valid) {
    const body = code.slice(0, -1);
    return {
      ok: false,
      reason: 'check_digit',
      zh: `校验位错误（应为 ${eanCheckDigit(body)}）`,
      en: `Wrong check digit (expected ${eanCheckDigit(body)})`,
    };
  }
  return { ok: true, kind: expected };
}

// ---- weighed goods (称重商品): labels printed by the scale, EAN-13 with prefix 2x

export const SCALE_VALUE_KINDS = ['price', 'weight'] as const;
export type ScaleValueKind = (typeof SCALE_VALUE_KINDS)[number];

export const scaleLayoutSchema = z
  .object({
    /** Leading digits that mark a scale label, e.g. '20' or '21'. */
    prefix: text().check(pattern(/^2\d{0,2}$/, 'prefix_2')),
    /** Digits of the product's scale code (PLU) after the prefix. */
    itemCodeLength: z.number().int().min(1).max(8),
    /** Digits of the embedded price or weight after the item code. */
    valueLength: z.number().int().min(1).max(8),
    valueKind: z.enum(SCALE_VALUE_KINDS),
    /** Implied decimals of the value: 2 for a price in fen, 3 for a weight in grams as kg. */
    decimals: z.number().int().min(0).max(4),
  })
  .refine(
    (l) => l.prefix.length + l.itemCodeLength + l.valueLength + 1 === 13,
    bilingual(
      '前缀 + 商品码 + 数值 + 校验位 必须正好 13 位',
      'Prefix + item code + value + check digit must be exactly 13 digits',
    ),
  );
export type ScaleLayout = z.infer<typeof scaleLayoutSchema>;

export const scaleBarcodeSettingsSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Refuse labels whose EAN-13 check digit is wrong (a misprint or a misread). */
    verifyCheckDigit: z.boolean().default(true),
    layouts: z.array(scaleLayoutSchema).max(10),
  })
  .refine(
    (s) => new Set(s.layouts.map((l) => l.prefix)).size === s.layouts.length,
    bilingual('前缀不能重复', 'Each prefix may be used once', ['layouts']),
  );
export type ScaleBarcodeSettings = z.infer<typeof scaleBarcodeSettingsSchema>;

/** Company default: 20 = price label (5-digit PLU, price in fen), 21 = weight label (5-digit PLU, grams). */
export const DEFAULT_SCALE_SETTINGS: ScaleBarcodeSettings = {
  enabled: true,
  verifyCheckDigit: true,
  layouts: [
    { prefix: '20', itemCodeLength: 5, valueLength: 5, valueKind: 'price', decimals: 2 },
    { prefix: '21', itemCodeLength: 5, valueLength: 5, valueKind: 'weight', decimals: 3 },
  ],
};

export interface ScaleBarcode {
  barcode: string;
  prefix: string;
  /** The product's scale code (PLU) as printed, with its leading zeros. */
  itemCode: string;
  valueKind: ScaleValueKind;
  /** Exact decimal string: the price in yuan or the weight in kg. */
  value: string;
}

/**
 * Reads a scale label, or null when `code` is not one under `settings` (the caller then treats it as an
 * ordinary barcode). The longest matching prefix wins, so '2' and '21' may coexist.
 */
export function parseScaleBarcode(code: string, settings: ScaleBarcodeSettings = DEFAULT_SCALE_SETTINGS): ScaleBarcode | null {
  if (!settings.enabled || !/^\d{13}$/.test(code)) return null;
  const layout = [...settings.layouts].sort((a, b) => b.prefix.length - a.prefix.length).find((l) => code.startsWith(l.prefix));
  if (!layout) return null;
  if (settings.verifyCheckDigit && !isValidEan13(code)) return null;
  const itemStart = layout.prefix.length;
  const valueStart = itemStart + layout.itemCodeLength;
  const itemCode = code.slice(itemStart, valueStart);
  const rawValue = code.slice(valueStart, valueStart + layout.valueLength);
  const value = new Dec(rawValue).dividedBy(new Dec(10).pow(layout.decimals)).toFixed(layout.decimals);
  return { barcode: code, prefix: layout.prefix, itemCode, valueKind: layout.valueKind, value };
}

/** The label a scale would print: for tests, demo data and label printing. */
export function buildScaleBarcode(layout: ScaleLayout, itemCode: string | number, value: string): string {
  const item = String(itemCode).padStart(layout.itemCodeLength, '0');
  const scaled = new Dec(value).times(new Dec(10).pow(layout.decimals));
  if (!scaled.isInteger() || scaled.isNegative()) throw new RangeError(`value ${value} does not fit ${layout.decimals} decimals`);
  const digits = scaled.toFixed(0).padStart(layout.valueLength, '0');
  if (item.length !== layout.itemCodeLength || digits.length !== layout.valueLength) {
    throw new RangeError(`item ${itemCode} or value ${value} does not fit the layout`);
  }
  return withCheckDigit(`${layout.prefix}${item}${digits}`);
}
