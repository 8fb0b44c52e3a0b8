import type { DocStatus, DocType } from '@erp/contracts';
import type { DB, DocumentLineTable, DocumentTable, Selectable, Transaction } from '@erp/db';
import type { DocumentHeader, DocumentLine, DocumentWithLines } from './documents.models.js';

export function toHeader(r: Selectable<DocumentTable>): DocumentHeader {
  return {
    id: r.id,
    docType: r.doc_type as DocType,
    orgId: r.org_id,
    number: r.number,
    status: r.status as DocStatus,
    businessDate: r.business_date,
    warehouseId: r.warehouse_id,
    counterpartyOrgId: r.counterparty_org_id,
    partnerId: r.partner_id,
    refDocumentId: r.ref_document_id,
    remarks: r.remarks,
    attrs: (r.attrs ?? {}) as Record<string, unknown>,
    totalQty: r.total_qty,
    totalAmount: r.total_amount,
    lineApproval: r.line_approval,
    rejectComment: r.reject_comment,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    approvedBy: r.approved_by,
    approvedAt: r.approved_at,
    confirmedAt: r.confirmed_at,
    postedAt: r.posted_at,
    completedAt: r.completed_at,
    voidedAt: r.voided_at,
    version: r.version,
  };
}

export function toLine(r: Selectable<DocumentLineTable>): DocumentLine {
  return {
    id: r.id,
    lineNo: r.line_no,
    productId: r.product_id,
    qty: r.qty,
    unitPrice: r.unit_price,
    amount: r.amount,
    warehouseId: r.warehouse_id,
    batchNo: r.batch_no,
    lotNo: r.lot_no,
    expiryDate: r.expiry_date,
    shelfId: r.shelf_id,
    stockStatus: r.stock_status as DocumentLine['stockStatus'],
    status: r.status,
    approvalStatus: r.approval_status,
    approvalComment: r.approval_comment,
    refLineId: r.ref_line_id,
    remarks: r.remarks,
    attrs: (r.attrs ?? {}) as Record<string, unknown>,
  };
}

export async function loadDocument(
  db: Transaction<DB>,
  id: number,
  opts: { forUpdate?: boolean } = {},
): Promise<DocumentWithLines | undefined> {
  let q = db.selectFrom('document').selectAll().where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  const header = await q.executeTakeFirst();
  if (!header) return undefined;
  const lines = await db.selectFrom('document_line').selectAll().where('document_id', '=', id).orderBy('line_no').execute();
  return { ...toHeader(header), lines: lines.map(toLine) };
}

/** Next number for a type/org/day: one row per key, incremented under its row lock. */
export async function nextSequence(db: Transaction<DB>, docType: string, orgId: number, day: string): Promise<number> {
  const row = await db
    .insertInto('document_sequence')
    .values({ doc_type: docType, org_id: orgId, day, last_value: 1 })
    .onConflict((oc) =>
      oc.columns(['doc_type', 'org_id', 'day']).doUpdateSet((eb) => ({ last_value: eb('document_sequence.last_value', '+', 1) })),
    )
    .returning('last_value')
    .executeTakeFirstOrThrow();
  return row.last_value;
}
