import {
  type CreateReturnCommand,
  createReturnBody,
  type DocumentLineInput,
  DomainError,
  dec,
  fieldIssuesFromZod,
  money,
  type PurchaseReturnLineInput,
  purchaseHeaderAttrs,
  qty,
  type UpdateReturnCommand,
  updateReturnBody,
} from '@erp/contracts';
import {
  createDocument,
  type DocumentWithLines,
  effectiveLines,
  getDocument,
  registerDocType,
  updateDocument,
} from '../documents/index.js';
import { postStockMoves, type StockMove } from '../inventory/index.js';
import { authorize, type Ctx } from '../platform/context.js';
import { assertPurchasingOrg, orgFacts } from './purchasing.access.js';
import { assertShelves, convertLines, lineWarehouse, validateLines } from './purchasing.lines.js';
import { partnerFacts } from './purchasing.master-data.js';
import type { ProductFacts } from './purchasing.models.js';
import { insertPayables, type ReceivedLineRow, receivedLines } from './purchasing.repository.js';
import { returnableQty } from './purchasing.rules.js';

const RECEIVING_TYPES = ['purchase_receipt', 'self_purchase'];

/** A received line a return may reference: of the return's org, on a posted receipt, not voided. */
function usableRef(ref: ReceivedLineRow | undefined, orgId: number): ref is ReceivedLineRow {
  return (
    !!ref &&
    ref.org_id === orgId &&
    RECEIVING_TYPES.includes(ref.doc_type) &&
    (ref.doc_status === 'posted' || ref.doc_status === 'completed') &&
    ref.status === 'active'
  );
}

/**
 * PUR-3: every line takes goods back from a received line — same product, warehouse, batch and lot, to the
 * supplier who delivered them — and all returns of a received line together (posted and pending, this one
 * included) never exceed what it brought in. The received lines are row-locked first, so two returns of
 * one line are checked one after the other and cannot both pass.
 */
async function checkReturn(
  ctx: Ctx,
  doc: DocumentWithLines,
): Promise<{ refs: Map<number, ReceivedLineRow>; products: Map<number, ProductFacts> }> {
  const org = await orgFacts(ctx.db, doc.orgId);
  assertPurchasingOrg(org);
  if (doc.partnerId === null) throw new DomainError('PUR_SUPPLIER_REQUIRED');
  // Goods go back to the supplier that delivered them, even one no longer active for new purchases.
  const supplier = (await partnerFacts(ctx.db, [doc.partnerId])).get(doc.partnerId);
  if (supplier?.kind !== 'supplier') throw new DomainError('NOT_FOUND', { entity: 'supplier', id: doc.partnerId });
  const attrs = purchaseHeaderAttrs.safeParse(doc.attrs ?? {});
  if (!attrs.success) {
    const issues = fieldIssuesFromZod(attrs.error).map((i) => ({ ...i, path: `attrs${i.path ? `.${i.path}` : ''}` }));
    throw new DomainError('VALIDATION_FAILED', {}, issues);
  }
  const products = await validateLines(ctx.db, doc, { allowZeroQty: false, requireActiveProduct: false });
  const lines = effectiveLines(doc);
  for (const l of lines) if (l.refLineId === null) throw new DomainError('PUR_RETURN_REF_REQUIRED', { line: l.lineNo });
  const refs = await receivedLines(
    ctx.db,
    lines.map((l) => l.refLineId as number),
    doc.id,
    true,
  );
  const taking = new Map<number, string>();
  for (const l of lines) {
    const ref = refs.get(l.refLineId as number);
    if (!usableRef(ref, doc.orgId)) throw new DomainError('PUR_RETURN_REF_REQUIRED', { line: l.lineNo });
    if (
      ref.product_id !== l.productId ||
      ref.warehouse_id !== lineWarehouse(doc, l) ||
      ref.batch_no !== l.batchNo ||
      ref.lot_no !== l.lotNo
    ) {
      throw new DomainError('PUR_REF_LINE_INVALID', { line: l.lineNo, refLineId: ref.id, document: ref.doc_number });
    }
    if (ref.partner_id !== doc.partnerId) {
      throw new DomainError('PUR_PO_MISMATCH', { number: ref.doc_number, field: 'supplier / 供应商' });
    }
    taking.set(
      ref.id,
      dec(taking.get(ref.id) ?? 0)
        .plus(l.qty)
        .toFixed(),
    );
  }
  for (const [refId, q] of taking) {
    const ref = refs.get(refId) as ReceivedLineRow;
    const available = returnableQty(ref.qty, ref.returned_qty);
    if (dec(q).greaterThan(available)) {
      const p = products.get(ref.product_id);
      throw new DomainError('PUR_RETURN_EXCEEDS', {
        product: p ? `${p.code} ${p.name}` : ref.product_id,
        qty: dec(q).toFixed(),
        available: dec(available).toFixed(),
        received: dec(ref.qty).toFixed(),
        returned: dec(ref.returned_qty).toFixed(),
      });
    }
  }
  await assertShelves(
    ctx.db,
    lines.map((l) => ({ shelfId: l.shelfId, warehouseId: lineWarehouse(doc, l) as number })),
  );
  return { refs, products };
}

