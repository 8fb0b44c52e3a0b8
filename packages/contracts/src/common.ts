import { z } from 'zod';
import { bilingual } from './validation.js';

export const id = z.coerce.number().int().positive();
export const idParams = z.object({ id });

const decimalPattern = (places: number) => new RegExp(`^-?\\d{1,15}(\\.\\d{1,${places}})?$`);

function decimalString(places: number, zhName: string, enName: string) {
  return z
    .union([z.string(), z.number()])
    .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
    .refine(
      (v) => decimalPattern(places).test(v),
      bilingual(`${zhName}格式不正确（最多 ${places} 位小数）`, `Invalid ${enName} (at most ${places} decimal places)`),
    );
}

/** Money on the wire: a decimal string with at most 2 places ("12.30"). Numbers are accepted and converted. */
export const moneyString = decimalString(2, '金额', 'amount');
/** Unit costs and prices: up to 4 places. */
export const costString = decimalString(4, '单价', 'unit price');
/** Quantities: up to 3 places (weighed goods). */
export const qtyString = decimalString(3, '数量', 'quantity');

export const isoDate = z.iso.date();

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  sort: z.string().max(64).optional(),
  order: z.enum(['asc', 'desc']).default('asc'),
  q: z.string().max(200).optional(),
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
