import {
  DomainError,
  dec,
  type Page,
  QTY_PLACES,
  type StocktakeDto,
  type StocktakeLineDto,
  type StocktakeLinesQuery,
  type StocktakeListQuery,
  type StocktakeSheet,
  stocktakeLinesQuery,
  stocktakeListQuery,
} from '@erp/contracts';
import { authorize, type Ctx } from '../platform/context.js';
import { varianceTotals } from './inventory.rules.js';
import { findStocktake } from './stocktake.repository.js';

/**
 * Reading a stocktake (INV-5): the document with its counts and totals, its lines (paged and filtered), the
 * printable count sheet and the variance. The other stocktake steps load their document and answer their
 * DTO through `stocktakeDocument` and `stocktakeDto` here.
 */

/** Book quantities are shown once the stocktake is posted, or always on a sheet counted against the book. */
const REVEALED: readonly string[] = ['posted', 'completed'];

/** The stocktake's document and row, refused as not found outside the caller's scope. */
export async function stocktakeDocument(ctx: Ctx, id: number, forUpdate = false) {
  let q = ctx.db.selectFrom('document').selectAll().where('id', '=', id).where('doc_type', '=', 'stocktake');
  if (forUpdate) q = q.forUpdate();
  const doc = await q.executeTakeFirst();
  if (!doc || !ctx.scope.has(doc.org_id)) throw new DomainError('NOT_FOUND', { entity: 'stocktake', id });
  const st = await findStocktake(ctx.db, id, { forUpdate });
  if (!st) throw new DomainError('NOT_FOUND', { entity: 'stocktake', id });
  return { doc, st };
}

export async function stocktakeDto(ctx: Ctx, id: number): Promise<StocktakeDto> {
  const [dto] = await loadDtos(ctx, [id]);
  if (!dto) throw new DomainError('NOT_FOUND', { entity: 'stocktake', id });
  return dto;
}

