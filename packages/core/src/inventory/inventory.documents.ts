import {
  adjustmentHeaderAttrs,
  adjustmentLineAttrs,
  type DocType,
  DomainError,
  dec,
  docTypes,
  type FieldIssue,
  fieldIssuesFromZod,
  internalAdjustmentLineAttrs,
  reasonAttrs,
  warehouseMoveHeaderAttrs,
  warehouseMoveLineAttrs,
} from '@erp/contracts';
import { sql } from '@erp/db';
import type { z } from 'zod';
import { getSimple } from '../catalog/index.js';
import { type DocumentLine, type DocumentWithLines, effectiveLines } from '../documents/documents.models.js';
import { registerDocType } from '../documents/documents.registry.js';
import { reasonCodeTable } from '../partners/index.js';
import type { Ctx } from '../platform/context.js';
import { balanceKeyString, type StockMove } from './inventory.models.js';
import { resolveCostMode, type StockKey, sameStockKey, targetKey } from './inventory.rules.js';
import { postStockMoves } from './stock-ledger.service.js';

/** Every active line names a product, a positive quantity and a warehouse of the document's org. */
export async function validateStockLines(ctx: Ctx, doc: DocumentWithLines): Promise<void> {
  const issues: FieldIssue[] = [];
  const warehouseIds = new Set<number>();
  for (const [i, l] of doc.lines.entries()) {
    if (l.status !== 'active') continue;
    const wh = l.warehouseId ?? doc.warehouseId;
    if (l.productId === null) issues.push(issue(`lines.${i}.productId`, '请选择商品', 'Choose a product'));
    if (!dec(l.qty).greaterThan(0)) issues.push(issue(`lines.${i}.qty`, '数量必须大于 0', 'Quantity must be greater than 0'));
    if (wh === null) issues.push(issue(`lines.${i}.warehouseId`, '请选择仓库', 'Choose a warehouse'));
    else warehouseIds.add(wh);
  }
  if (issues.length) throw new DomainError('VALIDATION_FAILED', {}, issues);
  if (warehouseIds.size) {
    const rows = await ctx.db
      .selectFrom('warehouse')
      .select(['id', 'org_id'])
      .where('id', 'in', [...warehouseIds])
      .execute();
    for (const id of warehouseIds) {
      if (!rows.some((r) => r.id === id && r.org_id === doc.orgId))
        throw new DomainError('NOT_FOUND', { entity: 'warehouse', id });
    }
  }
}

function issue(path: string, zh: string, en: string): FieldIssue {
  return { path, code: 'invalid', message: zh, messageZh: zh, messageEn: en };
}

/** Checks free-form attrs against a schema; issues are reported at `path` (e.g. "lines.2.attrs"). */
export function parseAttrs<S extends z.ZodType>(schema: S, value: unknown, path: string): z.output<S> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issues = fieldIssuesFromZod(r.error).map((i) => ({ ...i, path: i.path ? `${path}.${i.path}` : path }));
  throw new DomainError('VALIDATION_FAILED', {}, issues);
}

/** The stock moves of a document's effective lines; `sign` -1 takes stock out. */
export function linesToMoves(doc: DocumentWithLines, sign: 1 | -1): StockMove[] {
  return effectiveLines(doc).map((l) => ({
    warehouseId: (l.warehouseId ?? doc.warehouseId) as number,
    productId: l.productId as number,
    qty: dec(l.qty).times(sign).toFixed(),
    // A price on an inbound line is its cost; without one the goods come in at the current average.
    ...(sign > 0 && dec(l.unitPrice).greaterThan(0) ? { unitCost: l.unitPrice } : {}),
    batchNo: l.batchNo,
    lotNo: l.lotNo,
    expiryDate: l.expiryDate,
    shelfId: l.shelfId,
    status: l.stockStatus,
    sourceLineId: l.id,
  }));
}

export function documentSource(doc: DocumentWithLines) {
  return { type: 'document', id: doc.id, businessDate: doc.businessDate };
}

/** The balance key a line's stock sits under. */
export function lineKey(doc: DocumentWithLines, l: DocumentLine): StockKey {
  return {
    warehouseId: (l.warehouseId ?? doc.warehouseId) as number,
    productId: l.productId as number,
    batchNo: l.batchNo,
    lotNo: l.lotNo,
    shelfId: l.shelfId ?? 0,
    status: l.stockStatus,
  };
}

