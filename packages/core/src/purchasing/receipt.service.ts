import {
  type CreateReceiptCommand,
  createReceiptBody,
  type DocumentLineInput,
  DomainError,
  dec,
  type ReceiptLineInput,
  type UpdateReceiptCommand,
  updateReceiptBody,
} from '@erp/contracts';
import { createDocument, type DocumentWithLines, getDocument, registerDocType, updateDocument } from '../documents/index.js';
import { authorize, type Ctx } from '../platform/context.js';
import { checkInbound, lockOrderOf, postInbound } from './inbound.js';
import { type ConvertedLine, convertLines, documentLine, extraBaseQty } from './purchasing.lines.js';
import { type OrderLineRow, orderLines } from './purchasing.repository.js';
import { openQty } from './purchasing.rules.js';

// PUR-2: 验收入库. Posting normally follows confirmation at once; with auto-post off it waits in the
// generic inbound review (通用入库复核) and posts from there.
registerDocType({
  type: 'purchase_receipt',
  defaults: { needsApproval: false, autoPost: true },
  rollback: { from: ['approved', 'confirmed'], to: 'draft' },
  validate: async (ctx, doc) => {
    await checkInbound(ctx, doc, 'draft');
  },
  beforeSubmit: async (ctx, doc) => {
    await lockOrderOf(ctx, doc);
    await checkInbound(ctx, doc, 'submit');
  },
  onConfirm: lockOrderOf,
  onPost: postInbound,
});

type EnteredReceiptLine = ReceiptLineInput;

/** The engine's line for a received line: base units, order reference, lot/expiry/shelf, refused quantity. */
export function receivedDocumentLine(c: ConvertedLine<EnteredReceiptLine>, refLineId: number | undefined): DocumentLineInput {
  const e = c.entered;
  const rejected = extraBaseQty(c, e.rejectedQty);
  return documentLine(c, {
    ...(refLineId !== undefined ? { refLineId } : {}),
    ...(e.lotNo ? { lotNo: e.lotNo } : {}),
    ...(e.expiryDate !== undefined ? { expiryDate: e.expiryDate } : {}),
    ...(e.shelfId !== undefined ? { shelfId: e.shelfId } : {}),
    ...(e.stockStatus ? { stockStatus: e.stockStatus } : {}),
    ...(e.remarks ? { remarks: e.remarks } : {}),
    attrs: {
      ...(rejected !== undefined && rejected !== '0.000' ? { rejectedQty: rejected } : {}),
      ...(e.rejectReason ? { rejectReason: e.rejectReason } : {}),
    },
  });
}

interface OrderHeader {
  id: number;
  org_id: number;
  number: string;
  warehouse_id: number | null;
  partner_id: number | null;
}

/** The order a receipt is created against: of the receipt's org and visible to the caller. */
async function orderFor(
  ctx: Ctx,
  poId: number,
  orgId: number,
): Promise<{ header: OrderHeader; lines: Map<number, OrderLineRow> }> {
  const header = await ctx.db
    .selectFrom('document')
    .select(['id', 'org_id', 'number', 'warehouse_id', 'partner_id', 'doc_type'])
    .where('id', '=', poId)
    .executeTakeFirst();
  if (header?.doc_type !== 'purchase_order' || !ctx.scope.has(header.org_id)) {
    throw new DomainError('NOT_FOUND', { entity: 'purchase_order', id: poId });
  }
  if (header.org_id !== orgId) throw new DomainError('PUR_PO_MISMATCH', { number: header.number, field: 'org / 机构' });
  const rows = await orderLines(ctx.db, [poId]);
  return { header, lines: new Map(rows.filter((r) => r.status === 'active').map((r) => [r.id, r])) };
}

async function receiptLines(
  ctx: Ctx,
  orgId: number,
  entered: ReceiptLineInput[],
  order: Map<number, OrderLineRow> | null,
): Promise<DocumentLineInput[]> {
  const lines = entered;
  const converted = await convertLines(ctx.db, orgId, lines, (l) =>
    l.purchaseOrderLineId !== undefined ? order?.get(l.purchaseOrderLineId)?.unit_price : undefined,
  );
  return converted.map((c) => receivedDocumentLine(c, c.entered.purchaseOrderLineId));
}

/**
 * Creates a draft receipt. With an order and no lines it takes every open order line at its open quantity
 * and the order's price; warehouse and supplier default to the order's.
 */
export async function createReceipt(ctx: Ctx, input: CreateReceiptCommand): Promise<DocumentWithLines> {
  const cmd = createReceiptBody.parse(input);
  authorize(ctx, 'doc.purchase_receipt', 'create');
  ctx.scope.assert(cmd.orgId, 'org', cmd.orgId);
  const order = cmd.purchaseOrderId !== undefined ? await orderFor(ctx, cmd.purchaseOrderId, cmd.orgId) : null;
  const entered: ReceiptLineInput[] =
    cmd.lines ??
    (order
      ? [...order.lines.values()]
          .filter((l) => dec(openQty(l.qty, l.received_qty)).greaterThan(0))
          .map((l) => ({ productId: l.product_id, qty: openQty(l.qty, l.received_qty), purchaseOrderLineId: l.id }))
      : []);
  const lines = await receiptLines(ctx, cmd.orgId, entered, order?.lines ?? null);
  const warehouseId = cmd.warehouseId ?? order?.header.warehouse_id ?? undefined;
  const supplierId = cmd.supplierId ?? order?.header.partner_id ?? undefined;
  return createDocument(ctx, {
    docType: 'purchase_receipt',
    orgId: cmd.orgId,
    ...(warehouseId != null ? { warehouseId } : {}),
    ...(supplierId != null ? { partnerId: supplierId } : {}),
    ...(order ? { refDocumentId: order.header.id } : {}),
    ...(cmd.businessDate ? { businessDate: cmd.businessDate } : {}),
    ...(cmd.remarks ? { remarks: cmd.remarks } : {}),
    attrs: cmd.inspector ? { inspector: cmd.inspector } : {},
    lines,
  });
}

export async function updateReceipt(ctx: Ctx, id: number, input: UpdateReceiptCommand): Promise<DocumentWithLines> {
  const cmd = updateReceiptBody.parse(input);
  const doc = await getDocument(ctx, id);
  if (doc.docType !== 'purchase_receipt') throw new DomainError('NOT_FOUND', { entity: 'purchase_receipt', id });
  const order = doc.refDocumentId !== null ? await orderFor(ctx, doc.refDocumentId, doc.orgId) : null;
  const lines = cmd.lines ? await receiptLines(ctx, doc.orgId, cmd.lines, order?.lines ?? null) : undefined;
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
    ...(lines ? { lines } : {}),
  });
}
