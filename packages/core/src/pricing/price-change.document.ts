import {
  DomainError,
  dec,
  type FieldIssue,
  type NamedOrg,
  type PriceChangeDetails,
  type PriceChangeLineAttrs,
  type PriceRowLike,
  type PriceType,
  pickPrice,
  priceChangeHeaderAttrs,
  priceChangeLineAttrs,
} from '@erp/contracts';
import { sql } from '@erp/db';
import { assertMasterDataWriter, insertPriceRows } from '../catalog/index.js';
import { type DocumentWithLines, effectiveLines } from '../documents/documents.models.js';
import { registerDocType } from '../documents/documents.registry.js';
import type { Ctx } from '../platform/context.js';
import { priceString } from './pricing.service.js';

function issue(path: string, zh: string, en: string): FieldIssue {
  return { path, code: 'invalid', message: zh, messageZh: zh, messageEn: en };
}

function zodIssues(
  prefix: string,
  error: { issues: { path: PropertyKey[]; message: string; params?: unknown }[] },
): FieldIssue[] {
  return error.issues.map((i) => {
    const zh = (i.params as { zh?: string } | undefined)?.zh ?? i.message;
    return issue([prefix, ...i.path.map(String)].join('.'), zh, i.message);
  });
}

/**
 * A price change (调价单, MD-2): each line sets one price type of one product for all stores, a region or
 * a store (line attrs), at the line's unit price. A store's own document may only change that store's
 * prices; company-wide and region lines need the master-data scope; store lines need the store in scope
 * and under the document's org.
 */
export async function validatePriceChange(ctx: Ctx, doc: DocumentWithLines): Promise<void> {
  const issues: FieldIssue[] = [];
  const header = priceChangeHeaderAttrs.safeParse(doc.attrs ?? {});
  if (!header.success) issues.push(...zodIssues('attrs', header.error));
  const org = await ctx.db.selectFrom('org').select(['id', 'kind', 'path']).where('id', '=', doc.orgId).executeTakeFirstOrThrow();
  const seen = new Set<string>();
  const storeIds = new Set<number>();
  let needsMasterScope = false;
  for (const [i, l] of doc.lines.entries()) {
    if (l.status !== 'active') continue;
    if (l.productId === null) issues.push(issue(`lines.${i}.productId`, '请选择商品', 'Choose a product'));
    if (dec(l.unitPrice).isNegative()) issues.push(issue(`lines.${i}.unitPrice`, '价格不能为负', 'A price cannot be negative'));
    const attrs = priceChangeLineAttrs.safeParse(l.attrs ?? {});
    if (!attrs.success) {
      issues.push(...zodIssues(`lines.${i}.attrs`, attrs.error));
      continue;
    }
    const a = attrs.data;
    const key = `${l.productId}|${a.priceType}|${a.scope}|${a.region ?? ''}|${a.storeId ?? ''}`;
    if (seen.has(key)) {
      issues.push(issue(`lines.${i}`, '同一商品、价格类型和范围重复', 'The same product, price type and scope appear twice'));
    }
    seen.add(key);
    if (org.kind === 'store' && (a.scope !== 'store' || a.storeId !== org.id)) {
      issues.push(
        issue(
          `lines.${i}.attrs.scope`,
          '门店的调价单只能调整本店价格',
          "A store's price change may only change that store's prices",
        ),
      );
    }
    if (a.scope === 'store' && a.storeId !== undefined) storeIds.add(a.storeId);
    else needsMasterScope = true;
  }
  if (issues.length) throw new DomainError('VALIDATION_FAILED', {}, issues);
  if (needsMasterScope) await assertMasterDataWriter(ctx);
  if (storeIds.size) {
    const stores = await ctx.db
      .selectFrom('org')
      .select(['id', 'kind', 'path'])
      .where('id', 'in', [...storeIds])
      .execute();
    for (const id of storeIds) {
      const s = stores.find((x) => x.id === id);
      if (s?.kind !== 'store' || !ctx.scope.has(id) || !s.path.startsWith(org.path)) {
        throw new DomainError('NOT_FOUND', { entity: 'store', id });
      }
    }
  }
}

/**
 * Confirming schedules the new prices: rows from the document's start time, or from now when that has
 * passed (a change approved late takes effect on approval; history is never rewritten).
 */