/** Shelves named on lines must belong to the warehouse they are used with. One query for the document. */
async function assertShelvesInWarehouses(ctx: Ctx, uses: { shelfId: number; warehouseId: number }[]): Promise<void> {
  const wanted = uses.filter((u) => u.shelfId > 0);
  if (!wanted.length) return;
  const rows = await ctx.db
    .selectFrom('shelf as s')
    .innerJoin('warehouse as w', 'w.id', 's.warehouse_id')
    .select(['s.id', 's.code', 's.warehouse_id'])
    .where('s.id', 'in', [...new Set(wanted.map((u) => u.shelfId))])
    .execute();
  for (const u of wanted) {
    const shelf = rows.find((r) => r.id === u.shelfId);
    if (!shelf || shelf.warehouse_id !== u.warehouseId) {
      const wh = await ctx.db.selectFrom('warehouse').select('code').where('id', '=', u.warehouseId).executeTakeFirst();
      throw new DomainError('INV_SHELF_NOT_IN_WAREHOUSE', {
        shelf: shelf?.code ?? String(u.shelfId),
        warehouse: wh?.code ?? String(u.warehouseId),
      });
    }
  }
}

/** Which reason-code usages (原因代码用途) fit each document type. */
const REASON_USAGES: Partial<Record<DocType, readonly string[]>> = {
  loss: ['loss', 'other'],
  overage: ['overage', 'other'],
  internal_adjustment: ['adjustment', 'other'],
  warehouse_move: ['adjustment', 'other'],
  other_inbound: ['other', 'adjustment'],
  other_outbound: ['other', 'adjustment'],
};

/**
 * Reasons (a header default and per line) are optional: free text, a reason code of master data, or both.
 * A code must exist, be active and be meant for the document's type.
 */
async function validateReasons(ctx: Ctx, doc: DocumentWithLines): Promise<void> {
  const ids = new Set<number>();
  const header = parseAttrs(reasonAttrs, doc.attrs, 'attrs');
  if (header.reasonCodeId !== undefined) ids.add(header.reasonCodeId);
  for (const [i, l] of doc.lines.entries()) {
    if (l.status !== 'active') continue;
    const la = parseAttrs(reasonAttrs, l.attrs, `lines.${i}.attrs`);
    if (la.reasonCodeId !== undefined) ids.add(la.reasonCodeId);
  }
  const usages = REASON_USAGES[doc.docType] ?? [];
  for (const id of ids) {
    const code = await getSimple(ctx, reasonCodeTable, id);
    if (!code.active || !usages.includes(code.usage)) {
      throw new DomainError('INV_REASON_CODE_INVALID', {
        code: code.code,
        docType: docTypes[doc.docType].zh,
        docTypeEn: docTypes[doc.docType].en,
      });
    }
  }
}

async function validatePlainStockDoc(ctx: Ctx, doc: DocumentWithLines): Promise<void> {
  await validateStockLines(ctx, doc);
  await validateReasons(ctx, doc);
  await assertShelvesInWarehouses(
    ctx,
    effectiveLines(doc).map((l) => ({ shelfId: l.shelfId ?? 0, warehouseId: (l.warehouseId ?? doc.warehouseId) as number })),
  );
}

// ---- INV-7: other inbound / outbound (其他入库/出库), with optional reasons.

registerDocType({
  type: 'other_inbound',
  defaults: { needsApproval: false, autoPost: true },
  rollback: { from: ['approved', 'confirmed'], to: 'draft' },
  validate: validatePlainStockDoc,
  beforeSubmit: validatePlainStockDoc,
  onPost: async (ctx, doc) => {
    await postStockMoves(ctx, documentSource(doc), linesToMoves(doc, 1));
  },
});

registerDocType({
  type: 'other_outbound',
  defaults: { needsApproval: false, autoPost: true },
  rollback: { from: ['approved', 'confirmed'], to: 'draft' },
  validate: validatePlainStockDoc,
  beforeSubmit: validatePlainStockDoc,
  onPost: async (ctx, doc) => {
    await postStockMoves(ctx, documentSource(doc), linesToMoves(doc, -1));
  },
});

// ---- INV-4: loss (报损) and overage (报溢)

/** Each line's cost mode; manual lines must carry their unit cost as the line's unit price. */
export function lineCostModes(doc: DocumentWithLines): Map<number, 'auto' | 'manual'> {
  const header = parseAttrs(adjustmentHeaderAttrs, doc.attrs, 'attrs');
  const modes = new Map<number, 'auto' | 'manual'>();
  for (const [i, l] of doc.lines.entries()) {
    if (l.status !== 'active') continue;
    const la = parseAttrs(adjustmentLineAttrs, l.attrs, `lines.${i}.attrs`);
    const mode = resolveCostMode(header.costMode, la.costMode);
    if (mode === 'manual' && !dec(l.unitPrice).greaterThan(0))
      throw new DomainError('INV_MANUAL_COST_REQUIRED', { line: l.lineNo });
    modes.set(l.id, mode);
  }
  return modes;
}

