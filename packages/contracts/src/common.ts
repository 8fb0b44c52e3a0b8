import { z } from 'zod';
import { rule, text } from './validation.js';

export const id = z.coerce.number().int().positive();
export const idParams = z.object({ id });

const decimalPattern = (places: number) => new RegExp(`^-?\\d{1,15}(\\.\\d{1,${places}})?$`);

/** A decimal on the wire: a string (or a number, converted) with at most `places` decimals; the field names itself. */
export function decimalString(places: number) {
  return z
    .union([text(), z.number()])
    .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
    .refine((v) => decimalPattern(places).test(v), rule('decimal', { places }));
}

/** Money on the wire: a decimal string with at most 2 places ("12.30"). Numbers are accepted and converted. */
export const moneyString = decimalString(2);
/** Unit costs and prices: up to 4 places. */
export const costString = decimalString(4);
/** Quantities: up to 3 places (weighed goods). */
export const qtyString = decimalString(3);

/** Refinements for decimal strings that must be above zero / not below zero ("数量必须大于 0"). */
export const isPositiveDecimal = (v: string) => !/^-/.test(v) && !/^-?0+(\.0+)?$/.test(v);
export const isNonNegativeDecimal = (v: string) => !/^-/.test(v);

export const isoDate = z.iso.date();

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  sort: text().max(64).optional(),
  order: z.enum(['asc', 'desc']).default('asc'),
  q: text().max(200).optional(),
});
export type PageQuery = z.infer<typeof pageQuery>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const okResponse = z.object({ ok: z.literal(true) });

/** A server-side shape as it arrives over HTTP: dates are ISO strings in JSON. */
export type Wire<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;
