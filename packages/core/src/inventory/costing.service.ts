import { dec, money, stockDocDirections } from '@erp/contracts';
import { type DocumentWithLines, effectiveLines } from '../documents/documents.models.js';
import { getDocument } from '../documents/documents.service.js';
import type { Ctx } from '../platform/context.js';
import { lineCostModes } from './inventory.documents.js';

export type CostBasis = 'entered' | 'batch' | 'average' | 'ledger';

export interface DocumentCostLine {
  lineId: number;
  lineNo: number;
  productId: number;
  warehouseId: number;
  /** Signed: positive in, negative out (paired moves show their out-leg). */
  qty: string;
  unitCost: string;
  amount: string;
  basis: CostBasis;
}

/**
 * What a stock document is worth (INV-4: finance approves a loss knowing its value). Before posting: an
 * estimate per line — the entered cost of a manual line, else the batch cost or the current moving average
 * the ledger would use today. After posting: the ledger's actual costs.
 */
export async function getDocumentCosts(ctx: Ctx, id: number) {
  const doc = await getDocument(ctx, id);
  const direction = stockDocDirections[doc.docType];
  const lines = effectiveLines(doc).filter((l) => l.productId !== null);
  const posted = doc.status === 'posted' || doc.status === 'completed';
  let out: DocumentCostLine[];
  if (posted) {
    const rows = await ctx.db
      .selectFrom('stock_ledger')
      .select(['source_line_id', 'warehouse_id', 'product_id', 'qty', 'unit_cost', 'amount'])
      .where('source_type', '=', 'document')
      .where('source_id', '=', doc.id)
      .orderBy('id')
      .execute();
    const paired = direction === 'internal';
    out = rows
      .filter((r) => !paired || dec(r.qty).isNegative())
      .map((r) => {
        const line = doc.lines.find((l) => l.id === Number(r.source_line_id));
        return {
          lineId: Number(r.source_line_id),
          lineNo: line?.lineNo ?? 0,
          productId: r.product_id,
          warehouseId: r.warehouse_id,
          qty: dec(r.qty).toFixed(3),
          unitCost: dec(r.unit_cost).toFixed(4),
          amount: money(r.amount),
          basis: 'ledger' as const,
        };
      });
  } else {
    const manual = doc.docType === 'loss' || doc.docType === 'overage' ? lineCostModes(doc) : new Map<number, string>();
    const pairs = lines.map((l) => ({ w: (l.warehouseId ?? doc.warehouseId) as number, p: l.productId as number }));
    const avg = pairs.length
      ? await ctx.db
          .selectFrom('stock_cost')
          .select(['warehouse_id', 'product_id', 'avg_cost'])
          .where('product_id', 'in', [...new Set(pairs.map((x) => x.p))])
          .where('warehouse_id', 'in', [...new Set(pairs.map((x) => x.w))])
          .execute()
      : [];
    const batched = lines.filter((l) => l.batchNo !== '');
    const batches = batched.length
      ? await ctx.db
          .selectFrom('stock_batch')
          .select(['product_id', 'batch_no', 'unit_cost'])
          .where('product_id', 'in', [...new Set(batched.map((l) => l.productId as number))])
          .where('batch_no', 'in', [...new Set(batched.map((l) => l.batchNo))])
          .execute()
      : [];
    const sign = direction === 'out' ? -1 : 1;
    out = lines.map((l) => {
      const warehouseId = (l.warehouseId ?? doc.warehouseId) as number;
      const entered = manual.get(l.id) === 'manual' || (direction === 'in' && !manual.size && dec(l.unitPrice).greaterThan(0));
      const batch = batches.find((b) => b.product_id === l.productId && b.batch_no === l.batchNo);
      const average = avg.find((a) => a.warehouse_id === warehouseId && a.product_id === l.productId);
      const basis: CostBasis = entered ? 'entered' : batch ? 'batch' : 'average';
      const unit = dec(entered ? l.unitPrice : (batch?.unit_cost ?? average?.avg_cost ?? 0));
      const q = dec(l.qty).times(direction === 'internal' ? -1 : sign);
      return {
        lineId: l.id,
        lineNo: l.lineNo,
        productId: l.productId as number,
        warehouseId,
        qty: q.toFixed(3),
        unitCost: unit.toFixed(4),
        amount: money(q.times(unit)),
        basis,
      };
    });
  }
  return {
    documentId: doc.id,
    number: doc.number,
    docType: doc.docType,
    posted,
    lines: out,
    total: money(out.reduce((s, l) => s.plus(l.amount), dec(0))),
    ...(await placesOf(ctx, doc)),
  };
}

/**
 * Codes and names of the warehouses and shelves a stock document names (header, move target, lines and
 * adjustment targets), so whoever may see the document — HQ finance approving a store's loss — reads them
 * without holding the warehouse grants. Two small queries per document.
 */
async function placesOf(ctx: Ctx, doc: DocumentWithLines) {
  const warehouseIds = new Set<number>();
  const shelfIds = new Set<number>();
  const attrs = doc.attrs as { toWarehouseId?: unknown };
  if (doc.warehouseId !== null) warehouseIds.add(doc.warehouseId);
  if (typeof attrs.toWarehouseId === 'number') warehouseIds.add(attrs.toWarehouseId);
  for (const l of doc.lines) {
    if (l.warehouseId !== null) warehouseIds.add(l.warehouseId);
    if (l.shelfId) shelfIds.add(l.shelfId);
    const la = l.attrs as { toShelfId?: unknown; to?: { shelfId?: unknown } };
    if (typeof la.toShelfId === 'number') shelfIds.add(la.toShelfId);
    if (typeof la.to?.shelfId === 'number') shelfIds.add(la.to.shelfId);
  }
  const warehouses = warehouseIds.size
    ? await ctx.db
        .selectFrom('warehouse')
        .select(['id', 'code', 'name'])
        .where('id', 'in', [...warehouseIds])
        .where('org_id', '=', doc.orgId)
        .orderBy('id')
        .execute()
    : [];
  const shelves = shelfIds.size
    ? await ctx.db
        .selectFrom('shelf')
        .select(['id', 'code', 'name'])
        .where('id', 'in', [...shelfIds])
        .where('warehouse_id', 'in', [...warehouses.map((w) => w.id), -1])
        .orderBy('id')
        .execute()
    : [];
  return { warehouses, shelves };
}
