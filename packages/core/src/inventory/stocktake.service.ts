import { DomainError } from '@erp/contracts';
import { registerDocType } from '../documents/documents.registry.js';
import { findStocktake } from './stocktake.repository.js';
import { generateLossAndOverage } from './stocktake-adjustment.service.js';
import { isGeneratingSheet } from './stocktake-sheet.service.js';
import { clearStocktakeVariance, computeStocktakeVariance } from './stocktake-variance.service.js';

/**
 * 盘点 (INV-5), the stocktake document. Each step has its own file:
 * - 生成盘点表, the sheet: the book of every key snapshotted at a ledger mark — stocktake-sheet.service.ts
 * - 实盘录入, counts per sheet line, and blind lines for goods the sheet lacks — stocktake-count.service.ts
 * - 过账 / 回退, variance = counted − book at each count's mark, and back — stocktake-variance.service.ts
 * - 生成损益, the loss and overage documents that move the stock — stocktake-adjustment.service.ts
 * - reading: the stocktake, its lines, the printable sheet, the variance — stocktake-query.service.ts
 * Their SQL is in stocktake.repository.ts. This file registers the document type: the lifecycle engine
 * runs the steps through its hooks, so grants, configuration and audit are those of every document.
 */

export type { StocktakeDto, StocktakeLineDto, StocktakeSheet } from '@erp/contracts';
export { generateStocktakeAdjustments } from './stocktake-adjustment.service.js';
export { type CountResult, enterStocktakeCounts } from './stocktake-count.service.js';
export {
  getStocktake,
  getStocktakeSheet,
  getStocktakeVariance,
  listStocktakeLines,
  listStocktakes,
} from './stocktake-query.service.js';
export { createStocktake } from './stocktake-sheet.service.js';
export { postStocktake, unpostStocktake } from './stocktake-variance.service.js';

// It never moves stock itself: posting compares counted with book, unposting clears that, and completing
// generates the loss/overage documents that do move stock.
registerDocType({
  type: 'stocktake',
  defaults: { needsApproval: false, autoPost: false },
  ownLines: true,
  rollback: { from: ['approved', 'confirmed', 'posted', 'completed'], to: 'draft' },
  validate: async (ctx, doc) => {
    const st = await findStocktake(ctx.db, doc.id);
    if (!st && !isGeneratingSheet(ctx)) throw new DomainError('INV_STOCKTAKE_USE_SHEET');
    if (doc.lines.length) throw new DomainError('INV_STOCKTAKE_LINES_READONLY');
    if (st && st.warehouse_id !== doc.warehouseId) throw new DomainError('INV_STOCKTAKE_LINES_READONLY');
  },
  beforeSubmit: async (ctx, doc) => {
    const st = await findStocktake(ctx.db, doc.id);
    if (!st) throw new DomainError('INV_STOCKTAKE_USE_SHEET');
  },
  onPost: computeStocktakeVariance,
  onRollback: clearStocktakeVariance,
  onComplete: generateLossAndOverage,
});
