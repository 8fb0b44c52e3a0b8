import {
  type DocStatus,
  DomainError,
  dec,
  docStatusLabels,
  fieldIssuesFromZod,
  money,
  purchaseHeaderAttrs,
  qty,
} from '@erp/contracts';
import { type DocumentLine, type DocumentWithLines, effectiveLines, transition } from '../documents/index.js';
import { postStockMoves, type StockMove } from '../inventory/index.js';
import type { Ctx } from '../platform/context.js';
import { actingFor, assertPurchasingOrg, type OrgFacts, orgFacts } from './purchasing.access.js';
import { assertShelves, lineAttrs, lineWarehouse, validateLines } from './purchasing.lines.js';
import { assertSupplierFor } from './purchasing.master-data.js';
import type { PartnerFacts, ProductFacts, PurchasingSettings } from './purchasing.models.js';
import {
  type AcceptanceInsert,
  addReceived,
  insertAcceptance,
  insertPayables,
  lockDocumentHeader,
  type OrderLineRow,
  orderLines,
  setBatchNumbers,
} from './purchasing.repository.js';
import { acceptanceConclusion, batchNumberFor, overReceipt } from './purchasing.rules.js';
import { loadPurchasingSettings } from './purchasing.settings.js';

/**
 * Receipts (验收入库, PUR-2) and store self-purchases (门店自行采购, PUR-4) bring goods in from a supplier the
 * same way: accepted quantity into stock at the line's cost, a batch per line for batch-tracked goods, an
 * acceptance record per line (GSP-1) and what is owed to the supplier. A receipt may follow a purchase
 * order and then counts against its open quantities.
 */

export type Stage = 'draft' | 'submit' | 'post';

export interface InboundCheck {
  org: OrgFacts;
  settings: PurchasingSettings;
  supplier: PartnerFacts;
  products: Map<number, ProductFacts>;
  /** The order the receipt follows, with its lines and what they have received so far. */
  order: { id: number; number: string; lines: Map<number, OrderLineRow> } | null;
}

function headerAttrs(doc: DocumentWithLines) {
  const r = purchaseHeaderAttrs.safeParse(doc.attrs ?? {});
  if (r.success) return r.data;
  throw new DomainError(
    'VALIDATION_FAILED',
    {},
    fieldIssuesFromZod(r.error).map((i) => ({ ...i, path: `attrs${i.path ? `.${i.path}` : ''}` })),
  );
}

function productLabel(p: ProductFacts | undefined, id: number | null): string {
  return p ? `${p.code} ${p.name}` : String(id);
}

/** Sum of this document's accepted quantities per referenced order line. */
function receivedNow(lines: DocumentLine[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const l of lines) {
    if (l.refLineId === null) continue;
    out.set(
      l.refLineId,
      dec(out.get(l.refLineId) ?? 0)
        .plus(l.qty)
        .toFixed(),
    );
  }
  return out;
}

/**
 * Everything a receipt or self-purchase must satisfy. At 'draft' the lines may still lack lots; from
 * 'submit' on they are complete; at 'post' the order row is locked by the caller, so the over-receipt check
 * reads settled progress and cannot be raced by another receipt of the same order.
 */