registerDocType({
  type: 'purchase_return',
  defaults: { needsApproval: false, autoPost: true },
  rollback: { from: ['approved', 'confirmed'], to: 'draft' },
  validate: async (ctx, doc) => {
    await checkReturn(ctx, doc);
  },
  beforeSubmit: async (ctx, doc) => {
    await checkReturn(ctx, doc);
  },
  // Out at the cost the goods came in at (the received line's batch cost), from where they are now.
  onPost: async (ctx, doc) => {
    const { refs } = await checkReturn(ctx, doc);
    const lines = effectiveLines(doc);
    const moves: StockMove[] = lines.map((l) => {
      const ref = refs.get(l.refLineId as number) as ReceivedLineRow;
      return {
        warehouseId: ref.warehouse_id,
        productId: ref.product_id,
        qty: dec(l.qty).negated().toFixed(),
        unitCost: ref.unit_price,
        batchNo: ref.batch_no,
        lotNo: ref.lot_no,
        expiryDate: ref.expiry_date,
        shelfId: l.shelfId,
        status: l.stockStatus,
        sourceLineId: l.id,
      };
    });
    await postStockMoves(ctx, { type: 'document', id: doc.id, businessDate: doc.businessDate }, moves);
    await insertPayables(
      ctx.db,
      lines.map((l) => ({
        orgId: doc.orgId,
        partnerId: doc.partnerId as number,
        documentId: doc.id,
        documentLineId: l.id,
        docType: doc.docType,
        amount: money(dec(l.amount).negated()),
        businessDate: doc.businessDate,
      })),
    );
  },
});

/** Lines referencing received lines, in base units at the received cost; shelf/status default to the receipt's. */
async function returnLines(
  ctx: Ctx,
  orgId: number,
  entered: PurchaseReturnLineInput[],
  /** The document's warehouse; omitted (a new return): the first received line's. */
  headerWarehouseId?: number | null,
): Promise<{ lines: DocumentLineInput[]; refs: ReceivedLineRow[] }> {
  const refs = await receivedLines(
    ctx.db,
    entered.map((l) => l.receiptLineId),
    0,
  );
  const ordered = entered.map((l, i) => {
    const ref = refs.get(l.receiptLineId);
    if (!ref || !ctx.scope.has(ref.org_id)) throw new DomainError('NOT_FOUND', { entity: 'document_line', id: l.receiptLineId });
    if (!usableRef(ref, orgId)) throw new DomainError('PUR_RETURN_REF_REQUIRED', { line: i + 1 });
    return ref;
  });
  const header = headerWarehouseId === undefined ? (ordered[0]?.warehouse_id ?? null) : headerWarehouseId;
  const converted = await convertLines(
    ctx.db,
    orgId,
    entered.map((l, i) => ({ productId: (ordered[i] as ReceivedLineRow).product_id, qty: l.qty, unitId: l.unitId ?? null })),
    () => '0',
  );
  const lines = converted.map((c, i): DocumentLineInput => {
    const e = entered[i] as PurchaseReturnLineInput;
    const ref = ordered[i] as ReceivedLineRow;
    return {
      productId: ref.product_id,
      qty: c.base.qty,
      unitPrice: ref.unit_price,
      amount: money(dec(c.base.qty).times(ref.unit_price)),
      // Lines in the header's warehouse leave it to the header (the engine checks each named warehouse).
      ...(ref.warehouse_id !== header ? { warehouseId: ref.warehouse_id } : {}),
      batchNo: ref.batch_no,
      lotNo: ref.lot_no,
      expiryDate: ref.expiry_date,
      shelfId: e.shelfId !== undefined ? e.shelfId : ref.shelf_id,
      stockStatus: (e.stockStatus ?? ref.stock_status) as DocumentLineInput['stockStatus'],
      refLineId: ref.id,
      ...(e.remarks ? { remarks: e.remarks } : {}),
      attrs:
        c.base.attrs.unitId !== undefined
          ? { unitId: c.base.attrs.unitId, unitQty: c.base.attrs.unitQty, factor: c.base.attrs.factor }
          : {},
    };
  });
  return { lines, refs: ordered };
}

