import {
  cost,
  type DocumentLineInput,
  DomainError,
  dec,
  type FieldIssue,
  fieldIssuesFromZod,
  type PurchaseLineAttrs,
  purchaseLineAttrs,
  qty,
  toBaseQty,
} from '@erp/contracts';
import { type DB, sql, type Transaction } from '@erp/db';
import type { DocumentLine, DocumentWithLines } from '../documents/index.js';
import { defaultPurchasePrices, productFacts } from './purchasing.master-data.js';
import type { ProductFacts } from './purchasing.models.js';
import { type BaseLine, baseQtyOf, toBaseLine } from './purchasing.rules.js';

export interface EnteredLine {
  productId: number;
  qty: string;
  unitId?: number | null | undefined;
  unitPrice?: string | undefined;
}

export interface ConvertedLine<T extends EnteredLine> {
  entered: T;
  product: ProductFacts;
  factor: string | null;
  base: BaseLine;
}

function factorOf(product: ProductFacts, unitId: number | null | undefined): string | null {
  if (unitId == null) return null;
  const f = product.units.get(unitId);
  if (f === undefined) throw new DomainError('UNIT_NOT_OF_PRODUCT', { unit: unitId, product: product.code });
  return f;
}

/**
 * Lines as entered (base or pack unit, price optional) → base-unit document lines. A missing price comes
 * from `basePrice` (e.g. the order line's price), else from the master-data purchase price, else 0.
 * One read of the products and at most one price lookup for the whole document.
 */
export async function convertLines<T extends EnteredLine>(
  db: Transaction<DB>,
  orgId: number,
  lines: readonly T[],
  basePrice: (line: T) => string | undefined = () => undefined,
): Promise<ConvertedLine<T>[]> {
  const products = await productFacts(
    db,
    lines.map((l) => l.productId),
  );
  for (const l of lines)
    if (!products.has(l.productId)) throw new DomainError('NOT_FOUND', { entity: 'product', id: l.productId });
  const needPrice = lines.filter((l) => l.unitPrice === undefined && basePrice(l) === undefined).map((l) => l.productId);
  const masterPrices = needPrice.length ? await defaultPurchasePrices(db, orgId, needPrice) : new Map<number, string>();
  return lines.map((entered) => {
    const product = products.get(entered.productId) as ProductFacts;
    const factor = factorOf(product, entered.unitId);
    let price = entered.unitPrice;
    if (price === undefined) {
      const perBase = basePrice(entered) ?? masterPrices.get(entered.productId) ?? '0';
      price = factor === null ? perBase : cost(dec(perBase).times(factor));
    }
    return {
      entered,
      product,
      factor,
      base: toBaseLine({ qty: entered.qty, unitPrice: price, unitId: entered.unitId ?? null }, factor),
    };
  });
}

/** A converted line as the engine stores it. */
export function documentLine(
  c: ConvertedLine<EnteredLine>,
  extra: Partial<DocumentLineInput> & { attrs?: Record<string, unknown> } = {},
): DocumentLineInput {
  const { attrs, ...rest } = extra;
  return {
    productId: c.product.id,
    qty: c.base.qty,
    unitPrice: c.base.unitPrice,
    amount: c.base.amount,
    ...rest,
    attrs: { ...c.base.attrs, ...(attrs ?? {}) },
  };
}

/** Base-unit quantity of an extra quantity entered in the line's unit (e.g. the rejected quantity). */
export function extraBaseQty(c: ConvertedLine<EnteredLine>, entered: string | undefined): string | undefined {
  return entered === undefined ? undefined : baseQtyOf(entered, c.factor);
}

export function issue(path: string, zh: string, en: string): FieldIssue {
  return { path, code: 'invalid', message: zh, messageZh: zh, messageEn: en };
}

export function lineAttrs(l: DocumentLine, index: number): PurchaseLineAttrs {
  const r = purchaseLineAttrs.safeParse(l.attrs ?? {});
  if (r.success) return r.data;
  const issues = fieldIssuesFromZod(r.error).map((i) => ({ ...i, path: `lines.${index}.attrs${i.path ? `.${i.path}` : ''}` }));
  throw new DomainError('VALIDATION_FAILED', {}, issues);
}