export async function checkInbound(ctx: Ctx, doc: DocumentWithLines, stage: Stage): Promise<InboundCheck> {
  const org = await orgFacts(ctx.db, doc.orgId);
  assertPurchasingOrg(org);
  const { effective: settings } = await loadPurchasingSettings(ctx.db, doc.orgId);
  if (doc.docType === 'self_purchase') {
    if (org.kind !== 'store') throw new DomainError('PUR_ORG_CANNOT_PURCHASE', { org: `${org.code} ${org.name}` });
    if (!settings.selfPurchaseAllowed) throw new DomainError('PUR_SELF_PURCHASE_NOT_ALLOWED', { org: `${org.code} ${org.name}` });
  }
  if (doc.warehouseId === null) throw new DomainError('PUR_WAREHOUSE_REQUIRED');
  const supplier = await assertSupplierFor(ctx.db, doc.partnerId, org.path);
  headerAttrs(doc);
  const products = await validateLines(ctx.db, doc, { allowZeroQty: true, requireActiveProduct: true });
  const lines = effectiveLines(doc);
  for (const [i, l] of doc.lines.entries()) {
    if (l.status !== 'active') continue;
    const rejected = lineAttrs(l, i).rejectedQty ?? '0';
    if (dec(l.qty).isZero() && dec(rejected).isZero()) throw new DomainError('PUR_QTY_INVALID', { line: l.lineNo });
    const p = products.get(l.productId as number);
    if (stage !== 'draft' && p?.batchTracked && dec(l.qty).greaterThan(0) && (!l.lotNo || !l.expiryDate)) {
      throw new DomainError('PUR_LOT_REQUIRED', { line: l.lineNo, product: productLabel(p, l.productId) });
    }
  }
  await assertShelves(
    ctx.db,
    lines.map((l) => ({ shelfId: l.shelfId, warehouseId: lineWarehouse(doc, l) as number })),
  );

  let order: InboundCheck['order'] = null;
  if (doc.docType === 'self_purchase' || doc.refDocumentId === null) {
    const withRef = lines.find((l) => l.refLineId !== null);
    if (withRef) {
      throw new DomainError('PUR_REF_LINE_INVALID', { line: withRef.lineNo, refLineId: withRef.refLineId, document: '-' });
    }
    if (doc.docType === 'purchase_receipt' && settings.requirePurchaseOrder) {
      throw new DomainError('PUR_PO_REQUIRED', { org: `${org.code} ${org.name}`, line: lines[0]?.lineNo ?? 1 });
    }
  } else {
    const po = await ctx.db
      .selectFrom('document')
      .select(['id', 'doc_type', 'org_id', 'number', 'status', 'partner_id'])
      .where('id', '=', doc.refDocumentId)
      .executeTakeFirst();
    if (po?.doc_type !== 'purchase_order' || po.org_id !== doc.orgId) {
      throw new DomainError('NOT_FOUND', { entity: 'purchase_order', id: doc.refDocumentId });
    }
    if (po.status !== 'confirmed') {
      throw new DomainError('PUR_PO_NOT_OPEN', {
        number: po.number,
        status: docStatusLabels[po.status as DocStatus]?.en ?? po.status,
      });
    }
    if (po.partner_id !== doc.partnerId)
      throw new DomainError('PUR_PO_MISMATCH', { number: po.number, field: 'supplier / 供应商' });
    const rows = await orderLines(ctx.db, [po.id]);
    const byId = new Map(rows.filter((r) => r.status === 'active').map((r) => [r.id, r]));
    for (const l of lines) {
      if (l.refLineId === null) {
        if (settings.requirePurchaseOrder)
          throw new DomainError('PUR_PO_REQUIRED', { org: `${org.code} ${org.name}`, line: l.lineNo });
        continue;
      }
      const ordered = byId.get(l.refLineId);
      if (!ordered || ordered.product_id !== l.productId) {
        throw new DomainError('PUR_REF_LINE_INVALID', { line: l.lineNo, refLineId: l.refLineId, document: po.number });
      }
    }
    for (const [lineId, now] of receivedNow(lines)) {
      const ordered = byId.get(lineId) as OrderLineRow;
      const over = overReceipt(ordered.qty, ordered.received_qty, now, settings.overReceiptTolerancePct);
      if (over) {
        throw new DomainError('PUR_OVER_RECEIPT', {
          product: `${ordered.product_code} ${ordered.product_name}`,
          number: po.number,
          open: dec(over.open).toFixed(),
          qty: dec(over.qty).toFixed(),
          max: dec(over.max).toFixed(),
          tolerance: dec(settings.overReceiptTolerancePct).toFixed(),
        });
      }
    }
    order = { id: po.id, number: po.number, lines: byId };
  }
  return { org, settings, supplier, products, order };
}

/**
 * Locks the order a receipt follows, before the receipt's own row changes status in this transaction: that
 * change re-checks the receipt's reference to the order (a foreign key), which takes a share lock on the
 * order row; two receipts each holding that share lock and then asking for the order's update lock would
 * deadlock. Taken first, the update lock makes concurrent receipts of one order simply queue.
 */
