import { DomainError, dec, type FieldIssue } from '@erp/contracts';
import { type DocumentWithLines, effectiveLines } from '../documents/documents.models.js';
import { registerDocType } from '../documents/documents.registry.js';
import type { Ctx } from '../platform/context.js';
import type { StockMove } from './inventory.models.js';
import { postStockMoves } from './stock-ledger.service.js';

/** Every active line names a product, a positive quantity and a warehouse of the document's org. */
export async function validateStockLines(ctx: Ctx, doc: DocumentWithLines): Promise<void> {
  const issues: FieldIssue[] = [];
  const warehouseIds = new Set<number>();
  for (const [i, l] of doc.lines.entries()) {
    if (l.status !== 'active') continue;
    const wh = l.warehouseId ?? doc.warehouseId;
    if (l.productId === null) issues.push(issue(`lines.${i}.productId`, '请选择商品', 'Choose a product'));
    if (!dec(l.qty).isPositive()) issues.push(issue(`lines.${i}.qty`, '数量必须大于 0', 'Quantity must be greater than 0'));
    if (wh === null) issues.push(issue(`lines.${i}.warehouseId`, '请选择仓库', 'Choose a warehouse'));
    else warehouseIds.add(wh);
  }
  if (issues.length) throw new DomainError('VALIDATION_FAILED', {}, issues);
  if (warehouseIds.size) {
    const rows = await ctx.db
      .selectFrom('warehouse')
      .select(['id', 'org_id'])
      .where('id', 'in', [...warehouseIds])
      .execute();
    for (const id of warehouseIds) {
      if (!rows.some((r) => r.id === id && r.org_id === doc.orgId))
        throw new DomainError('NOT_FOUND', { entity: 'warehouse', id });
    }
  }
}

function issue(path: string, zh: string, en: string): FieldIssue {
  return { path, code: 'invalid', message: zh, messageZh: zh, messageEn: en };
}

/** The stock moves of a document's effective lines; `sign` -1 takes stock out. */
export function linesToMoves(doc: DocumentWithLines, sign: 1 | -1): StockMove[] {
  return effectiveLines(doc).map((l) => ({
    warehouseId: (l.warehouseId ?? doc.warehouseId) as number,
    productId: l.productId as number,
    qty: dec(l.qty).times(sign).toFixed(),
    // A price on an inbound line is its cost; without one the goods come in at the current average.
    ...(sign > 0 && dec(l.unitPrice).isPositive() ? { unitCost: l.unitPrice } : {}),
    batchNo: l.batchNo,
    lotNo: l.lotNo,
    expiryDate: l.expiryDate,
    shelfId: l.shelfId,
    status: l.stockStatus,
    sourceLineId: l.id,
  }));
}

export function documentSource(doc: DocumentWithLines) {
  return { type: 'document', id: doc.id, businessDate: doc.businessDate };
}

// INV-7: other inbound / outbound (其他入库/出库).
registerDocType({
  type: 'other_inbound',
  defaults: { needsApproval: false, autoPost: true },
  rollback: { from: ['approved', 'confirmed'], to: 'draft' },
  validate: validateStockLines,
  beforeSubmit: validateStockLines,
  onPost: async (ctx, doc) => {
    await postStockMoves(ctx, documentSource(doc), linesToMoves(doc, 1));
  },
});

registerDocType({
  type: 'other_outbound',
  defaults: { needsApproval: false, autoPost: true },
  rollback: { from: ['approved', 'confirmed'], to: 'draft' },
  validate: validateStockLines,
  beforeSubmit: validateStockLines,
  onPost: async (ctx, doc) => {
    await postStockMoves(ctx, documentSource(doc), linesToMoves(doc, -1));
  },
});