async function loadDtos(ctx: Ctx, ids: number[]): Promise<StocktakeDto[]> {
  if (!ids.length) return [];
  const rows = await ctx.db
    .selectFrom('stocktake as s')
    .innerJoin('document as d', 'd.id', 's.document_id')
    .selectAll('s')
    .select([
      'd.number',
      'd.status',
      'd.business_date',
      'd.remarks',
      'd.version',
      (eb) =>
        eb
          .selectFrom('stocktake_line as l')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('l.document_id', '=', 's.document_id')
          .as('line_count'),
      (eb) =>
        eb
          .selectFrom('stocktake_line as l')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('l.document_id', '=', 's.document_id')
          .where('l.counted_qty', 'is not', null)
          .as('counted_count'),
      (eb) =>
        eb
          .selectFrom('stocktake_line as l')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('l.document_id', '=', 's.document_id')
          .where('l.variance_qty', '>', '0')
          .as('surplus_lines'),
      (eb) =>
        eb
          .selectFrom('stocktake_line as l')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('l.document_id', '=', 's.document_id')
          .where('l.variance_qty', '<', '0')
          .as('shortage_lines'),
    ])
    .where('s.document_id', 'in', ids)
    .execute();
  const generated = await ctx.db
    .selectFrom('document')
    .select(['id', 'number', 'doc_type', 'status', 'ref_document_id'])
    .where('ref_document_id', 'in', ids)
    .where('doc_type', 'in', ['loss', 'overage'])
    .orderBy('id')
    .execute();
  const byId = new Map(rows.map((r) => [r.document_id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const posted = r.surplus_qty !== null;
    return [
      {
        id: r.document_id,
        number: r.number,
        status: r.status,
        orgId: r.org_id,
        businessDate: r.business_date,
        warehouseId: r.warehouse_id,
        mode: r.mode,
        since: r.since,
        counterId: r.counter_id,
        shelfId: r.shelf_id,
        entryMode: r.entry_mode,
        uncountedAs: r.uncounted_as,
        snapshotLedgerId: Number(r.snapshot_ledger_id),
        snapshotAt: r.snapshot_at,
        remarks: r.remarks,
        lines: Number(r.line_count ?? 0),
        countedLines: Number(r.counted_count ?? 0),
        totals: posted
          ? {
              surplusQty: dec(r.surplus_qty as string).toFixed(QTY_PLACES),
              surplusAmount: dec(r.surplus_amount as string).toFixed(2),
              shortageQty: dec(r.shortage_qty as string).toFixed(QTY_PLACES),
              shortageAmount: dec(r.shortage_amount as string).toFixed(2),
              surplusLines: Number(r.surplus_lines ?? 0),
              shortageLines: Number(r.shortage_lines ?? 0),
            }
          : null,
        generatedAt: r.generated_at,
        generatedDocuments: generated
          .filter((g) => g.ref_document_id === id)
          .map((g) => ({ id: g.id, number: g.number, docType: g.doc_type, status: g.status })),
        version: r.version,
      },
    ];
  });
}

export async function getStocktake(ctx: Ctx, id: number): Promise<StocktakeDto> {
  authorize(ctx, 'doc.stocktake', 'view');
  await stocktakeDocument(ctx, id);
  return stocktakeDto(ctx, id);
}

export async function listStocktakes(ctx: Ctx, input: Partial<StocktakeListQuery>): Promise<Page<StocktakeDto>> {
  const q = stocktakeListQuery.parse(input);
  authorize(ctx, 'doc.stocktake', 'view');
  if (q.orgId !== undefined) ctx.scope.assert(q.orgId, 'org', q.orgId);
  let query = ctx.db
    .selectFrom('stocktake as s')
    .innerJoin('document as d', 'd.id', 's.document_id')
    .where('s.org_id', 'in', q.orgId !== undefined ? [q.orgId] : [...ctx.scope.ids, -1]);
  if (q.status) query = query.where('d.status', '=', q.status);
  if (q.from) query = query.where('d.business_date', '>=', q.from);
  if (q.to) query = query.where('d.business_date', '<=', q.to);
  if (q.q) query = query.where('d.number', 'ilike', `%${q.q}%`);
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const ids = await query
    .select('s.document_id')
    .orderBy('d.business_date', 'desc')
    .orderBy('s.document_id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return {
    items: await loadDtos(
      ctx,
      ids.map((r) => r.document_id),
    ),
    total: Number(total),
    page: q.page,
    pageSize: q.pageSize,
  };
}

function lineQuery(ctx: Ctx, id: number) {
  return ctx.db
    .selectFrom('stocktake_line as l')
    .innerJoin('product as p', 'p.id', 'l.product_id')
    .innerJoin('warehouse as w', 'w.id', 'l.warehouse_id')
    .leftJoin('shelf as sh', 'sh.id', 'l.shelf_id')
    .leftJoin('unit as u', 'u.id', 'p.base_unit_id')
    .where('l.document_id', '=', id);
}

type LineRow = Awaited<ReturnType<ReturnType<typeof selectLines>['execute']>>[number];

function selectLines(ctx: Ctx, id: number, q: Pick<StocktakeLinesQuery, 'state' | 'shelfId' | 'q'>) {
  let query = lineQuery(ctx, id);
  if (q.shelfId !== undefined) query = query.where('l.shelf_id', '=', q.shelfId);
  if (q.q) query = query.where((eb) => eb.or([eb('p.code', 'ilike', `%${q.q}%`), eb('p.name', 'ilike', `%${q.q}%`)]));
  if (q.state === 'counted') query = query.where('l.counted_qty', 'is not', null);
  if (q.state === 'uncounted') query = query.where('l.counted_qty', 'is', null);
  if (q.state === 'variance') query = query.where('l.variance_qty', '<>', '0');
  if (q.state === 'surplus') query = query.where('l.variance_qty', '>', '0');
  if (q.state === 'shortage') query = query.where('l.variance_qty', '<', '0');
  return query
    .select([
      'l.id',
      'l.line_no',
      'l.origin',
      'l.warehouse_id',
      'w.code as warehouse_code',
      'l.product_id',
      'p.code as product_code',
      'p.name as product_name',
      'p.spec as product_spec',
      'u.name as unit_name',
      'l.batch_no',
      'l.lot_no',
      'l.expiry_date',
      'l.shelf_id',
      'sh.code as shelf_code',
      'sh.name as shelf_name',
      'l.status',
      'l.book_qty',
      'l.counted_qty',
      'l.counted_at',
      'l.moved_qty',
      'l.book_at_count',
      'l.variance_qty',
      'l.unit_cost',
      'l.variance_amount',
    ])
    .orderBy('l.line_no');
}

function toLineDto(r: LineRow, revealBook: boolean): StocktakeLineDto {
  return {
    id: r.id,
    lineNo: r.line_no,
    origin: r.origin,
    warehouseId: r.warehouse_id,
    warehouseCode: r.warehouse_code,
    productId: r.product_id,
    productCode: r.product_code,
    productName: r.product_name,
    productSpec: r.product_spec,
    unitName: r.unit_name,
    batchNo: r.batch_no,
    lotNo: r.lot_no,
    expiryDate: r.expiry_date,
    shelfId: r.shelf_id || null,
    shelfCode: r.shelf_code,
    shelfName: r.shelf_name,
    status: r.status,
    bookQty: revealBook ? r.book_qty : null,
    countedQty: r.counted_qty,
    countedAt: r.counted_at,
    movedQty: r.moved_qty,
    bookAtCount: r.book_at_count,
    varianceQty: r.variance_qty,
    unitCost: r.unit_cost,
    varianceAmount: r.variance_amount,
  };
}

/** Count lines, paged and filtered (by shelf, product, counted/uncounted, surplus/shortage). */
export async function listStocktakeLines(
  ctx: Ctx,
  id: number,
  input: Partial<StocktakeLinesQuery>,
): Promise<Page<StocktakeLineDto>> {
  const q = stocktakeLinesQuery.parse(input);
  authorize(ctx, 'doc.stocktake', 'view');
  const { doc, st } = await stocktakeDocument(ctx, id);
  const reveal = st.entry_mode === 'sheet' || REVEALED.includes(doc.status);
  const query = selectLines(ctx, id, q);
  const { total } = await query
    .clearSelect()
    .clearOrderBy()
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await query
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return { items: rows.map((r) => toLineDto(r, reveal)), total: Number(total), page: q.page, pageSize: q.pageSize };
}

/** The printable count sheet: every line in walking order (warehouse, shelf, product), names and codes. */
export async function getStocktakeSheet(ctx: Ctx, id: number): Promise<StocktakeSheet> {
  authorize(ctx, 'doc.stocktake', 'view');
  const { doc, st } = await stocktakeDocument(ctx, id);
  const reveal = st.entry_mode === 'sheet' || REVEALED.includes(doc.status);
  const org = await ctx.db
    .selectFrom('org')
    .select(['id', 'code', 'name'])
    .where('id', '=', doc.org_id)
    .executeTakeFirstOrThrow();
  const warehouses = await ctx.db
    .selectFrom('warehouse')
    .select(['id', 'code', 'name'])
    .where('org_id', '=', doc.org_id)
    .$if(st.warehouse_id !== null, (q) => q.where('id', '=', st.warehouse_id as number))
    .orderBy('code')
    .execute();
  const counter = st.counter_id
    ? ((await ctx.db.selectFrom('counter').select(['id', 'code', 'name']).where('id', '=', st.counter_id).executeTakeFirst()) ??
      null)
    : null;
  const shelf = st.shelf_id
    ? ((await ctx.db.selectFrom('shelf').select(['id', 'code', 'name']).where('id', '=', st.shelf_id).executeTakeFirst()) ?? null)
    : null;
  const lines = (await selectLines(ctx, id, { state: 'all' }).execute()).map((r) => toLineDto(r, reveal));
  return { stocktake: await stocktakeDto(ctx, id), org, warehouses, counter, shelf, showsBook: reveal, lines };
}

/** The variance of a posted stocktake, split into surplus and shortage lines with their totals. */
export async function getStocktakeVariance(ctx: Ctx, id: number) {
  authorize(ctx, 'doc.stocktake', 'view');
  const { doc } = await stocktakeDocument(ctx, id);
  const rows = REVEALED.includes(doc.status) ? await selectLines(ctx, id, { state: 'variance' }).execute() : [];
  const lines = rows.map((r) => toLineDto(r, true));
  const surplus = lines.filter((l) => dec(l.varianceQty ?? 0).greaterThan(0));
  const shortage = lines.filter((l) => dec(l.varianceQty ?? 0).isNegative());
  return {
    stocktake: await stocktakeDto(ctx, id),
    totals: varianceTotals(lines.map((l) => ({ varianceQty: l.varianceQty ?? 0, varianceAmount: l.varianceAmount ?? 0 }))),
    surplus,
    shortage,
  };
}
