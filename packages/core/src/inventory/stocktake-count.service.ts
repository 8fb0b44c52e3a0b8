import {
  DomainError,
  dec,
  docStatusLabels,
  qty as qtyStr,
  type StocktakeCountCommand,
  type StocktakeDto,
  stocktakeCountBody,
} from '@erp/contracts';
import { sql } from '@erp/db';
import { recordAudit } from '../audit/audit.service.js';
import { authorize, type Ctx } from '../platform/context.js';
import {
  type ExtraCount,
  ledgerMark,
  lockCostRowsOfPairs,
  type StocktakeRow,
  updateCounts,
  upsertExtraCounts,
} from './stocktake.repository.js';
import { stocktakeDocument, stocktakeDto } from './stocktake-query.service.js';

export interface CountResult {
  updated: number;
  added: number;
  stocktake: StocktakeDto;
}

/**
 * 实盘录入: counts per sheet line, and/or manual (blind) lines for goods not on the sheet. Each count
 * records the ledger mark at the moment it is entered, so moves before the count are part of its book and
 * moves after it are not. Only a draft stocktake takes counts (roll a posted one back to recount).
 */
export async function enterStocktakeCounts(ctx: Ctx, id: number, input: StocktakeCountCommand): Promise<CountResult> {
  const cmd = stocktakeCountBody.parse(input);
  authorize(ctx, 'doc.stocktake', 'edit');
  const { doc, st } = await stocktakeDocument(ctx, id, true);
  if (doc.status !== 'draft' && doc.status !== 'rejected') {
    throw new DomainError('INV_STOCKTAKE_NOT_COUNTING', {
      number: doc.number,
      status: docStatusLabels[doc.status as keyof typeof docStatusLabels]?.en ?? doc.status,
    });
  }
  const lineIds = [...new Set(cmd.lines.map((l) => l.lineId))];
  const known = lineIds.length
    ? await ctx.db
        .selectFrom('stocktake_line')
        .select(['id', 'warehouse_id', 'product_id'])
        .where('document_id', '=', id)
        // One array parameter, not one parameter per line (a sheet runs to tens of thousands).
        .where(sql<boolean>`id = any(${lineIds}::int[])`)
        .execute()
    : [];
  const missing = lineIds.find((l) => !known.some((k) => k.id === l));
  if (missing !== undefined) throw new DomainError('INV_STOCKTAKE_LINE_NOT_FOUND', { lineId: missing, number: doc.number });
  const extras = await resolveExtras(ctx, st, cmd.extra);

  const pairs = new Map<string, { warehouseId: number; productId: number }>();
  for (const k of known) pairs.set(`${k.warehouse_id}|${k.product_id}`, { warehouseId: k.warehouse_id, productId: k.product_id });
  for (const e of extras) pairs.set(`${e.warehouseId}|${e.productId}`, { warehouseId: e.warehouseId, productId: e.productId });
  await lockCostRowsOfPairs(
    ctx.db,
    [...pairs.values()].sort((a, b) => a.warehouseId - b.warehouseId || a.productId - b.productId),
  );
  const mark = await ledgerMark(ctx.db);
  const userId = ctx.actor.userId > 0 ? ctx.actor.userId : null;
  // The last count given for a line in one request wins.
  const lastByLine = new Map(cmd.lines.map((l) => [l.lineId, l.countedQty === null ? null : qtyStr(l.countedQty)]));
  const changed = await updateCounts(
    ctx.db,
    id,
    [...lastByLine.entries()].map(([lineId, countedQty]) => ({ lineId, countedQty })),
    mark,
    userId,
  );
  const upserted = await upsertExtraCounts(ctx.db, id, Number(st.snapshot_ledger_id), extras, mark, userId);
  await recordAudit(ctx, {
    action: 'stocktake.count',
    entity: 'document',
    entityId: id,
    before: [...changed, ...upserted].map((c) => ({ lineId: c.id, countedQty: c.before })),
    after: [...changed, ...upserted].map((c) => ({ lineId: c.id, countedQty: c.after })),
    detail: { countLedgerMark: mark },
    orgId: doc.org_id,
  });
  return {
    updated: changed.length + upserted.filter((u) => !u.inserted).length,
    added: upserted.filter((u) => u.inserted).length,
    stocktake: await stocktakeDto(ctx, id),
  };
}

/** Manual lines: fills the warehouse/shelf the stocktake implies, checks them against its scope, and sums duplicates. */
async function resolveExtras(
  ctx: Ctx,
  st: StocktakeRow,
  extra: ReturnType<typeof stocktakeCountBody.parse>['extra'],
): Promise<ExtraCount[]> {
  if (!extra?.length) return [];
  const warehouses = await ctx.db
    .selectFrom('warehouse')
    .select(['id', 'is_default'])
    .where('org_id', '=', st.org_id)
    .$if(st.warehouse_id !== null, (q) => q.where('id', '=', st.warehouse_id as number))
    .execute();
  const defaultWarehouse = (warehouses.find((w) => w.is_default) ?? warehouses[0])?.id;
  const scopeShelves = st.counter_id
    ? (await ctx.db.selectFrom('shelf').select('id').where('counter_id', '=', st.counter_id).execute()).map((s) => s.id)
    : st.shelf_id
      ? [st.shelf_id]
      : null;
  const productIds = [...new Set(extra.map((e) => e.productId))];
  const products = await ctx.db.selectFrom('product').select(['id', 'code']).where('id', 'in', productIds).execute();
  const shelfIds = [
    ...new Set([...extra.map((e) => e.shelfId).filter((x): x is number => typeof x === 'number'), st.shelf_id ?? 0]),
  ].filter((x) => x > 0);
  const shelves = shelfIds.length
    ? await ctx.db.selectFrom('shelf').select(['id', 'warehouse_id']).where('id', 'in', shelfIds).execute()
    : [];
  const merged = new Map<string, ExtraCount>();
  for (const e of extra) {
    const product = products.find((p) => p.id === e.productId);
    if (!product) throw new DomainError('NOT_FOUND', { entity: 'product', id: e.productId });
    const outOfScope = () => new DomainError('INV_STOCKTAKE_OUT_OF_SCOPE', { product: product.code });
    const warehouseId = e.warehouseId ?? defaultWarehouse;
    if (warehouseId === undefined || !warehouses.some((w) => w.id === warehouseId)) throw outOfScope();
    // An entry without a shelf on a shelf-scoped stocktake is on that shelf.
    const shelfId = e.shelfId ?? st.shelf_id ?? 0;
    if (shelfId > 0 && !shelves.some((s) => s.id === shelfId && s.warehouse_id === warehouseId)) throw outOfScope();
    if (scopeShelves !== null && !scopeShelves.includes(shelfId)) throw outOfScope();
    const ec: ExtraCount = {
      warehouseId,
      productId: e.productId,
      batchNo: e.batchNo ?? '',
      lotNo: e.lotNo ?? '',
      expiryDate: e.expiryDate ?? null,
      shelfId,
      status: e.stockStatus ?? 'sellable',
      countedQty: qtyStr(e.countedQty),
    };
    const key = `${ec.warehouseId}|${ec.productId}|${ec.batchNo}|${ec.lotNo}|${ec.shelfId}|${ec.status}`;
    const prior = merged.get(key);
    // The same goods found in two places of one shelf in one entry are added up.
    if (prior) prior.countedQty = qtyStr(dec(prior.countedQty).plus(ec.countedQty));
    else merged.set(key, ec);
  }
  return [...merged.values()];
}
