import {
  type CreateStocktakeCommand,
  createStocktakeBody,
  DomainError,
  dec,
  docStatusLabels,
  type Page,
  QTY_PLACES,
  qty as qtyStr,
  type StocktakeCountCommand,
  type StocktakeDto,
  type StocktakeLineDto,
  type StocktakeLinesQuery,
  type StocktakeListQuery,
  type StocktakeSheet,
  stocktakeCountBody,
  stocktakeLinesQuery,
  stocktakeListQuery,
} from '@erp/contracts';
import { sql } from '@erp/db';
import { recordAudit } from '../audit/audit.service.js';
import type { DocumentWithLines } from '../documents/documents.models.js';
import { registerDocType } from '../documents/documents.registry.js';
import { createDocument, transition } from '../documents/documents.service.js';
import { authorize, type Ctx } from '../platform/context.js';
import { splitIntoChunks, varianceTotals } from './inventory.rules.js';
import {
  clearVariance,
  computeVariance,
  type ExtraCount,
  findStocktake,
  insertSnapshot,
  ledgerMark,
  lockCostRowsOfPairs,
  lockCostRowsOfStocktake,
  lockCostRowsOfWarehouses,
  type StocktakeRow,
  updateCounts,
  upsertExtraCounts,
} from './stocktake.repository.js';

/** Generated loss/overage documents are split so none exceeds this many lines. */
const GENERATED_DOC_MAX_LINES = 2000;
const REVEALED: readonly string[] = ['posted', 'completed'];

export type { StocktakeDto, StocktakeLineDto, StocktakeSheet } from '@erp/contracts';

/**
 * Contexts currently creating a stocktake through createStocktake. A stocktake is only ever made by
 * generating a sheet; the type's validate hook refuses one created through the generic document API.
 */
const creating = new WeakSet<Ctx>();

async function stocktakeDocument(ctx: Ctx, id: number, forUpdate = false) {
  let q = ctx.db.selectFrom('document').selectAll().where('id', '=', id).where('doc_type', '=', 'stocktake');
  if (forUpdate) q = q.forUpdate();
  const doc = await q.executeTakeFirst();
  if (!doc || !ctx.scope.has(doc.org_id)) throw new DomainError('NOT_FOUND', { entity: 'stocktake', id });
  const st = await findStocktake(ctx.db, id, { forUpdate });
  if (!st) throw new DomainError('NOT_FOUND', { entity: 'stocktake', id });
  return { doc, st };
}

async function toDto(ctx: Ctx, doc: { id: number }): Promise<StocktakeDto> {
  const [dto] = await loadDtos(ctx, [doc.id]);
  if (!dto) throw new DomainError('NOT_FOUND', { entity: 'stocktake', id: doc.id });
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
  const dto = await toDto(ctx, doc);
  await recordAudit(ctx, {
    action: 'stocktake.snapshot',
    entity: 'document',
    entityId: doc.id,
    after: { mode: dto.mode, lines: dto.lines, snapshotLedgerId: dto.snapshotLedgerId, shelfIds },
    orgId: cmd.orgId,
  });
  return dto;
}

export async function getStocktake(ctx: Ctx, id: number): Promise<StocktakeDto> {
  authorize(ctx, 'doc.stocktake', 'view');
  await stocktakeDocument(ctx, id);
  return toDto(ctx, { id });
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
  return { stocktake: await toDto(ctx, { id }), org, warehouses, counter, shelf, showsBook: reveal, lines };
}

export interface CountResult {
  updated: number;
  added: number;
  stocktake: StocktakeDto;
}

/**
 * 实盘录入: counts per sheet line, and/or manual (blind) lines for goods not on the sheet. Each count
 * records the ledger mark at the moment it is entered, so moves before the count are part of its book and
 * moves after it are not. Only a draft stocktake takes counts (roll a posted one back to recount).
 */