/** Creates a draft purchase return from received lines; supplier and warehouse come from what was received. */
export async function createReturn(ctx: Ctx, input: CreateReturnCommand): Promise<DocumentWithLines> {
  const cmd = createReturnBody.parse(input);
  authorize(ctx, 'doc.purchase_return', 'create');
  ctx.scope.assert(cmd.orgId, 'org', cmd.orgId);
  const { lines, refs } = await returnLines(ctx, cmd.orgId, cmd.lines);
  const sources = [...new Set(refs.map((r) => r.document_id))];
  const first = refs[0] as ReceivedLineRow;
  const supplierId = cmd.supplierId ?? first.partner_id;
  return createDocument(ctx, {
    docType: 'purchase_return',
    orgId: cmd.orgId,
    warehouseId: first.warehouse_id,
    ...(supplierId !== null ? { partnerId: supplierId } : {}),
    ...(sources.length === 1 ? { refDocumentId: sources[0] as number } : {}),
    ...(cmd.businessDate ? { businessDate: cmd.businessDate } : {}),
    ...(cmd.remarks ? { remarks: cmd.remarks } : {}),
    attrs: cmd.reason ? { reason: cmd.reason } : {},
    lines,
  });
}

export async function updateReturn(ctx: Ctx, id: number, input: UpdateReturnCommand): Promise<DocumentWithLines> {
  const cmd = updateReturnBody.parse(input);
  const doc = await getDocument(ctx, id);
  if (doc.docType !== 'purchase_return') throw new DomainError('NOT_FOUND', { entity: 'purchase_return', id });
  const built = cmd.lines ? await returnLines(ctx, doc.orgId, cmd.lines, doc.warehouseId) : undefined;
  const attrs = { ...doc.attrs };
  if (cmd.reason !== undefined) {
    if (cmd.reason === null) delete attrs.reason;
    else attrs.reason = cmd.reason;
  }
  return updateDocument(ctx, id, {
    version: cmd.version,
    ...(cmd.remarks !== undefined ? { remarks: cmd.remarks } : {}),
    attrs,
    ...(built ? { lines: built.lines } : {}),
  });
}

/** What is still returnable on received lines (for the return screen's picker). */
export async function returnableLines(ctx: Ctx, receiptId: number) {
  const doc = await getDocument(ctx, receiptId);
  if (!RECEIVING_TYPES.includes(doc.docType)) throw new DomainError('NOT_FOUND', { entity: 'purchase_receipt', id: receiptId });
  const refs = await receivedLines(
    ctx.db,
    doc.lines.map((l) => l.id),
    0,
  );
  return doc.lines
    .filter((l) => l.status === 'active')
    .map((l) => {
      const ref = refs.get(l.id) as ReceivedLineRow;
      return {
        receiptLineId: l.id,
        lineNo: l.lineNo,
        productId: l.productId,
        batchNo: l.batchNo,
        lotNo: l.lotNo,
        expiryDate: l.expiryDate,
        unitPrice: l.unitPrice,
        receivedQty: qty(l.qty),
        returnedQty: qty(ref.returned_qty),
        returnableQty: returnableQty(l.qty, ref.returned_qty),
      };
    });
}
