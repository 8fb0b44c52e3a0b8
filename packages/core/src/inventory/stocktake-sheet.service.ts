import { type CreateStocktakeCommand, createStocktakeBody, DomainError, type StocktakeDto } from '@erp/contracts';
import { recordAudit } from '../audit/audit.service.js';
import type { DocumentWithLines } from '../documents/documents.models.js';
import { createDocument } from '../documents/documents.service.js';
import { authorize, type Ctx } from '../platform/context.js';
import { insertSnapshot, lockCostRowsOfWarehouses } from './stocktake.repository.js';
import { stocktakeDto } from './stocktake-query.service.js';

/**
 * Contexts currently creating a stocktake through createStocktake. A stocktake is only ever made by
 * generating a sheet; the type's validate hook refuses one created through the generic document API.
 */
const creating = new WeakSet<Ctx>();

/** Whether `ctx` is generating a stocktake right now (the document type's validate hook lets only that through). */
export function isGeneratingSheet(ctx: Ctx): boolean {
  return creating.has(ctx);
}

/**
 * 生成盘点表 (INV-5): a static sheet (everything in stock now) or a dynamic one (keys whose stock moved on or
 * after `since`), for a whole store, one warehouse, a counter (its shelves) or one shelf. The book quantity
 * of every key is snapshotted together with the ledger's high-water mark, under the posting locks of the
 * warehouses, so the snapshot is exactly "the ledger up to that mark".
 */
export async function createStocktake(ctx: Ctx, input: CreateStocktakeCommand): Promise<StocktakeDto> {
  const cmd = createStocktakeBody.parse(input);
  authorize(ctx, 'doc.stocktake', 'create');
  ctx.scope.assert(cmd.orgId, 'org', cmd.orgId);
  let whQuery = ctx.db.selectFrom('warehouse').select(['id', 'code']).where('org_id', '=', cmd.orgId).where('active', '=', true);
  if (cmd.warehouseId !== undefined) whQuery = whQuery.where('id', '=', cmd.warehouseId);
  const warehouses = await whQuery.orderBy('id').execute();
  if (cmd.warehouseId !== undefined && !warehouses.length)
    throw new DomainError('NOT_FOUND', { entity: 'warehouse', id: cmd.warehouseId });
  if (!warehouses.length) throw new DomainError('INV_STOCKTAKE_EMPTY');
  const warehouseIds = warehouses.map((w) => w.id);

  let shelfIds: number[] | null = null;
  if (cmd.counterId !== undefined) {
    const counter = await ctx.db
      .selectFrom('counter')
      .select(['id', 'org_id'])
      .where('id', '=', cmd.counterId)
      .executeTakeFirst();
    if (!counter || counter.org_id !== cmd.orgId) throw new DomainError('NOT_FOUND', { entity: 'counter', id: cmd.counterId });
    const shelves = await ctx.db
      .selectFrom('shelf')
      .select('id')
      .where('counter_id', '=', cmd.counterId)
      .where('warehouse_id', 'in', warehouseIds)
      .execute();
    shelfIds = shelves.map((s) => s.id);
  }
  if (cmd.shelfId !== undefined) {
    const shelf = await ctx.db
      .selectFrom('shelf')
      .select(['id', 'warehouse_id'])
      .where('id', '=', cmd.shelfId)
      .executeTakeFirst();
    if (!shelf || !warehouseIds.includes(shelf.warehouse_id))
      throw new DomainError('NOT_FOUND', { entity: 'shelf', id: cmd.shelfId });
    shelfIds = [shelf.id];
  }
  if (shelfIds?.length === 0) throw new DomainError('INV_STOCKTAKE_EMPTY');

  await lockCostRowsOfWarehouses(ctx.db, warehouseIds);
  creating.add(ctx);
  let doc: DocumentWithLines;
  try {
    doc = await createDocument(ctx, {
      docType: 'stocktake',
      orgId: cmd.orgId,
      ...(cmd.warehouseId !== undefined ? { warehouseId: cmd.warehouseId } : {}),
      ...(cmd.businessDate ? { businessDate: cmd.businessDate } : {}),
      ...(cmd.remarks ? { remarks: cmd.remarks } : {}),
      attrs: {
        mode: cmd.mode,
        entryMode: cmd.entryMode,
        ...(cmd.since ? { since: cmd.since } : {}),
        ...(cmd.counterId !== undefined ? { counterId: cmd.counterId } : {}),
        ...(cmd.shelfId !== undefined ? { shelfId: cmd.shelfId } : {}),
      },
      lines: [],
    });
  } finally {
    creating.delete(ctx);
  }
  const snap = await insertSnapshot(ctx.db, {
    documentId: doc.id,
    orgId: cmd.orgId,
    warehouseId: cmd.warehouseId ?? null,
    warehouseIds,
    mode: cmd.mode,
    since: cmd.since ?? null,
    counterId: cmd.counterId ?? null,
    shelfId: cmd.shelfId ?? null,
    shelfIds,
    entryMode: cmd.entryMode,
    uncountedAs: cmd.uncountedAs,
  });
  if (snap.lines === 0) throw new DomainError('INV_STOCKTAKE_EMPTY');
  const dto = await stocktakeDto(ctx, doc.id);
  await recordAudit(ctx, {
    action: 'stocktake.snapshot',
    entity: 'document',
    entityId: doc.id,
    after: { mode: dto.mode, lines: dto.lines, snapshotLedgerId: dto.snapshotLedgerId, shelfIds },
    orgId: cmd.orgId,
  });
  return dto;
}