export interface LineRules {
  /** Accepted quantity may be 0 when the whole delivery was refused (receipts); else it must be > 0. */
  allowZeroQty: boolean;
  /** New purchases need an active product; returns of goods already received do not. */
  requireActiveProduct: boolean;
}

/**
 * What every purchasing document's lines must satisfy, whoever created them (the purchasing API or the
 * generic document API): a product, a sensible quantity and price, a pack unit of the product whose
 * conversion matches the base quantity. Returns the products for further checks.
 */
export async function validateLines(
  db: Transaction<DB>,
  doc: DocumentWithLines,
  rules: LineRules,
): Promise<Map<number, ProductFacts>> {
  const issues: FieldIssue[] = [];
  const active = doc.lines.map((l, i) => ({ l, i })).filter(({ l }) => l.status === 'active');
  for (const { l, i } of active) {
    if (l.productId === null) issues.push(issue(`lines.${i}.productId`, '请选择商品', 'Choose a product'));
    const q = dec(l.qty);
    if (q.lessThan(0) || (!rules.allowZeroQty && q.isZero())) {
      issues.push(issue(`lines.${i}.qty`, '数量必须大于 0', 'The quantity must be greater than 0'));
    }
    if (dec(l.unitPrice).lessThan(0)) issues.push(issue(`lines.${i}.unitPrice`, '单价不能为负', 'The price cannot be negative'));
  }
  if (issues.length) throw new DomainError('VALIDATION_FAILED', {}, issues);
  const products = await productFacts(
    db,
    active.map(({ l }) => l.productId as number),
  );
  for (const { l, i } of active) {
    const p = products.get(l.productId as number);
    if (!p) throw new DomainError('NOT_FOUND', { entity: 'product', id: l.productId as number });
    if (rules.requireActiveProduct && !p.active)
      throw new DomainError('PUR_PRODUCT_INACTIVE', { product: `${p.code} ${p.name}` });
    const a = lineAttrs(l, i);
    if (a.unitId !== undefined) {
      const factor = factorOf(p, a.unitId);
      if (factor !== null && a.unitQty !== undefined && !dec(qty(toBaseQty(a.unitQty, factor))).equals(l.qty)) {
        throw new DomainError('PUR_UNIT_MISMATCH', { line: l.lineNo, qty: dec(l.qty).toFixed(), unitQty: a.unitQty, factor });
      }
    }
  }
  return products;
}

/** Shelves named on lines belong to the warehouse the line's goods are in. One query per document. */
export async function assertShelves(db: Transaction<DB>, uses: { shelfId: number | null; warehouseId: number }[]): Promise<void> {
  const wanted = uses.filter((u): u is { shelfId: number; warehouseId: number } => u.shelfId !== null && u.shelfId > 0);
  if (!wanted.length) return;
  const rows = await sql<{ id: number; code: string; warehouse_id: number; wh: string }>`
    select s.id, s.code, s.warehouse_id, w.code as wh from shelf s join warehouse w on w.id = s.warehouse_id
     where s.id = any(${[...new Set(wanted.map((u) => u.shelfId))]}::int[])`.execute(db);
  for (const u of wanted) {
    const s = rows.rows.find((r) => r.id === u.shelfId);
    if (!s || s.warehouse_id !== u.warehouseId) {
      const wh = await db.selectFrom('warehouse').select('code').where('id', '=', u.warehouseId).executeTakeFirst();
      throw new DomainError('PUR_SHELF_NOT_IN_WAREHOUSE', {
        shelf: s?.code ?? String(u.shelfId),
        warehouse: wh?.code ?? String(u.warehouseId),
      });
    }
  }
}

export function lineWarehouse(doc: DocumentWithLines, l: DocumentLine): number | null {
  return l.warehouseId ?? doc.warehouseId;
}
