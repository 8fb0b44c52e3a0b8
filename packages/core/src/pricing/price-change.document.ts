import { DomainError, dec, type FieldIssue, priceChangeHeaderAttrs, priceChangeLineAttrs } from '@erp/contracts';
import { sql } from '@erp/db';
import { assertMasterDataWriter, insertPriceRows } from '../catalog/index.js';
import { type DocumentWithLines, effectiveLines } from '../documents/documents.models.js';
import { registerDocType } from '../documents/documents.registry.js';
import type { Ctx } from '../platform/context.js';

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

export function registerPriceChange(): void {
  registerDocType({
    type: 'price_change',
    defaults: { needsApproval: true, autoPost: false },
    validate: validatePriceChange,
    beforeSubmit: validatePriceChange,
    onConfirm: schedulePrices,
    onVoid: cancelScheduled,
  });
}

registerPriceChange();
