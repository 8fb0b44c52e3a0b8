import { type DB, sql, type Transaction } from '@erp/db';

/** A document header locked for the rest of the transaction (the order a receipt is posted against). */
export async function lockDocumentHeader(db: Transaction<DB>, id: number) {
  return db
    .selectFrom('document')
    .select(['id', 'doc_type', 'org_id', 'number', 'status', 'partner_id', 'warehouse_id'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export interface OrderLineRow {
  id: number;
  line_no: number;
  product_id: number;
  qty: string;
  unit_price: string;
  amount: string;
  status: 'active' | 'void';
  attrs: unknown;
  received_qty: string;
  product_code: string;
  product_name: string;
}

/** The lines of purchase orders with what has been received on each; one statement for many orders. */
export async function orderLines(
  db: Transaction<DB>,
  poIds: readonly number[],
): Promise<(OrderLineRow & { document_id: number })[]> {
  if (!poIds.length) return [];
  const r = await sql<OrderLineRow & { document_id: number }>`
    select l.document_id, l.id, l.line_no, l.product_id, l.qty::text as qty, l.unit_price::text as unit_price,
           l.amount::text as amount, l.status, l.attrs, coalesce(g.received_qty, 0)::text as received_qty,
           p.code as product_code, p.name as product_name
      from document_line l
      join product p on p.id = l.product_id
      left join purchase_order_line_progress g on g.po_line_id = l.id
     where l.document_id = any(${[...poIds]}::int[])
     order by l.document_id, l.line_no`.execute(db);
  return r.rows;
}

/**
 * Adds received quantities to order lines. Called with the order's document row locked, so the read of
 * progress that preceded it is still true and concurrent receipts of the order queue behind each other.
 */
export async function addReceived(db: Transaction<DB>, poId: number, rows: { lineId: number; qty: string }[]): Promise<void> {
  if (!rows.length) return;
  const sorted = [...rows].sort((a, b) => a.lineId - b.lineId);
  await sql`
    insert into purchase_order_line_progress (po_line_id, po_id, received_qty)
    select l, ${poId}, q from unnest(${sorted.map((r) => r.lineId)}::int[], ${sorted.map((r) => r.qty)}::numeric[]) as t(l, q)
    order by l
    on conflict (po_line_id) do update
      set received_qty = purchase_order_line_progress.received_qty + excluded.received_qty, updated_at = now()`.execute(db);
}

export interface ReceivedLineRow {
  id: number;
  document_id: number;
  doc_type: string;
  doc_status: string;
  doc_number: string;
  org_id: number;
  partner_id: number | null;
  line_no: number;
  product_id: number;
  qty: string;
  unit_price: string;
  warehouse_id: number;
  batch_no: string;
  lot_no: string;
  expiry_date: string | null;
  shelf_id: number | null;
  stock_status: string;
  status: 'active' | 'void';
  /** Returned or pending return on other (non-void) return documents. */
  returned_qty: string;
}

/**
 * Receipt / self-purchase lines that returns reference, with what other return documents (posted or
 * pending, not void) already take back from each. `lock` takes the lines' row locks first, in id order,
 * so two returns of one line cannot both pass the check.
 */
export async function receivedLines(
  db: Transaction<DB>,
  lineIds: readonly number[],
  excludeDocumentId: number,
  lock = false,
): Promise<Map<number, ReceivedLineRow>> {
  const ids = [...new Set(lineIds)].sort((a, b) => a - b);
  const out = new Map<number, ReceivedLineRow>();
  if (!ids.length) return out;
  if (lock) {
    // Documents before lines, as a self-purchase line void takes them, so the two never wait in a cycle.
    await sql`select id from document where id in (select document_id from document_line where id = any(${ids}::int[]))
               order by id for key share`.execute(db);
    await sql`select id from document_line where id = any(${ids}::int[]) order by id for update`.execute(db);
  }
  const r = await sql<ReceivedLineRow>`
    select l.id, l.document_id, d.doc_type, d.status as doc_status, d.number as doc_number, d.org_id, d.partner_id,
           l.line_no, l.product_id, l.qty::text as qty, l.unit_price::text as unit_price,
           coalesce(l.warehouse_id, d.warehouse_id) as warehouse_id, l.batch_no, l.lot_no, l.expiry_date, l.shelf_id,
           l.stock_status, l.status,
           coalesce((select sum(rl.qty) from document_line rl join document rd on rd.id = rl.document_id
                      where rl.ref_line_id = l.id and rl.status = 'active' and rd.doc_type = 'purchase_return'
                        and rd.status <> 'void' and rd.id <> ${excludeDocumentId}), 0)::text as returned_qty
      from document_line l join document d on d.id = l.document_id
     where l.id = any(${ids}::int[])`.execute(db);
  for (const row of r.rows) out.set(row.id, row);
  return out;
}

/** The first non-void return referencing each of `lineIds` (a line so referenced cannot be voided). */
export async function returnsReferencing(db: Transaction<DB>, lineIds: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (!lineIds.length) return out;
  const r = await sql<{ ref_line_id: number; number: string }>`
    select distinct on (rl.ref_line_id) rl.ref_line_id, rd.number
      from document_line rl join document rd on rd.id = rl.document_id
     where rl.ref_line_id = any(${[...lineIds]}::int[]) and rl.status = 'active'
       and rd.doc_type = 'purchase_return' and rd.status <> 'void'
     order by rl.ref_line_id, rd.id`.execute(db);
  for (const row of r.rows) out.set(row.ref_line_id, row.number);
  return out;
}

export interface AcceptanceInsert {
  orgId: number;
  warehouseId: number;
  documentId: number;
  documentLineId: number;
  docType: string;
  partnerId: number | null;
  productId: number;
  batchNo: string;
  lotNo: string;
  expiryDate: string | null;
  receivedQty: string;
  acceptedQty: string;
  rejectedQty: string;
  conclusion: 'accepted' | 'partly_rejected' | 'rejected';
  rejectReason: string | null;
  inspector: string;
  inspectorUserId: number | null;
  businessDate: string;
}

export async function insertAcceptance(db: Transaction<DB>, rows: AcceptanceInsert[]): Promise<void> {
  if (!rows.length) return;
  await db
    .insertInto('purchase_acceptance')
    .values(
      rows.map((r) => ({
        org_id: r.orgId,
        warehouse_id: r.warehouseId,
        document_id: r.documentId,
        document_line_id: r.documentLineId,
        doc_type: r.docType,
        partner_id: r.partnerId,
        product_id: r.productId,
        batch_no: r.batchNo,
        lot_no: r.lotNo,
        expiry_date: r.expiryDate,
        received_qty: r.receivedQty,
        accepted_qty: r.acceptedQty,
        rejected_qty: r.rejectedQty,
        conclusion: r.conclusion,
        reject_reason: r.rejectReason,
        inspector: r.inspector,
        inspector_user_id: r.inspectorUserId,
        business_date: r.businessDate,
      })),
    )
    .execute();
}

export interface PayableInsert {
  orgId: number;
  partnerId: number;
  documentId: number;
  documentLineId: number | null;
  docType: string;
  amount: string;
  businessDate: string;
}

export async function insertPayables(db: Transaction<DB>, rows: PayableInsert[]): Promise<void> {
  const nonZero = rows.filter((r) => !/^-?0+(\.0+)?$/.test(r.amount));
  if (!nonZero.length) return;
  await db
    .insertInto('purchase_payable')
    .values(
      nonZero.map((r) => ({
        org_id: r.orgId,
        partner_id: r.partnerId,
        document_id: r.documentId,
        document_line_id: r.documentLineId,
        doc_type: r.docType,
        amount: r.amount,
        business_date: r.businessDate,
      })),
    )
    .execute();
}

/** Writes generated batch numbers onto receipt lines before they post (one statement). */
export async function setBatchNumbers(db: Transaction<DB>, rows: { lineId: number; batchNo: string }[]): Promise<void> {
  if (!rows.length) return;
  await sql`
    update document_line l set batch_no = t.b
      from unnest(${rows.map((r) => r.lineId)}::int[], ${rows.map((r) => r.batchNo)}::text[]) as t(id, b)
     where l.id = t.id`.execute(db);
}
