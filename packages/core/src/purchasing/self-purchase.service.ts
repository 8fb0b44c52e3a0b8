import {
  type CreateSelfPurchaseCommand,
  createSelfPurchaseBody,
  DomainError,
  dec,
  money,
  type UpdateSelfPurchaseCommand,
  updateSelfPurchaseBody,
} from '@erp/contracts';
import { sql } from '@erp/db';
import { recordAudit } from '../audit/audit.service.js';
import {
  createDocument,
  type DocumentWithLines,
  getDocument,
  registerDocType,
  transition,
  updateDocument,
  voidLines,
} from '../documents/index.js';
import { postStockMoves, type StockMove } from '../inventory/index.js';
import { currentBusinessDay } from '../org/index.js';
import { authorize, type Ctx } from '../platform/context.js';
import { checkInbound, postInbound } from './inbound.js';
import { convertLines, lineWarehouse } from './purchasing.lines.js';
import { insertPayables, lockDocumentHeader, returnsReferencing } from './purchasing.repository.js';
import { receivedDocumentLine } from './receipt.service.js';

// PUR-4: 门店自行采购 — a store HQ has granted the right buys from a supplier itself. Saving (confirming)
// posts at once: batches, stock, acceptance records (seed 10055).
registerDocType({
  type: 'self_purchase',
  defaults: { needsApproval: false, autoPost: true },
  validate: async (ctx, doc) => {
    await checkInbound(ctx, doc, 'draft');
  },
  beforeSubmit: async (ctx, doc) => {
    await checkInbound(ctx, doc, 'submit');
  },
  onPost: postInbound,
});

/** Creates a self-purchase; with `confirm` it is executed in the same transaction (保存即入库). */
export async function createSelfPurchase(ctx: Ctx, input: CreateSelfPurchaseCommand): Promise<DocumentWithLines> {
  const cmd = createSelfPurchaseBody.parse(input);
  authorize(ctx, 'doc.self_purchase', 'create');
  ctx.scope.assert(cmd.orgId, 'org', cmd.orgId);
  const converted = await convertLines(ctx.db, cmd.orgId, cmd.lines);
  const doc = await createDocument(ctx, {
    docType: 'self_purchase',
    orgId: cmd.orgId,
    warehouseId: cmd.warehouseId,
    partnerId: cmd.supplierId,
    ...(cmd.businessDate ? { businessDate: cmd.businessDate } : {}),
    ...(cmd.remarks ? { remarks: cmd.remarks } : {}),
    attrs: cmd.inspector ? { inspector: cmd.inspector } : {},
    lines: converted.map((c) => receivedDocumentLine(c, undefined)),
  });
  return cmd.confirm ? transition(ctx, doc.id, 'confirm') : doc;
}

export async function updateSelfPurchase(ctx: Ctx, id: number, input: UpdateSelfPurchaseCommand): Promise<DocumentWithLines> {
  const cmd = updateSelfPurchaseBody.parse(input);
  const doc = await getDocument(ctx, id);
  if (doc.docType !== 'self_purchase') throw new DomainError('NOT_FOUND', { entity: 'self_purchase', id });
  const converted = cmd.lines ? await convertLines(ctx.db, doc.orgId, cmd.lines) : undefined;
  const attrs = { ...doc.attrs };
  if (cmd.inspector !== undefined) {
    if (cmd.inspector === null) delete attrs.inspector;
    else attrs.inspector = cmd.inspector;
  }
  return updateDocument(ctx, id, {
    version: cmd.version,
    ...(cmd.warehouseId !== undefined ? { warehouseId: cmd.warehouseId } : {}),
    ...(cmd.supplierId !== undefined ? { partnerId: cmd.supplierId } : {}),
    ...(cmd.remarks !== undefined ? { remarks: cmd.remarks } : {}),
    attrs,
    ...(converted ? { lines: converted.map((c) => receivedDocumentLine(c, undefined)) } : {}),
  });
}

