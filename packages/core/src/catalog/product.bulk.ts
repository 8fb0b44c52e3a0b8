import { type BarcodeKind, DomainError } from '@erp/contracts';
import { sql } from '@erp/db';
import { recordAudit, recordAuditMany } from '../audit/audit.service.js';
import { authorize, type Ctx } from '../platform/context.js';
import { assertMasterDataWriter, type Db } from './catalog.access.js';
import { normalizeScaleCode, pinyinInitials } from './catalog.rules.js';

/**
 * One product of a bulk write (import, demo). `undefined`/`null` fields of an existing product keep
 * their value: a file updates what it states and nothing else.
 */
export interface BulkProductRow {
  code: string;
  name?: string | null;
  spec?: string | null;
  baseUnitId?: number | null;
  categoryId?: number | null;
  brandId?: number | null;
  manufacturerId?: number | null;
  defaultSupplierId?: number | null;
  taxRate?: string | null;
  batchTracked?: boolean | null;
  shelfLifeDays?: number | null;
  minRequisitionQty?: string | null;
  weighed?: boolean | null;
  scaleCode?: string | null;
  bannedFromRequisition?: boolean | null;
  notCarried?: boolean | null;
  discontinued?: boolean | null;
  prescription?: boolean | null;
  origin?: string | null;
  remarks?: string | null;
}

type Col = { column: string; type: string; value: (r: BulkProductRow) => unknown; insertDefault?: string };

const COLUMNS: Col[] = [
  { column: 'name', type: 'text', value: (r) => r.name },
  { column: 'pinyin', type: 'text', value: (r) => (r.name ? pinyinInitials(r.name) : null) },
  { column: 'spec', type: 'text', value: (r) => r.spec, insertDefault: `''` },
  { column: 'base_unit_id', type: 'int', value: (r) => r.baseUnitId },
  { column: 'category_id', type: 'int', value: (r) => r.categoryId },
  { column: 'brand_id', type: 'int', value: (r) => r.brandId },
  { column: 'manufacturer_id', type: 'int', value: (r) => r.manufacturerId },
  { column: 'default_supplier_id', type: 'int', value: (r) => r.defaultSupplierId },
  { column: 'tax_rate', type: 'numeric', value: (r) => r.taxRate, insertDefault: '13' },
  { column: 'batch_tracked', type: 'bool', value: (r) => r.batchTracked, insertDefault: 'false' },
  { column: 'shelf_life_days', type: 'int', value: (r) => r.shelfLifeDays },
  { column: 'min_requisition_qty', type: 'numeric', value: (r) => r.minRequisitionQty },
  { column: 'weighed', type: 'bool', value: (r) => r.weighed, insertDefault: 'false' },
  { column: 'scale_code', type: 'text', value: (r) => normalizeScaleCode(r.scaleCode) },
  { column: 'banned_from_requisition', type: 'bool', value: (r) => r.bannedFromRequisition, insertDefault: 'false' },
  { column: 'not_carried', type: 'bool', value: (r) => r.notCarried, insertDefault: 'false' },
  { column: 'discontinued', type: 'bool', value: (r) => r.discontinued, insertDefault: 'false' },
  { column: 'prescription', type: 'bool', value: (r) => r.prescription, insertDefault: 'false' },
  { column: 'origin', type: 'text', value: (r) => r.origin },
  { column: 'remarks', type: 'text', value: (r) => r.remarks },
];

function arrays(rows: readonly BulkProductRow[]) {
  return COLUMNS.map((c) => sql`${rows.map((r) => c.value(r) ?? null)}::${sql.raw(c.type)}[]`);
}

export interface BulkResult {
  created: number;
  updated: number;
  /** product code → id, for every row written. */
  ids: Map<string, number>;
  /** Ids of the rows' products that existed before the call. */
  existingIds: number[];
}

/** Product ids by code, for the codes that exist. */
export async function productIdsByCode(db: Db, codes: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < codes.length; i += 10_000) {
    const part = codes.slice(i, i + 10_000);
    const rows = await sql<{ id: number; code: string }>`select id, code from product where code = any(${part}::text[])`.execute(
      db,
    );
    for (const r of rows.rows) out.set(r.code, r.id);
  }
  return out;
}

