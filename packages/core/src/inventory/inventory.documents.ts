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
import type { z } from 'zod';
import { getSimple } from '../catalog/index.js';
import { type DocumentLine, type DocumentWithLines, effectiveLines } from '../documents/documents.models.js';
import { registerDocType } from '../documents/documents.registry.js';
import { reasonCodeTable } from '../partners/index.js';
import type { Ctx } from '../platform/context.js';
import type { StockMove, StockSource } from './inventory.models.js';
import { resolveCostMode, type StockKey, sameStockKey, targetKey } from './inventory.rules.js';
import { availableFor, postStockMoves } from './stock-ledger.service.js';

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

export function documentSource(doc: DocumentWithLines): StockSource {
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

async function validateOutbound(ctx: Ctx, doc: DocumentWithLines): Promise<void> {
  await validatePlainStockDoc(ctx, doc);
  await assertAvailable(ctx, doc);
}

registerDocType({
  type: 'other_outbound',
  defaults: { needsApproval: false, autoPost: true },
  rollback: { from: ['approved', 'confirmed'], to: 'draft' },
  validate: validateOutbound,
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

/** Saving a loss also flags lines beyond the stock (a stocktake's own losses are exactly what was missing). */
async function saveLoss(ctx: Ctx, doc: DocumentWithLines): Promise<void> {
  await validateLossOverage(ctx, doc);
  if (!fromStocktake(doc)) await assertAvailable(ctx, doc);
}

/**
 * Outbound lines beyond what the stock can give are flagged when the document is saved — on the line's
 * quantity, with what is available — not left for the approver to meet at confirm. The same allocation
 * as the posting, so what is allowed here posts. (At confirm the posting itself decides, under its locks:
 * INSUFFICIENT_STOCK if the stock went elsewhere since.)
 */
async function assertAvailable(ctx: Ctx, doc: DocumentWithLines): Promise<void> {
  const lines = doc.lines
    .map((l, i) => ({ l, i }))
    .filter(({ l }) => l.status === 'active' && l.productId !== null && dec(l.qty).greaterThan(0));
  const answers = await availableFor(
    ctx,
    lines.map(({ l }) => ({
      warehouseId: (l.warehouseId ?? doc.warehouseId) as number,
      productId: l.productId as number,
      qty: l.qty,
      batchNo: l.batchNo,
      lotNo: l.lotNo,
      shelfId: l.shelfId,
      status: l.stockStatus,
    })),
  );
  const issues: FieldIssue[] = [];
  answers.forEach((a, k) => {
    if (a.negativeAllowed || !dec(a.short).greaterThan(0)) return;
    const { i } = lines[k] as { i: number };
    issues.push(
      issue(
        `lines.${i}.qty`,
        `数量超过可用库存（可用 ${a.available}）`,
        `More than the stock available (${a.available} available)`,
      ),
    );
  });
  if (issues.length) throw new DomainError('VALIDATION_FAILED', {}, issues);
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

/**
 * A stocktake's loss/overage corrects the very keys it counted (including a key below zero: a count ends a
 * stock debt), so it posts them exactly; a loss written by hand takes its stock by FEFO like any outbound.
 */
function fromStocktake(doc: DocumentWithLines): boolean {
  const attrs = doc.attrs as { stocktakeId?: unknown } | null;
  return typeof attrs?.stocktakeId === 'number';
}

// HQ finance approves losses and overages (seed 10010/10011); the org configuration may say otherwise.
registerDocType({
  type: 'loss',
  defaults: { needsApproval: true, autoPost: true },
  rollback: { from: ['approved', 'confirmed'], to: 'draft' },
  validate: saveLoss,
  beforeSubmit: validateLossOverage,
  onPost: async (ctx, doc) => {
    await postStockMoves(ctx, documentSource(doc), costedMoves(doc, -1), { exact: fromStocktake(doc) });
  },
});

registerDocType({
  type: 'overage',
  defaults: { needsApproval: true, autoPost: true },
  rollback: { from: ['approved', 'confirmed'], to: 'draft' },
  validate: validateLossOverage,
  beforeSubmit: validateLossOverage,
  onPost: async (ctx, doc) => {
    await postStockMoves(ctx, documentSource(doc), costedMoves(doc, 1), { exact: fromStocktake(doc) });
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

/**
 * Out of the source, into the target, the in-leg taking the out-leg's unit cost (costFromMove), all in one
 * postStockMoves call. A source that leaves batch, lot or shelf open is taken by FEFO, and each piece lands
 * under the target with the line's changes applied (its other fields and its expiry kept). Relabelling or
 * moving stock that is not there makes no sense even where the store may sell below zero: `never`.
 */
async function postPairs(ctx: Ctx, doc: DocumentWithLines, pairs: Pair[]): Promise<void> {
  const moves: StockMove[] = [];
  for (const p of pairs) {
    const q = dec(p.line.qty);
    const out = moves.length;
    // A line without a shelf takes from any shelf (lineKey says 0 for the key it compares).
    moves.push({ ...p.source, shelfId: p.line.shelfId ?? null, qty: q.negated().toFixed(), sourceLineId: p.line.id });
    moves.push({
      ...p.target,
      qty: q.toFixed(),
      costFromMove: out,
      ...(p.expiry !== undefined ? { expiryDate: p.expiry } : {}),
      sourceLineId: p.line.id,
    });
  }
  await postStockMoves(ctx, documentSource(doc), moves, { shortage: 'never' });
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
    validate: async (ctx, doc) => {
      await validate(ctx, doc);
      await assertAvailable(ctx, doc);
    },
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