async function validateLossOverage(ctx: Ctx, doc: DocumentWithLines): Promise<void> {
  await validatePlainStockDoc(ctx, doc);
  lineCostModes(doc);
}

/**
 * Loss/overage moves: a manual line moves at the entered cost; an automatic one at the batch cost when the
 * batch is known, else the moving average (the ledger's default), whatever price the line shows.
 */
function costedMoves(doc: DocumentWithLines, sign: 1 | -1): StockMove[] {
  const modes = lineCostModes(doc);
  return effectiveLines(doc).map((l) => ({
    warehouseId: (l.warehouseId ?? doc.warehouseId) as number,
    productId: l.productId as number,
    qty: dec(l.qty).times(sign).toFixed(),
    ...(modes.get(l.id) === 'manual' ? { unitCost: l.unitPrice } : {}),
    batchNo: l.batchNo,
    lotNo: l.lotNo,
    expiryDate: l.expiryDate,
    shelfId: l.shelfId,
    status: l.stockStatus,
    sourceLineId: l.id,
  }));
}

// HQ finance approves losses and overages (seed 10010/10011); the org configuration may say otherwise.
registerDocType({
  type: 'loss',
  defaults: { needsApproval: true, autoPost: true },
  rollback: { from: ['approved', 'confirmed'], to: 'draft' },
  validate: validateLossOverage,
  beforeSubmit: validateLossOverage,
  onPost: async (ctx, doc) => {
    await postStockMoves(ctx, documentSource(doc), costedMoves(doc, -1));
  },
});

registerDocType({
  type: 'overage',
  defaults: { needsApproval: true, autoPost: true },
  rollback: { from: ['approved', 'confirmed'], to: 'draft' },
  validate: validateLossOverage,
  beforeSubmit: validateLossOverage,
  onPost: async (ctx, doc) => {
    await postStockMoves(ctx, documentSource(doc), costedMoves(doc, 1));
  },
});

// ---- INV-6 and INV-7: stock that changes place or label. Both post paired out/in moves at the same cost.

interface Pair {
  line: DocumentLine;
  source: StockKey;
  target: StockKey;
  /** Expiry of the moved stock when the line changes it; else the source's. */
  expiry?: string | null | undefined;
}

function keyArrays(keys: readonly StockKey[]) {
  return sql`(select * from unnest(${keys.map((k) => k.warehouseId)}::int[], ${keys.map((k) => k.productId)}::int[],
    ${keys.map((k) => k.batchNo)}::text[], ${keys.map((k) => k.lotNo)}::text[], ${keys.map((k) => k.shelfId)}::int[],
    ${keys.map((k) => k.status)}::text[]))`;
}

/**
 * Out of the source key, into the target key, the in-leg taking the out-leg's unit cost (costFromMove), all
 * in one postStockMoves call. Relabelling or moving stock that is not there makes no sense even where the
 * store may sell below zero, so a source left negative is refused.
 */
