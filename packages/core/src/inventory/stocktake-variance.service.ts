import { type DocStatus, DomainError, type StocktakeDto } from '@erp/contracts';
import { recordAudit } from '../audit/audit.service.js';
import type { DocumentWithLines } from '../documents/documents.models.js';
import { transition } from '../documents/documents.service.js';
import type { Ctx } from '../platform/context.js';
import {
  clearVariance,
  computeVariance,
  findStocktake,
  ledgerMark,
  lockCostRowsOfStocktake,
  type StocktakeRow,
} from './stocktake.repository.js';
import { stocktakeDocument, stocktakeDto } from './stocktake-query.service.js';

/**
 * 盘点表过账 in one step: closes counting (confirm) and compares counted with book (post). The engine's
 * transitions do the work, so grants, configuration and audit are the same as through the generic API.
 */
export async function postStocktake(ctx: Ctx, id: number): Promise<StocktakeDto> {
  const { doc } = await stocktakeDocument(ctx, id);
  if (doc.status === 'draft' || doc.status === 'rejected' || doc.status === 'approved') {
    const confirmed = await transition(ctx, id, 'confirm');
    if (confirmed.status !== 'confirmed') return stocktakeDto(ctx, id);
  }
  await transition(ctx, id, 'post');
  return stocktakeDto(ctx, id);
}

/** 回退过账: back to counting; refused once the loss/overage documents are generated. */
export async function unpostStocktake(ctx: Ctx, id: number, comment?: string): Promise<StocktakeDto> {
  const { doc } = await stocktakeDocument(ctx, id);
  if (doc.status === 'completed') throw new DomainError('INV_STOCKTAKE_GENERATED', { number: doc.number });
  await transition(ctx, id, 'rollback', comment ? { comment } : {});
  return stocktakeDto(ctx, id);
}

/**
 * The stocktake's `post` (its document type's onPost): counted against book, line by line, at a ledger mark
 * taken under the posting locks of its goods, so no posting in flight is half in the book.
 */
export async function computeStocktakeVariance(ctx: Ctx, doc: DocumentWithLines): Promise<void> {
  const st = (await findStocktake(ctx.db, doc.id, { forUpdate: true })) as StocktakeRow;
  await lockCostRowsOfStocktake(ctx.db, doc.id);
  const mark = await ledgerMark(ctx.db);
  await computeVariance(ctx.db, doc.id, Number(st.snapshot_ledger_id), mark, st.uncounted_as);
  const t = await ctx.db
    .selectFrom('stocktake')
    .select(['surplus_qty', 'surplus_amount', 'shortage_qty', 'shortage_amount'])
    .where('document_id', '=', doc.id)
    .executeTakeFirstOrThrow();
  await recordAudit(ctx, {
    action: 'stocktake.variance',
    entity: 'document',
    entityId: doc.id,
    after: t,
    detail: { postLedgerMark: mark },
    orgId: doc.orgId,
  });
}

/** The stocktake's `rollback`: back to counting, clearing the variance; never once loss/overage is generated. */
export async function clearStocktakeVariance(ctx: Ctx, doc: DocumentWithLines, from: DocStatus): Promise<void> {
  const st = (await findStocktake(ctx.db, doc.id, { forUpdate: true })) as StocktakeRow;
  if (from === 'completed' || st.generated_at !== null) throw new DomainError('INV_STOCKTAKE_GENERATED', { number: doc.number });
  if (from === 'posted') await clearVariance(ctx.db, doc.id);
}
