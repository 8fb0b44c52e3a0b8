import {
  type DocType,
  DomainError,
  docTypes,
  isDomainError,
  type Page,
  type ReviewQueueQuery,
  reviewQueueQuery,
  type StockDirection,
  stockDocDirections,
} from '@erp/contracts';
import { getDocument, transition } from '../documents/documents.service.js';
import { authorize, type Ctx } from '../platform/context.js';
import { scopedWarehouseIds } from './stock-query.service.js';

export interface ReviewItem {
  id: number;
  docType: DocType;
  direction: StockDirection;
  number: string;
  orgId: number;
  orgCode: string;
  orgName: string;
  warehouseId: number | null;
  warehouseCode: string | null;
  businessDate: string;
  totalQty: string;
  totalAmount: string;
  lines: number;
  confirmedAt: Date | null;
  remarks: string | null;
}

/**
 * 通用入库/出库复核 (DOC): confirmed stock documents of every stock-moving type that are not posted yet —
 * the ones whose org has auto-posting off — for the user's orgs and the types they may see, oldest first.
 */
export async function listReviewQueue(ctx: Ctx, input: Partial<ReviewQueueQuery>): Promise<Page<ReviewItem>> {
  const q = reviewQueueQuery.parse(input);
  authorize(ctx, 'stock_review', 'view');
  if (q.orgId !== undefined) ctx.scope.assert(q.orgId, 'org', q.orgId);
  if (q.warehouseId !== undefined) await scopedWarehouseIds(ctx, { warehouseId: q.warehouseId });
  const types = (Object.entries(stockDocDirections) as [DocType, StockDirection][])
    .filter(([t, dir]) => (!q.direction || dir === q.direction) && (!q.docType || t === q.docType))
    .filter(([t]) => ctx.actor.grants.has(`doc.${t}:view`))
    .map(([t]) => t);
  let query = ctx.db
    .selectFrom('document as d')
    .innerJoin('org as o', 'o.id', 'd.org_id')
    .leftJoin('warehouse as w', 'w.id', 'd.warehouse_id')
    .where('d.status', '=', 'confirmed')
    .where('d.doc_type', 'in', [...types, '-'])
    .where('d.org_id', 'in', q.orgId !== undefined ? [q.orgId] : [...ctx.scope.ids, -1]);
  if (q.warehouseId !== undefined) query = query.where('d.warehouse_id', '=', q.warehouseId);
  if (q.from) query = query.where('d.business_date', '>=', q.from);
  if (q.to) query = query.where('d.business_date', '<=', q.to);
  if (q.q) query = query.where('d.number', 'ilike', `%${q.q}%`);
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await query
    .select([
      'd.id',
      'd.doc_type',
      'd.number',
      'd.org_id',
      'o.code as org_code',
      'o.name as org_name',
      'd.warehouse_id',
      'w.code as warehouse_code',
      'd.business_date',
      'd.total_qty',
      'd.total_amount',
      'd.confirmed_at',
      'd.remarks',
      (eb) =>
        eb
          .selectFrom('document_line as l')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('l.document_id', '=', 'd.id')
          .where('l.status', '=', 'active')
          .as('line_count'),
    ])
    .orderBy('d.business_date')
    .orderBy('d.id')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      docType: r.doc_type as DocType,
      direction: stockDocDirections[r.doc_type as DocType] as StockDirection,
      number: r.number,
      orgId: r.org_id,
      orgCode: r.org_code,
      orgName: r.org_name,
      warehouseId: r.warehouse_id,
      warehouseCode: r.warehouse_code,
      businessDate: r.business_date,
      totalQty: r.total_qty,
      totalAmount: r.total_amount,
      lines: Number(r.line_count ?? 0),
      confirmedAt: r.confirmed_at,
      remarks: r.remarks,
    })),
    total: Number(total),
    page: q.page,
    pageSize: q.pageSize,
  };
}

/**
 * Posts reviewed documents (出入库记账) through the engine's `post` transition, one or many. All or
 * nothing, like every request: a refusal names the document it came from (param `documentNumber`).
 */
export async function postReviewedDocuments(
  ctx: Ctx,
  ids: readonly number[],
): Promise<{ posted: { id: number; number: string; docType: DocType }[] }> {
  authorize(ctx, 'stock_review', 'post');
  const posted: { id: number; number: string; docType: DocType }[] = [];
  for (const id of [...new Set(ids)]) {
    const doc = await getDocument(ctx, id);
    if (!docTypes[doc.docType].stockEffect || !stockDocDirections[doc.docType] || doc.status !== 'confirmed') {
      throw new DomainError('INV_NOT_IN_REVIEW', { number: doc.number });
    }
    try {
      await transition(ctx, id, 'post');
    } catch (e) {
      if (isDomainError(e)) throw new DomainError(e.code, { ...e.params, documentNumber: doc.number }, e.fieldIssues);
      throw e;
    }
    posted.push({ id, number: doc.number, docType: doc.docType });
  }
  return { posted };
}