export async function lockOrderOf(ctx: Ctx, doc: DocumentWithLines): Promise<void> {
  if (doc.docType === 'purchase_receipt' && doc.refDocumentId !== null) await lockDocumentHeader(ctx.db, doc.refDocumentId);
}

/**
 * Posting (记账) of a receipt or self-purchase: lock the order, re-check everything against settled data,
 * generate batch numbers, post the stock, write acceptance records and payables, and count the receipt
 * against the order (completing it when nothing is left open).
 */
export async function postInbound(ctx: Ctx, doc: DocumentWithLines): Promise<void> {
  await lockOrderOf(ctx, doc);
  const check = await checkInbound(ctx, doc, 'post');
  const lines = effectiveLines(doc);

  const batches = lines
    .filter((l) => check.products.get(l.productId as number)?.batchTracked && dec(l.qty).greaterThan(0) && !l.batchNo)
    .map((l) => ({ lineId: l.id, batchNo: batchNumberFor(doc.number, l.lineNo) }));
  await setBatchNumbers(ctx.db, batches);
  for (const b of batches) (lines.find((l) => l.id === b.lineId) as DocumentLine).batchNo = b.batchNo;

  const moves: StockMove[] = lines
    .filter((l) => dec(l.qty).greaterThan(0))
    .map((l) => ({
      warehouseId: lineWarehouse(doc, l) as number,
      productId: l.productId as number,
      qty: l.qty,
      // The receipt's cost, whatever it is (free goods come in at 0 and lower the average, as they should).
      unitCost: l.unitPrice,
      batchNo: l.batchNo,
      lotNo: l.lotNo,
      expiryDate: l.expiryDate,
      shelfId: l.shelfId,
      status: l.stockStatus,
      sourceLineId: l.id,
    }));
  await postStockMoves(ctx, { type: 'document', id: doc.id, businessDate: doc.businessDate }, moves);

  const inspector = headerAttrs(doc).inspector?.trim() || ctx.actor.name;
  const acceptance: AcceptanceInsert[] = lines.map((l) => {
    const a = lineAttrs(l, doc.lines.indexOf(l));
    const rejected = qty(a.rejectedQty ?? '0');
    return {
      orgId: doc.orgId,
      warehouseId: lineWarehouse(doc, l) as number,
      documentId: doc.id,
      documentLineId: l.id,
      docType: doc.docType,
      partnerId: doc.partnerId,
      productId: l.productId as number,
      batchNo: l.batchNo,
      lotNo: l.lotNo,
      expiryDate: l.expiryDate,
      receivedQty: qty(dec(l.qty).plus(rejected)),
      acceptedQty: qty(l.qty),
      rejectedQty: rejected,
      conclusion: acceptanceConclusion(l.qty, rejected),
      rejectReason: a.rejectReason ?? null,
      inspector,
      inspectorUserId: ctx.actor.userId > 0 ? ctx.actor.userId : null,
      businessDate: doc.businessDate,
    };
  });
  await insertAcceptance(ctx.db, acceptance);
  await insertPayables(
    ctx.db,
    lines.map((l) => ({
      orgId: doc.orgId,
      partnerId: check.supplier.id,
      documentId: doc.id,
      documentLineId: l.id,
      docType: doc.docType,
      amount: money(l.amount),
      businessDate: doc.businessDate,
    })),
  );

  if (check.order) {
    const now = receivedNow(lines);
    await addReceived(
      ctx.db,
      check.order.id,
      [...now].map(([lineId, q]) => ({ lineId, qty: q })),
    );
    const filled = [...check.order.lines.values()].every((l) =>
      dec(l.received_qty)
        .plus(now.get(l.id) ?? 0)
        .greaterThanOrEqualTo(l.qty),
    );
    // The keeper posting the receipt completes the order as a consequence, without a grant to complete orders.
    if (filled) await transition(actingFor(ctx, ['doc.purchase_order:complete']), check.order.id, 'complete');
  }
}
