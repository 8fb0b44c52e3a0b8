import { z } from 'zod';
import { costString, id, pageOf, pageQuery } from '../common.js';
import { bilingual, pattern, rule, text } from '../validation.js';
import { queryBool } from './shared.js';

/** Price types (MD-2). */
export const PRICE_TYPES = ['retail', 'member', 'wholesale', 'distribution', 'purchase'] as const;
export const priceTypeSchema = z.enum(PRICE_TYPES);
export type PriceType = (typeof PRICE_TYPES)[number];

export const priceTypeLabels = {
  retail: { zh: '零售价', en: 'Retail price' },
  member: { zh: '会员价', en: 'Member price' },
  wholesale: { zh: '批发价', en: 'Wholesale price' },
  distribution: { zh: '配送价', en: 'Distribution price' },
  purchase: { zh: '进价', en: 'Purchase price' },
} as const;

/** Where a price row applies: every store, the stores of one region (org.region), or one store. */
export const PRICE_SCOPES = ['all', 'region', 'store'] as const;
export type PriceScope = (typeof PRICE_SCOPES)[number];
export const priceScopeLabels = {
  all: { zh: '全部门店', en: 'All stores' },
  region: { zh: '区域', en: 'Region' },
  store: { zh: '门店', en: 'Store' },
} as const;

/** A timestamp on the wire: ISO 8601 with offset, or a date (midnight in the chain's time zone is the caller's job). */
export const isoDateTime = z.iso.datetime({ offset: true });

const priceTarget = {
  scope: z.enum(PRICE_SCOPES).default('all'),
  region: text().trim().min(1).max(50).optional(),
  storeId: id.optional(),
};

function targetConsistent(
  t: { scope: PriceScope; region?: string | undefined; storeId?: number | undefined },
  ctx: z.RefinementCtx,
) {
  if (t.scope === 'region' && (!t.region || t.storeId !== undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['region'],
      message: 'A region price needs a region (and no store)',
      params: { zh: '区域价格须指定区域（不能指定门店）' },
    });
  }
  if (t.scope === 'store' && (t.storeId === undefined || t.region)) {
    ctx.addIssue({
      code: 'custom',
      path: ['storeId'],
      message: 'A store price needs a store (and no region)',
      params: { zh: '门店价格须指定门店（不能指定区域）' },
    });
  }
  if (t.scope === 'all' && (t.storeId !== undefined || t.region)) {
    ctx.addIssue({
      code: 'custom',
      path: ['scope'],
      message: 'A price for all stores names no region or store',
      params: { zh: '全部门店的价格不能指定区域或门店' },
    });
  }
}

/**
 * Direct price maintenance (HQ, `price:edit`): appends rows; never changes a row already in effect.
 * Everyday changes go through the price-change document (调价单) with approval.
 */
export const setPricesBody = z.object({
  effectiveFrom: isoDateTime.optional(),
  effectiveTo: isoDateTime.optional(),
  prices: z
    .array(
      z.object({ productId: id, priceType: priceTypeSchema, price: costString, ...priceTarget }).superRefine(targetConsistent),
    )
    .min(1)
    .max(5000),
});
export type SetPricesCommand = z.input<typeof setPricesBody>;

export const priceRowDto = z.object({
  id: z.number(),
  productId: z.number(),
  productCode: z.string(),
  productName: z.string(),
  priceType: priceTypeSchema,
  scope: z.enum(PRICE_SCOPES),
  region: z.string().nullable(),
  storeId: z.number().nullable(),
  storeName: z.string().nullable(),
  price: z.string(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
  source: z.string(),
  sourceDocumentId: z.number().nullable(),
  cancelled: z.boolean(),
  createdAt: z.string(),
});
export type PriceRowDto = z.infer<typeof priceRowDto>;
export const priceRowPage = pageOf(priceRowDto);

export const priceListQuery = pageQuery.extend({
  productId: id.optional(),
  priceType: priceTypeSchema.optional(),
  scope: z.enum(PRICE_SCOPES).optional(),
  region: text().trim().max(50).optional(),
  storeId: id.optional(),
  /** Only rows in effect at this time. */
  activeAt: isoDateTime.optional(),
  includeCancelled: queryBool.optional(),
});
export type PriceListQuery = z.infer<typeof priceListQuery>;

/** Ids in a query string, comma-separated ("3,17,42"), at most `max` of them. */
export function idListString(max: number) {
  return text()
    .max(max * 12)
    .check(pattern(/^\d+(,\d+)*$/, 'id_list'))
    .transform((s) => s.split(',').map(Number))
    .refine((a) => a.length <= max, rule('at_most_items', { max }));
}

export const resolvePricesQuery = z.object({
  storeId: id,
  productIds: idListString(1000),
  priceTypes: text()
    .max(200)
    .transform((s) => s.split(','))
    .pipe(z.array(priceTypeSchema))
    .optional(),
  at: isoDateTime.optional(),
});

/** Line attrs of a price-change document (调价单): what price of which scope the line sets. */
export const priceChangeLineAttrs = z.object({ priceType: priceTypeSchema, ...priceTarget }).superRefine(targetConsistent);
export type PriceChangeLineAttrs = z.infer<typeof priceChangeLineAttrs>;

/** Header attrs of a price-change document: when the new prices take effect (and, for a temporary price, end). */
export const priceChangeHeaderAttrs = z
  .object({ effectiveFrom: isoDateTime.optional(), effectiveTo: isoDateTime.optional() })
  .refine(
    (a) => !a.effectiveFrom || !a.effectiveTo || new Date(a.effectiveTo) > new Date(a.effectiveFrom),
    bilingual('结束时间必须晚于生效时间', 'The end must be after the start', ['effectiveTo']),
  );

export interface PriceRowLike {
  priceType: PriceType;
  scope: PriceScope;
  region: string | null;
  storeId: number | null;
  price: string;
  /** ISO timestamps (or Dates). */
  effectiveFrom: string | Date;
  effectiveTo: string | Date | null;
  cancelled?: boolean;
}

const LEVEL: Record<PriceScope, number> = { store: 0, region: 1, all: 2 };

/**
 * The price rule (MD-2) as a pure function over rows, for the offline till (which syncs rows, see the
 * catalog delta) and for tests: store override > region override > base; within a level the row with
 * the latest effective_from ≤ at whose effective_to is open or after at (rows in id order: a later row wins a tie). The server answers the same
 * question in SQL (`resolvePrices`); a test keeps the two in agreement.
 */
export function pickPrice(
  rows: readonly PriceRowLike[],
  q: { priceType: PriceType; storeId: number; region: string | null; at: Date },
): string | null {
  const t = q.at.getTime();
  let best: PriceRowLike | undefined;
  let bestKey: [number, number] | undefined;
  for (const r of rows) {
    if (r.cancelled || r.priceType !== q.priceType) continue;
    if (r.scope === 'store' && r.storeId !== q.storeId) continue;
    if (r.scope === 'region' && (q.region === null || r.region !== q.region)) continue;
    const from = new Date(r.effectiveFrom).getTime();
    const to = r.effectiveTo === null ? null : new Date(r.effectiveTo).getTime();
    if (from > t || (to !== null && to <= t)) continue;
    const key: [number, number] = [LEVEL[r.scope], -from];
    if (!bestKey || key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] <= bestKey[1])) {
      best = r;
      bestKey = key;
    }
  }
  return best ? best.price : null;
}

/** Till delta sync: everything changed after `cursor` (a change sequence number), oldest first. */
export const catalogChangesQuery = z.object({
  storeId: id,
  cursor: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(20_000).default(5000),
});