/**
 * Creates new products and updates existing ones (by code) in a handful of statements: one insert and
 * one update per few thousand rows (unnest arrays), never a statement per product. Updated products are
 * audited row by row (before/after) in batched inserts; created ones in one summary entry per call.
 * Rows must have distinct codes and new rows a name; the caller (import, demo) validated them.
 */
export async function bulkUpsertProducts(ctx: Ctx, rows: readonly BulkProductRow[], detail: Record<string, unknown> = {}) {
  authorize(ctx, 'product', 'import');
  const root = await assertMasterDataWriter(ctx);
  const existing = await productIdsByCode(
    ctx.db,
    rows.map((r) => r.code),
  );
  const fresh = rows.filter((r) => !existing.has(r.code));
  const old = rows.filter((r) => existing.has(r.code));
  if (fresh.some((r) => !r.name)) throw new DomainError('VALIDATION_FAILED', { reason: 'new products need a name' });
  const ids = new Map(existing);
  const CHUNK = 5000;
  const names = COLUMNS.map((c) => sql.ref(c.column));
  for (let i = 0; i < fresh.length; i += CHUNK) {
    const part = fresh.slice(i, i + CHUNK);
    const selectList = COLUMNS.map((c) =>
      c.insertDefault ? sql`coalesce(${sql.ref(`v.${c.column}`)}, ${sql.raw(c.insertDefault)})` : sql.ref(`v.${c.column}`),
    );
    const inserted = await sql<{ id: number; code: string }>`
      insert into product (code, ${sql.join(names)})
      select v.code, ${sql.join(selectList)}
        from unnest(${part.map((r) => r.code)}::text[], ${sql.join(arrays(part))}) as v(code, ${sql.join(names)})
      returning id, code`.execute(ctx.db);
    for (const r of inserted.rows) ids.set(r.code, r.id);
  }
  const auditEntries = [];
  for (let i = 0; i < old.length; i += CHUNK) {
    const part = old.slice(i, i + CHUNK);
    const before = await sql<
      Record<string, unknown>
    >`select * from product where code = any(${part.map((r) => r.code)}::text[])`.execute(ctx.db);
    const next = COLUMNS.map((c) => sql`coalesce(${sql.ref(`v.${c.column}`)}, p.${sql.ref(c.column)})`);
    const sets = COLUMNS.map((c, k) => sql`${sql.ref(c.column)} = ${next[k]}`);
    // Only rows the file really changes are written (and re-sent to the tills).
    const after = await sql<Record<string, unknown>>`
      update product p set ${sql.join(sets)}, version = p.version + 1, updated_at = now()
        from unnest(${part.map((r) => r.code)}::text[], ${sql.join(arrays(part))}) as v(code, ${sql.join(names)})
       where p.code = v.code
         and (${sql.join(COLUMNS.map((c) => sql`p.${sql.ref(c.column)}`))}) is distinct from (${sql.join(next)})
      returning p.*`.execute(ctx.db);
    const beforeById = new Map(before.rows.map((r) => [r.id, r]));
    for (const a of after.rows) {
      const b = beforeById.get(a.id) ?? {};
      const changed = COLUMNS.map((c) => c.column).filter((k) => String(b[k] ?? '') !== String(a[k] ?? ''));
      auditEntries.push({
        action: 'update',
        entity: 'product',
        entityId: Number(a.id),
        before: Object.fromEntries(changed.map((k) => [k, b[k] ?? null])),
        after: Object.fromEntries(changed.map((k) => [k, a[k] ?? null])),
        orgId: root,
        detail: { ...detail, code: a.code },
      });
    }
  }
  await recordAuditMany(ctx, auditEntries);
  if (fresh.length) {
    await recordAudit(ctx, {
      action: 'bulk_create',
      entity: 'product',
      detail: {
        ...detail,
        count: fresh.length,
        codes: fresh.slice(0, 50).map((r) => r.code),
        more: Math.max(0, fresh.length - 50),
      },
      orgId: root,
    });
  }
  return { created: fresh.length, updated: old.length, ids, existingIds: [...existing.values()] } satisfies BulkResult;
}