async function postPairs(ctx: Ctx, doc: DocumentWithLines, pairs: Pair[]): Promise<void> {
  const sources = pairs.map((p) => p.source);
  const found = await sql<{ key: string; expiry_date: string | null }>`
    select concat_ws('|', warehouse_id, product_id, batch_no, lot_no, shelf_id, status) as key, expiry_date
      from stock_balance
     where (warehouse_id, product_id, batch_no, lot_no, shelf_id, status) in ${keyArrays(sources)}`.execute(ctx.db);
  const expiries = new Map(found.rows.map((r) => [r.key, r.expiry_date]));
  const moves: StockMove[] = [];
  for (const p of pairs) {
    const q = dec(p.line.qty);
    const sourceExpiry = p.line.expiryDate ?? expiries.get(balanceKeyString(p.source)) ?? null;
    const out = moves.length;
    moves.push({ ...p.source, qty: q.negated().toFixed(), expiryDate: sourceExpiry, sourceLineId: p.line.id });
    moves.push({
      ...p.target,
      qty: q.toFixed(),
      costFromMove: out,
      expiryDate: p.expiry === undefined ? sourceExpiry : p.expiry,
      sourceLineId: p.line.id,
    });
  }
  await postStockMoves(ctx, documentSource(doc), moves);
  const negative = await sql<{ warehouse_id: number; product_id: number; batch_no: string; qty: string; wh: string; p: string }>`
    select b.warehouse_id, b.product_id, b.batch_no, b.qty, w.code as wh, p.code as p
      from stock_balance b join warehouse w on w.id = b.warehouse_id join product p on p.id = b.product_id
     where (b.warehouse_id, b.product_id, b.batch_no, b.lot_no, b.shelf_id, b.status) in ${keyArrays(sources)}
       and b.qty < 0
     limit 1`.execute(ctx.db);
  const bad = negative.rows[0];
  if (bad) {
    const requested = pairs
      .filter((p) => p.source.warehouseId === bad.warehouse_id && p.source.productId === bad.product_id)
      .reduce((s, p) => s.plus(p.line.qty), dec(0));
    throw new DomainError('INSUFFICIENT_STOCK', {
      productId: bad.product_id,
      product: bad.p,
      warehouseId: bad.warehouse_id,
      warehouse: bad.wh,
      available: dec(bad.qty).plus(requested).toFixed(),
      requested: requested.toFixed(),
      batchNo: bad.batch_no || null,
    });
  }
}

function adjustmentPairs(doc: DocumentWithLines): Pair[] {
  const pairs: Pair[] = [];
  for (const [i, l] of doc.lines.entries()) {
    if (l.status !== 'active' || l.approvalStatus === 'rejected') continue;
    const attrs = parseAttrs(internalAdjustmentLineAttrs, l.attrs, `lines.${i}.attrs`);
    const source = lineKey(doc, l);
    const target = targetKey(source, attrs.to);
    if (sameStockKey(source, target)) throw new DomainError('INV_ADJUSTMENT_NO_CHANGE', { line: l.lineNo });
    pairs.push({ line: l, source, target, expiry: attrs.to.expiryDate });
  }
  return pairs;
}

/**
 * A type whose lines each move stock from one stock key to another at the source cost (internal
 * adjustment, warehouse move): the same checks before submit and at post, and one posting of the pairs.
 */
function registerPairType(
  type: 'internal_adjustment' | 'warehouse_move',
  pairsOf: (ctx: Ctx, doc: DocumentWithLines) => Pair[] | Promise<Pair[]>,
) {
  const validate = async (ctx: Ctx, doc: DocumentWithLines): Promise<void> => {
    await validateStockLines(ctx, doc);
    await validateReasons(ctx, doc);
    const pairs = await pairsOf(ctx, doc);
    await assertShelvesInWarehouses(
      ctx,
      pairs.flatMap((p) => [p.source, p.target]),
    );
  };
  registerDocType({
    type,
    defaults: { needsApproval: false, autoPost: true },
    rollback: { from: ['approved', 'confirmed'], to: 'draft' },
    validate,
    beforeSubmit: validate,
    onPost: async (ctx, doc) => {
      await postPairs(ctx, doc, await pairsOf(ctx, doc));
    },
  });
}

// INV-6: 库内调整 — change batch, lot, shelf or status of stock within one warehouse.
registerPairType('internal_adjustment', (_ctx, doc) => adjustmentPairs(doc));

async function movePairs(ctx: Ctx, doc: DocumentWithLines): Promise<Pair[]> {
  const header = parseAttrs(warehouseMoveHeaderAttrs, doc.attrs, 'attrs');
  const target = await ctx.db
    .selectFrom('warehouse')
    .select(['id', 'org_id', 'active'])
    .where('id', '=', header.toWarehouseId)
    .executeTakeFirst();
  if (!target || target.org_id !== doc.orgId)
    throw new DomainError('NOT_FOUND', { entity: 'warehouse', id: header.toWarehouseId });
  const pairs: Pair[] = [];
  for (const [i, l] of doc.lines.entries()) {
    if (l.status !== 'active' || l.approvalStatus === 'rejected') continue;
    const attrs = parseAttrs(warehouseMoveLineAttrs, l.attrs, `lines.${i}.attrs`);
    const source = lineKey(doc, l);
    if (source.warehouseId === target.id) throw new DomainError('INV_MOVE_SAME_WAREHOUSE');
    pairs.push({ line: l, source, target: targetKey(source, { warehouseId: target.id, shelfId: attrs.toShelfId ?? null }) });
  }
  return pairs;
}

// INV-7: 移库 — between warehouses of one org, at the source cost.
registerPairType('warehouse_move', movePairs);
