import { DomainError, dec, QTY_PLACES, type StocktakeDto } from '@erp/contracts';
import { recordAudit } from '../audit/audit.service.js';
import type { DocumentWithLines } from '../documents/documents.models.js';
import { createDocument, transition } from '../documents/documents.service.js';
import { authorize, type Ctx } from '../platform/context.js';
import { splitIntoChunks } from './inventory.rules.js';
import { findStocktake, type StocktakeRow } from './stocktake.repository.js';
import { stocktakeDocument, stocktakeDto } from './stocktake-query.service.js';

/** Generated loss/overage documents are split so none exceeds this many lines. */
const GENERATED_DOC_MAX_LINES = 2000;

/**
 * 生成损益: a posted stocktake's shortages become loss documents and its surpluses overage documents (per
 * warehouse, split at a few thousand lines), submitted for approval. Runs as the stocktake's `complete`.
 */
export async function generateStocktakeAdjustments(ctx: Ctx, id: number): Promise<StocktakeDto> {
  authorize(ctx, 'doc.stocktake', 'complete');
  const { doc } = await stocktakeDocument(ctx, id);
  if (doc.status === 'completed') throw new DomainError('INV_STOCKTAKE_ALREADY_GENERATED', { number: doc.number });
  if (doc.status !== 'posted') throw new DomainError('INV_STOCKTAKE_NOT_POSTED', { number: doc.number });
  await transition(ctx, id, 'complete');
  return stocktakeDto(ctx, id);
}

/** The stocktake's `complete` (its document type's onComplete): the loss/overage documents, once. */
export async function generateLossAndOverage(ctx: Ctx, doc: DocumentWithLines): Promise<void> {
  const st = (await findStocktake(ctx.db, doc.id, { forUpdate: true })) as StocktakeRow;
  if (st.generated_at !== null) throw new DomainError('INV_STOCKTAKE_ALREADY_GENERATED', { number: doc.number });
  const created = await createAdjustmentDocuments(ctx, doc, st);
  await ctx.db
    .updateTable('stocktake')
    .set({ generated_at: new Date(), generated_by: ctx.actor.userId > 0 ? ctx.actor.userId : null })
    .where('document_id', '=', doc.id)
    .execute();
  await recordAudit(ctx, {
    action: 'stocktake.generate',
    entity: 'document',
    entityId: doc.id,
    after: { documents: created },
    orgId: doc.orgId,
  });
}

async function createAdjustmentDocuments(ctx: Ctx, doc: DocumentWithLines, st: StocktakeRow): Promise<number[]> {
  const lines = await ctx.db
    .selectFrom('stocktake_line')
    .selectAll()
    .where('document_id', '=', doc.id)
    .where('variance_qty', '<>', '0')
    .orderBy('warehouse_id')
    .orderBy('line_no')
    .execute();
  const created: number[] = [];
  const groups = new Map<string, typeof lines>();
  for (const l of lines) {
    const kind = dec(l.variance_qty as string).isNegative() ? 'loss' : 'overage';
    const key = `${kind}|${l.warehouse_id}`;
    const g = groups.get(key) ?? [];
    g.push(l);
    groups.set(key, g);
  }
  for (const [key, group] of groups) {
    const [kind, warehouse] = key.split('|') as ['loss' | 'overage', string];
    for (const part of splitIntoChunks(group, GENERATED_DOC_MAX_LINES)) {
      const reason = kind === 'loss' ? `盘亏 ${doc.number}` : `盘盈 ${doc.number}`;
      const d = await createDocument(ctx, {
        docType: kind,
        orgId: st.org_id,
        warehouseId: Number(warehouse),
        refDocumentId: doc.id,
        remarks: `盘点单 ${doc.number} 生成 / generated from stocktake ${doc.number}`,
        attrs: { costMode: 'auto', reason, stocktakeId: doc.id },
        lines: part.map((l) => ({
          productId: l.product_id,
          qty: dec(l.variance_qty as string)
            .abs()
            .toFixed(QTY_PLACES),
          // An estimate at the stocktake's cost; posting takes the batch cost or moving average of that day.
          unitPrice: dec(l.unit_cost ?? 0).toFixed(4),
          batchNo: l.batch_no,
          lotNo: l.lot_no,
          expiryDate: l.expiry_date,
          shelfId: l.shelf_id || null,
          stockStatus: l.status as 'sellable' | 'unsellable' | 'pending_check',
          attrs: { stocktakeLineId: l.id },
        })),
      });
      await transition(ctx, d.id, 'submit');
      created.push(d.id);
    }
  }
  return created;
}