export async function enterStocktakeCounts(ctx: Ctx, id: number, input: StocktakeCountCommand): Promise<CountResult> {
  const cmd = stocktakeCountBody.parse(input);
  authorize(ctx, 'doc.stocktake', 'edit');
  const { doc, st } = await stocktakeDocument(ctx, id, true);
  if (doc.status !== 'draft' && doc.status !== 'rejected') {
    throw new DomainError('INV_STOCKTAKE_NOT_COUNTING', {
      number: doc.number,
      status: docStatusLabels[doc.status as keyof typeof docStatusLabels]?.en ?? doc.status,
    });
  }
  const lineIds = [...new Set(cmd.lines.map((l) => l.lineId))];
  const known = lineIds.length
    ? await ctx.db
        .selectFrom('stocktake_line')
        .select(['id', 'warehouse_id', 'product_id'])
        .where('document_id', '=', id)
        // One array parameter, not one parameter per line (a sheet runs to tens of thousands).
        .where(sql<boolean>`id = any(${lineIds}::int[])`)
        .execute()
    : [];
  const missing = lineIds.find((l) => !known.some((k) => k.id === l));
  if (missing !== undefined) throw new DomainError('INV_STOCKTAKE_LINE_NOT_FOUND', { lineId: missing, number: doc.number });
  const extras = await resolveExtras(ctx, st, cmd.extra);

  const pairs = new Map<string, { warehouseId: number; productId: number }>();
  for (const k of known) pairs.set(`${k.warehouse_id}|${k.product_id}`, { warehouseId: k.warehouse_id, productId: k.product_id });
  for (const e of extras) pairs.set(`${e.warehouseId}|${e.productId}`, { warehouseId: e.warehouseId, productId: e.productId });
  await lockCostRowsOfPairs(
    ctx.db,
    [...pairs.values()].sort((a, b) => a.warehouseId - b.warehouseId || a.productId - b.productId),
  );
  const mark = await ledgerMark(ctx.db);
  const userId = ctx.actor.userId > 0 ? ctx.actor.userId : null;
  // The last count given for a line in one request wins.
  const lastByLine = new Map(cmd.lines.map((l) => [l.lineId, l.countedQty === null ? null : qtyStr(l.countedQty)]));
  const changed = await updateCounts(
    ctx.db,
    id,
    [...lastByLine.entries()].map(([lineId, countedQty]) => ({ lineId, countedQty })),
    mark,
    userId,
  );
  const upserted = await upsertExtraCounts(ctx.db, id, Number(st.snapshot_ledger_id), extras, mark, userId);
  await recordAudit(ctx, {
    action: 'stocktake.count',
    entity: 'document',
    entityId: id,
    before: [...changed, ...upserted].map((c) => ({ lineId: c.id, countedQty: c.before })),
    after: [...changed, ...upserted].map((c) => ({ lineId: c.id, countedQty: c.after })),
    detail: { countLedgerMark: mark },
    orgId: doc.org_id,
  });
  return {
    updated: changed.length + upserted.filter((u) => !u.inserted).length,
    added: upserted.filter((u) => u.inserted).length,
    stocktake: await toDto(ctx, { id }),
  };
}

/** Manual lines: fills the warehouse/shelf the stocktake implies, checks them against its scope, and sums duplicates. */
async function resolveExtras(
  ctx: Ctx,
  st: StocktakeRow,
  extra: ReturnType<typeof stocktakeCountBody.parse>['extra'],
): Promise<ExtraCount[]> {
  if (!extra?.length) return [];
  const warehouses = await ctx.db
    .selectFrom('warehouse')
    .select(['id', 'is_default'])
    .where('org_id', '=', st.org_id)
    .$if(st.warehouse_id !== null, (q) => q.where('id', '=', st.warehouse_id as number))
    .execute();
  const defaultWarehouse = (warehouses.find((w) => w.is_default) ?? warehouses[0])?.id;
  const scopeShelves = st.counter_id
    ? (await ctx.db.selectFrom('shelf').select('id').where('counter_id', '=', st.counter_id).execute()).map((s) => s.id)
    : st.shelf_id
      ? [st.shelf_id]
      : null;
  const productIds = [...new Set(extra.map((e) => e.productId))];
  const products = await ctx.db.selectFrom('product').select(['id', 'code']).where('id', 'in', productIds).execute();
  const shelfIds = [
    ...new Set([...extra.map((e) => e.shelfId).filter((x): x is number => typeof x === 'number'), st.shelf_id ?? 0]),
  ].filter((x) => x > 0);
  const shelves = shelfIds.length
    ? await ctx.db.selectFrom('shelf').select(['id', 'warehouse_id']).where('id', 'in', shelfIds).execute()
    : [];
  const merged = new Map<string, ExtraCount>();
  for (const e of extra) {
    const product = products.find((p) => p.id === e.productId);
    if (!product) throw new DomainError('NOT_FOUND', { entity: 'product', id: e.productId });
    const outOfScope = () => new DomainError('INV_STOCKTAKE_OUT_OF_SCOPE', { product: product.code });
    const warehouseId = e.warehouseId ?? defaultWarehouse;
    if (warehouseId === undefined || !warehouses.some((w) => w.id === warehouseId)) throw outOfScope();
    // An entry without a shelf on a shelf-scoped stocktake is on that shelf.
    const shelfId = e.shelfId ?? st.shelf_id ?? 0;
    if (shelfId > 0 && !shelves.some((s) => s.id === shelfId && s.warehouse_id === warehouseId)) throw outOfScope();
    if (scopeShelves !== null && !scopeShelves.includes(shelfId)) throw outOfScope();
    const ec: ExtraCount = {
      warehouseId,
      productId: e.productId,
      batchNo: e.batchNo ?? '',
      lotNo: e.lotNo ?? '',
      expiryDate: e.expiryDate ?? null,
      shelfId,
      status: e.stockStatus ?? 'sellable',
      countedQty: qtyStr(e.countedQty),
    };
    const key = `${ec.warehouseId}|${ec.productId}|${ec.batchNo}|${ec.lotNo}|${ec.shelfId}|${ec.status}`;
    const prior = merged.get(key);
    // The same goods found in two places of one shelf in one entry are added up.
    if (prior) prior.countedQty = qtyStr(dec(prior.countedQty).plus(ec.countedQty));
    else merged.set(key, ec);
  }
  return [...merged.values()];
}