async function schedulePrices(ctx: Ctx, doc: DocumentWithLines): Promise<void> {
  await validatePriceChange(ctx, doc);
  const header = priceChangeHeaderAttrs.parse(doc.attrs ?? {});
  const now = new Date();
  const planned = header.effectiveFrom ? new Date(header.effectiveFrom) : now;
  const from = planned > now ? planned : now;
  const to = header.effectiveTo ? new Date(header.effectiveTo) : null;
  if (to && to <= from) {
    throw new DomainError('VALIDATION_FAILED', {}, [
      issue(
        'attrs.effectiveTo',
        '结束时间已过，不能再执行此调价单',
        'The end time has passed; this price change can no longer apply',
      ),
    ]);
  }
  await insertPriceRows(
    ctx.db,
    effectiveLines(doc).map((l) => {
      const a = priceChangeLineAttrs.parse(l.attrs);
      return {
        productId: l.productId as number,
        priceType: a.priceType,
        scope: a.scope,
        region: a.scope === 'region' ? (a.region ?? null) : null,
        storeId: a.scope === 'store' ? (a.storeId ?? null) : null,
        price: l.unitPrice,
        effectiveFrom: from,
        effectiveTo: to,
        source: 'price_change' as const,
        sourceDocumentId: doc.id,
        createdBy: ctx.actor.userId || null,
      };
    }),
  );
}

/** Voiding a confirmed change cancels its rows while none is in effect yet; after that, issue a new change. */
async function cancelScheduled(ctx: Ctx, doc: DocumentWithLines): Promise<void> {
  if (doc.status !== 'confirmed') return;
  const started = await ctx.db
    .selectFrom('price')
    .select('effective_from')
    .where('source_document_id', '=', doc.id)
    .where('cancelled', '=', false)
    .where('effective_from', '<=', new Date())
    .executeTakeFirst();
  if (started) {
    throw new DomainError('PRICE_ALREADY_EFFECTIVE', { number: doc.number, at: new Date(started.effective_from).toISOString() });
  }
  await sql`update price set cancelled = true where source_document_id = ${doc.id} and not cancelled`.execute(ctx.db);
}

/**
 * The view of a price change (调价单): which stores it reaches and, per line, the price that scope had just
 * before the change takes effect → the new price, with the start. Once confirmed the start is that of the
 * scheduled rows; before, the planned one (none: on confirmation, so "before" is now). The old price follows
 * the one price rule (`pickPrice`) at the line's own level — a region line falls back to the all-store price,
 * a store line to its region's and then the all-store price — over every row but this document's own.
 */