/**
 * Voids lines of a self-purchase (seed 10055 作废, several at once). Before posting this is the engine's
 * line void. After posting — which the engine never allows — a line may still be voided unless a purchase
 * return references it: its stock moves are reversed (new ledger rows that reference the line, at the
 * line's cost), its acceptance record is marked void, the payable is credited, and the line is kept as
 * void so the document shows its history. Finance vouchers do not exist yet (FIN); once they do, a booked
 * voucher must refuse the void as well.
 */
export async function voidSelfPurchaseLines(ctx: Ctx, id: number, lineIds: number[], reason: string): Promise<DocumentWithLines> {
  authorize(ctx, 'doc.self_purchase', 'void');
  const first = await getDocument(ctx, id);
  if (first.docType !== 'self_purchase') throw new DomainError('NOT_FOUND', { entity: 'self_purchase', id });
  if (first.status !== 'posted' && first.status !== 'completed') return voidLines(ctx, id, lineIds);

  await lockDocumentHeader(ctx.db, id);
  const doc = await getDocument(ctx, id);
  const wanted = [...new Set(lineIds)];
  const lines = wanted.map((lineId) => {
    const l = doc.lines.find((x) => x.id === lineId);
    if (!l) throw new DomainError('DOC_LINE_NOT_FOUND', { lineId });
    if (l.status !== 'active') throw new DomainError('PUR_LINE_NOT_ACTIVE', { line: l.lineNo });
    return l;
  });
  // Lock the lines so a return cannot start referencing them while they are being voided.
  await sql`select id from document_line where id = any(${wanted}::int[]) order by id for update`.execute(ctx.db);
  const referenced = await returnsReferencing(ctx.db, wanted);
  for (const l of lines) {
    const number = referenced.get(l.id);
    if (number) throw new DomainError('PUR_LINE_HAS_RETURN', { line: l.lineNo, number });
  }

  const day = await currentBusinessDay(ctx.db, doc.orgId);
  const moves: StockMove[] = lines
    .filter((l) => dec(l.qty).greaterThan(0))
    .map((l) => ({
      warehouseId: lineWarehouse(doc, l) as number,
      productId: l.productId as number,
      qty: dec(l.qty).negated().toFixed(),
      unitCost: l.unitPrice,
      batchNo: l.batchNo,
      lotNo: l.lotNo,
      expiryDate: l.expiryDate,
      shelfId: l.shelfId,
      status: l.stockStatus,
      sourceLineId: l.id,
    }));
  await postStockMoves(ctx, { type: 'document', id: doc.id, businessDate: day }, moves);

  const stamp = { voidReason: reason.trim(), voidedBy: ctx.actor.userId, voidedAt: new Date().toISOString() };
  await sql`
    update document_line set status = 'void', attrs = attrs || ${JSON.stringify(stamp)}::jsonb
     where id = any(${wanted}::int[])`.execute(ctx.db);
  await sql`
    update document d set total_qty = coalesce(t.q, 0), total_amount = coalesce(t.a, 0), version = d.version + 1,
                          updated_by = ${ctx.actor.userId > 0 ? ctx.actor.userId : null}, updated_at = now()
      from (select sum(qty) as q, sum(amount) as a from document_line where document_id = ${id} and status = 'active') t
     where d.id = ${id}`.execute(ctx.db);
  await ctx.db
    .updateTable('purchase_acceptance')
    .set({ voided_at: new Date() })
    .where('document_line_id', 'in', wanted)
    .execute();
  if (doc.partnerId !== null) {
    await insertPayables(
      ctx.db,
      lines.map((l) => ({
        orgId: doc.orgId,
        partnerId: doc.partnerId as number,
        documentId: doc.id,
        documentLineId: l.id,
        docType: doc.docType,
        amount: money(dec(l.amount).negated()),
        businessDate: day,
      })),
    );
  }
  const after = await getDocument(ctx, id);
  await recordAudit(ctx, {
    action: 'self_purchase.void_lines',
    entity: 'document',
    entityId: id,
    before: { lines },
    after: { lines: after.lines.filter((l) => wanted.includes(l.id)), totalQty: after.totalQty, totalAmount: after.totalAmount },
    detail: { number: doc.number, reason: reason.trim(), businessDate: day },
    orgId: doc.orgId,
  });
  return after;
}