/**
 * 盘点表过账 in one step: closes counting (confirm) and compares counted with book (post). The engine's
 * transitions do the work, so grants, configuration and audit are the same as through the generic API.
 */
export async function postStocktake(ctx: Ctx, id: number): Promise<StocktakeDto> {
  const { doc } = await stocktakeDocument(ctx, id);
  if (doc.status === 'draft' || doc.status === 'rejected' || doc.status === 'approved') {
    const confirmed = await transition(ctx, id, 'confirm');
    if (confirmed.status !== 'confirmed') return toDto(ctx, { id });
  }
  await transition(ctx, id, 'post');
  return toDto(ctx, { id });
}

/** 回退过账: back to counting; refused once the loss/overage documents are generated. */
export async function unpostStocktake(ctx: Ctx, id: number, comment?: string): Promise<StocktakeDto> {
  const { doc } = await stocktakeDocument(ctx, id);
  if (doc.status === 'completed') throw new DomainError('INV_STOCKTAKE_GENERATED', { number: doc.number });
  await transition(ctx, id, 'rollback', comment ? { comment } : {});
  return toDto(ctx, { id });
}

/**
 * 生成损益: a posted stocktake's shortages become loss documents and its surpluses overage documents (per
 * warehouse, split at a few thousand lines), submitted for approval. Runs as the stocktake's `complete`.
 */
export async function generateStocktakeAdjustments(ctx: Ctx, id: number): Promise<StocktakeDto> {
  authorize(ctx, 'doc.stocktake', 'complete');
  const { doc } = await stocktakeDocument(ctx, id);
  if (doc.status === 'completed') throw new DomainError('INV_STOCKTAKE_ALREADY_GENERATED', { number: doc.number });
  if (doc.status !== 'posted') throw new DomainError('INV_STOCKTAKE_NOT_POSTED', { number: doc.number });
  await transition(ctx, id, 'complete');
  return toDto(ctx, { id });
}

async function createAdjustmentDocuments(ctx: Ctx, doc: DocumentWithLines, st: StocktakeRow): Promise<number[]> {
  const lines = await ctx.db
    .selectFrom('stocktake_line')
    .selectAll()
    .where('document_id', '=', doc.id)
    .where('variance_qty', '<>', '0')
    .orderBy('warehouse_id')
    .orderBy('line_no')
    .execute();
  const created: number[] = [];
  const groups = new Map<string, typeof lines>();
  for (const l of lines) {
    const kind = dec(l.variance_qty as string).isNegative() ? 'loss' : 'overage';
    const key = `${kind}|${l.warehouse_id}`;
    const g = groups.get(key) ?? [];
    g.push(l);
    groups.set(key, g);
  }
  for (const [key, group] of groups) {
    const [kind, warehouse] = key.split('|') as ['loss' | 'overage', string];
    for (const part of splitIntoChunks(group, GENERATED_DOC_MAX_LINES)) {
      const reason = kind === 'loss' ? `盘亏 ${doc.number}` : `盘盈 ${doc.number}`;
      const d = await createDocument(ctx, {
        docType: kind,
        orgId: st.org_id,
        warehouseId: Number(warehouse),
        refDocumentId: doc.id,
        remarks: `盘点单 ${doc.number} 生成 / generated from stocktake ${doc.number}`,
        attrs: { costMode: 'auto', reason, stocktakeId: doc.id },
        lines: part.map((l) => ({
          productId: l.product_id,
          qty: dec(l.variance_qty as string)
            .abs()
            .toFixed(QTY_PLACES),
          // An estimate at the stocktake's cost; posting takes the batch cost or moving average of that day.
          unitPrice: dec(l.unit_cost ?? 0).toFixed(4),
          batchNo: l.batch_no,
          lotNo: l.lot_no,
          expiryDate: l.expiry_date,
          shelfId: l.shelf_id || null,
          stockStatus: l.status as 'sellable' | 'unsellable' | 'pending_check',
          attrs: { stocktakeLineId: l.id },
        })),
      });
      await transition(ctx, d.id, 'submit');
      created.push(d.id);
    }
  }
  return created;
}