export async function describePriceChange(ctx: Ctx, doc: DocumentWithLines): Promise<PriceChangeDetails> {
  const header = priceChangeHeaderAttrs.safeParse(doc.attrs ?? {});
  const planned = header.success ? header.data : {};
  const scheduled = await ctx.db
    .selectFrom('price')
    .select((eb) => [eb.fn.min('effective_from').as('from'), eb.fn.max('effective_to').as('to')])
    .where('source_document_id', '=', doc.id)
    .executeTakeFirst();
  const isScheduled = !!scheduled?.from;
  const effectiveFrom = isScheduled ? iso(scheduled?.from) : (planned.effectiveFrom ?? null);
  const effectiveTo = isScheduled ? iso(scheduled?.to) : (planned.effectiveTo ?? null);
  const now = new Date();
  const start = effectiveFrom ? new Date(effectiveFrom) : now;
  // Not yet scheduled, a start already passed means "on confirmation" (now), as schedulePrices decides.
  const at = isScheduled || start > now ? start : now;

  const lines = effectiveLines(doc).flatMap((l) => {
    const a = priceChangeLineAttrs.safeParse(l.attrs ?? {});
    return a.success && l.productId !== null ? [{ line: l, productId: l.productId, attrs: a.data }] : [];
  });
  const productIds = [...new Set(lines.map((l) => l.productId))];
  const storeIds = [...new Set(lines.flatMap((l) => (l.attrs.scope === 'store' && l.attrs.storeId ? [l.attrs.storeId] : [])))];
  const products = productIds.length
    ? await ctx.db.selectFrom('product').select(['id', 'code', 'name']).where('id', 'in', productIds).execute()
    : [];
  const stores = storeIds.length
    ? await ctx.db.selectFrom('org').select(['id', 'code', 'name', 'name_en', 'region']).where('id', 'in', storeIds).execute()
    : [];
  const before = await priceRowsBefore(ctx, doc.id, productIds, [...new Set(lines.map((l) => l.attrs.priceType))], at);
  const productOf = new Map(products.map((p) => [p.id, p]));
  const storeOf = new Map(stores.map((s) => [s.id, s]));
  const named = (id: number | undefined): NamedOrg | null => {
    const s = id === undefined ? undefined : storeOf.get(id);
    return s ? { id: s.id, code: s.code, name: s.name, nameEn: s.name_en } : null;
  };
  return {
    kind: 'price_change',
    effectiveFrom,
    effectiveTo,
    scheduled: isScheduled,
    reach: {
      allStores: lines.some((l) => l.attrs.scope === 'all'),
      regions: [...new Set(lines.flatMap((l) => (l.attrs.scope === 'region' && l.attrs.region ? [l.attrs.region] : [])))],
      stores: storeIds.flatMap((id) => named(id) ?? []),
    },
    lines: lines.map(({ line, productId, attrs }) => {
      const p = productOf.get(productId);
      return {
        lineId: line.id,
        productId,
        productCode: p?.code ?? '',
        productName: p?.name ?? '',
        priceType: attrs.priceType,
        scope: attrs.scope,
        region: attrs.scope === 'region' ? (attrs.region ?? null) : null,
        store: attrs.scope === 'store' ? named(attrs.storeId) : null,
        oldPrice: oldPriceOf(before.get(productId) ?? [], attrs, storeOf.get(attrs.storeId ?? -1)?.region ?? null, at),
        newPrice: priceString(line.unitPrice),
        effectiveFrom,
        effectiveTo,
      };
    }),
  };
}

/** Price rows of these products and types in effect at `at`, this document's own left out, per product. */
async function priceRowsBefore(
  ctx: Ctx,
  documentId: number,
  productIds: number[],
  types: PriceType[],
  at: Date,
): Promise<Map<number, PriceRowLike[]>> {
  const out = new Map<number, PriceRowLike[]>();
  if (!productIds.length) return out;
  const rows = await ctx.db
    .selectFrom('price')
    .select(['product_id', 'price_type', 'scope', 'region', 'store_id', 'price', 'effective_from', 'effective_to'])
    .where('product_id', 'in', productIds)
    .where('price_type', 'in', types)
    .where('cancelled', '=', false)
    .where((eb) => eb.or([eb('source_document_id', 'is', null), eb('source_document_id', '<>', documentId)]))
    .where('effective_from', '<=', at)
    .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>', at)]))
    .orderBy('id')
    .execute();
  for (const r of rows) {
    const list = out.get(r.product_id) ?? [];
    list.push({
      priceType: r.price_type as PriceType,
      scope: r.scope as PriceRowLike['scope'],
      region: r.region,
      storeId: r.store_id,
      price: r.price,
      effectiveFrom: r.effective_from,
      effectiveTo: r.effective_to,
    });
    out.set(r.product_id, list);
  }
  return out;
}

/** The price a line's scope had: the rule at that level (no store: -1 matches no store row). */
function oldPriceOf(rows: PriceRowLike[], a: PriceChangeLineAttrs, storeRegion: string | null, at: Date): string | null {
  const region = a.scope === 'region' ? (a.region ?? null) : a.scope === 'store' ? storeRegion : null;
  const storeId = a.scope === 'store' ? (a.storeId ?? -1) : -1;
  const price = pickPrice(rows, { priceType: a.priceType, storeId, region, at });
  return price === null ? null : priceString(price);
}

function iso(v: Date | string | null | undefined): string | null {
  return v ? new Date(v).toISOString() : null;
}

export function registerPriceChange(): void {
  registerDocType({
    type: 'price_change',
    defaults: { needsApproval: true, autoPost: false },
    validate: validatePriceChange,
    beforeSubmit: validatePriceChange,
    onConfirm: schedulePrices,
    onVoid: cancelScheduled,
    describe: describePriceChange,
  });
}

registerPriceChange();