export interface BulkBarcodeRow {
  barcode: string;
  productId: number;
  kind: BarcodeKind;
  unitId: number | null;
  isPrimary: boolean;
}

/** Who holds these barcodes now (active or not). */
export async function barcodeOwners(db: Db, codes: readonly string[]) {
  const out = new Map<string, { productId: number; productCode: string; active: boolean }>();
  for (let i = 0; i < codes.length; i += 10_000) {
    const part = codes.slice(i, i + 10_000);
    const rows = await sql<{ barcode: string; product_id: number; code: string; active: boolean }>`
      select b.barcode, b.product_id, p.code, b.active from product_barcode b join product p on p.id = b.product_id
       where b.barcode = any(${part}::text[])`.execute(db);
    for (const r of rows.rows) out.set(r.barcode, { productId: r.product_id, productCode: r.code, active: r.active });
  }
  return out;
}

/**
 * Adds barcodes in bulk (distinct codes, validated by the caller: check digits, owners). A code held
 * inactive by any product is taken over; a row marked primary demotes the product's other primaries.
 */
export async function bulkUpsertBarcodes(ctx: Ctx, rows: readonly BulkBarcodeRow[], detail: Record<string, unknown> = {}) {
  authorize(ctx, 'product', 'import');
  const root = await assertMasterDataWriter(ctx);
  const CHUNK = 10_000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    const primaries = part.filter((r) => r.isPrimary);
    if (primaries.length) {
      await sql`update product_barcode set is_primary = false
         where product_id = any(${primaries.map((r) => r.productId)}::int[]) and is_primary
           and barcode <> all(${primaries.map((r) => r.barcode)}::text[])`.execute(ctx.db);
    }
    await sql`
      insert into product_barcode (barcode, product_id, kind, unit_id, is_primary)
      select * from unnest(${part.map((r) => r.barcode)}::text[], ${part.map((r) => r.productId)}::int[],
                           ${part.map((r) => r.kind)}::text[], ${part.map((r) => r.unitId)}::int[], ${part.map((r) => r.isPrimary)}::bool[])
      on conflict (barcode) do update set product_id = excluded.product_id, kind = excluded.kind, unit_id = excluded.unit_id,
        is_primary = excluded.is_primary, active = true`.execute(ctx.db);
  }
  // A product whose only barcodes came this way gets its first one as primary.
  await sql`update product_barcode b set is_primary = true
     where b.barcode in (select distinct on (product_id) barcode from product_barcode
                          where product_id = any(${[...new Set(rows.map((r) => r.productId))]}::int[]) and active
                          order by product_id, is_primary desc, created_at, barcode)
       and not b.is_primary`.execute(ctx.db);
  if (rows.length) {
    await recordAudit(ctx, {
      action: 'bulk_upsert',
      entity: 'product_barcode',
      detail: {
        ...detail,
        count: rows.length,
        barcodes: rows.slice(0, 50).map((r) => r.barcode),
        more: Math.max(0, rows.length - 50),
      },
      orgId: root,
    });
  }
  return { written: rows.length };
}

/**
 * Sets pack units in bulk (product, unit, factor); an existing (product, unit) pair gets the new factor.
 * `touch` names existing products whose tills must re-read them (new products are new to tills anyway).
 */
export async function bulkUpsertProductUnits(
  ctx: Ctx,
  rows: readonly { productId: number; unitId: number; factor: string }[],
  touch: readonly number[] = [],
) {
  authorize(ctx, 'product', 'import');
  await assertMasterDataWriter(ctx);
  for (let i = 0; i < rows.length; i += 10_000) {
    const part = rows.slice(i, i + 10_000);
    await sql`
      insert into product_unit (product_id, unit_id, factor)
      select * from unnest(${part.map((r) => r.productId)}::int[], ${part.map((r) => r.unitId)}::int[], ${part.map((r) => r.factor)}::numeric[])
      on conflict (product_id, unit_id) do update set factor = excluded.factor where product_unit.factor <> excluded.factor`.execute(
      ctx.db,
    );
  }
  if (touch.length)
    await sql`update product set updated_at = now() where id = any(${[...new Set(touch)]}::int[])`.execute(ctx.db);
}