// INV-5: the stocktake document type. It never moves stock itself: posting compares counted with book,
// unposting clears that, and completing generates the loss/overage documents that do move stock.
registerDocType({
  type: 'stocktake',
  defaults: { needsApproval: false, autoPost: false },
  ownLines: true,
  rollback: { from: ['approved', 'confirmed', 'posted', 'completed'], to: 'draft' },
  validate: async (ctx, doc) => {
    const st = await findStocktake(ctx.db, doc.id);
    if (!st && !creating.has(ctx)) throw new DomainError('INV_STOCKTAKE_USE_SHEET');
    if (doc.lines.length) throw new DomainError('INV_STOCKTAKE_LINES_READONLY');
    if (st && st.warehouse_id !== doc.warehouseId) throw new DomainError('INV_STOCKTAKE_LINES_READONLY');
  },
  beforeSubmit: async (ctx, doc) => {
    const st = await findStocktake(ctx.db, doc.id);
    if (!st) throw new DomainError('INV_STOCKTAKE_USE_SHEET');
  },
  onPost: async (ctx, doc) => {
    const st = (await findStocktake(ctx.db, doc.id, { forUpdate: true })) as StocktakeRow;
    await lockCostRowsOfStocktake(ctx.db, doc.id);
    const mark = await ledgerMark(ctx.db);
    await computeVariance(ctx.db, doc.id, Number(st.snapshot_ledger_id), mark, st.uncounted_as);
    const t = await ctx.db
      .selectFrom('stocktake')
      .select(['surplus_qty', 'surplus_amount', 'shortage_qty', 'shortage_amount'])
      .where('document_id', '=', doc.id)
      .executeTakeFirstOrThrow();
    await recordAudit(ctx, {
      action: 'stocktake.variance',
      entity: 'document',
      entityId: doc.id,
      after: t,
      detail: { postLedgerMark: mark },
      orgId: doc.orgId,
    });
  },
  onRollback: async (ctx, doc, from) => {
    const st = (await findStocktake(ctx.db, doc.id, { forUpdate: true })) as StocktakeRow;
    if (from === 'completed' || st.generated_at !== null)
      throw new DomainError('INV_STOCKTAKE_GENERATED', { number: doc.number });
    if (from === 'posted') await clearVariance(ctx.db, doc.id);
  },
  onComplete: async (ctx, doc) => {
    const st = (await findStocktake(ctx.db, doc.id, { forUpdate: true })) as StocktakeRow;
    if (st.generated_at !== null) throw new DomainError('INV_STOCKTAKE_ALREADY_GENERATED', { number: doc.number });
    const created = await createAdjustmentDocuments(ctx, doc, st);
    await ctx.db
      .updateTable('stocktake')
      .set({ generated_at: new Date(), generated_by: ctx.actor.userId > 0 ? ctx.actor.userId : null })
      .where('document_id', '=', doc.id)
      .execute();
    await recordAudit(ctx, {
      action: 'stocktake.generate',
      entity: 'document',
      entityId: doc.id,
      after: { documents: created },
      orgId: doc.orgId,
    });
  },
});

/** The variance of a posted stocktake, split into surplus and shortage lines with their totals. */
export async function getStocktakeVariance(ctx: Ctx, id: number) {
  authorize(ctx, 'doc.stocktake', 'view');
  const { doc } = await stocktakeDocument(ctx, id);
  const rows = REVEALED.includes(doc.status) ? await selectLines(ctx, id, { state: 'variance' }).execute() : [];
  const lines = rows.map((r) => toLineDto(r, true));
  const surplus = lines.filter((l) => dec(l.varianceQty ?? 0).greaterThan(0));
  const shortage = lines.filter((l) => dec(l.varianceQty ?? 0).isNegative());
  return {
    stocktake: await toDto(ctx, { id }),
    totals: varianceTotals(lines.map((l) => ({ varianceQty: l.varianceQty ?? 0, varianceAmount: l.varianceAmount ?? 0 }))),
    surplus,
    shortage,
  };
}
