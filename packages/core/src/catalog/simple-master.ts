import { type Bilingual, DomainError, type FunctionCode, type Page } from '@erp/contracts';
import { sql } from '@erp/db';
import { recordAudit } from '../audit/audit.service.js';
import { authorize, type Ctx } from '../platform/context.js';
import { type ExportColumn, exportXlsx } from '../platform/excel.js';
import { assertMasterDataWriter, type Db } from './catalog.access.js';
import { likeEscape } from './catalog.rules.js';

type Row = Record<string, unknown>;

/**
 * The small company-wide code tables (units, brands, payment methods, reason codes) share one shape:
 * code + name + a few fields, list/search/create/edit/deactivate, delete only when unused, export. Each
 * table states its columns here once; the SQL is plain and parameterised.
 */
export interface SimpleTable<Dto> {
  table: 'unit' | 'brand' | 'payment_method' | 'reason_code';
  fn: FunctionCode;
  label: Bilingual;
  /** Columns that make a row unique besides code (reason codes: usage). */
  scopeColumns?: string[];
  toDto(row: Row): Dto;
  /** API fields → columns, only those present. */
  toColumns(cmd: Record<string, unknown>): Row;
  /** Where other rows point at this one (table.column), for the delete check. */
  references: { table: string; column: string }[];
  exportColumns(zh: boolean): ExportColumn<Dto>[];
  orderBy?: string;
}

export interface SimpleListQuery {
  page: number;
  pageSize: number;
  q?: string | undefined;
  active?: boolean | undefined;
  sort?: string | undefined;
  order?: 'asc' | 'desc';
  /** Extra equality filters (reason codes: usage). */
  filters?: Record<string, string | number | boolean | undefined>;
}

function whereOf(q: Omit<SimpleListQuery, 'page' | 'pageSize'>) {
  const c = [sql`true`];
  if (q.q) c.push(sql`(code ilike ${`%${likeEscape(q.q)}%`} or name ilike ${`%${likeEscape(q.q)}%`})`);
  if (q.active !== undefined) c.push(sql`active = ${q.active}`);
  for (const [k, v] of Object.entries(q.filters ?? {})) if (v !== undefined) c.push(sql`${sql.ref(k)} = ${v}`);
  return sql.join(c, sql` and `);
}

async function findRow(db: Db, def: SimpleTable<unknown>, id: number): Promise<Row | undefined> {
  const r = await sql<Row>`select * from ${sql.table(def.table)} where id = ${id}`.execute(db);
  return r.rows[0];
}

export async function listSimple<Dto>(ctx: Ctx, def: SimpleTable<Dto>, q: SimpleListQuery): Promise<Page<Dto>> {
  authorize(ctx, def.fn, 'view');
  const where = whereOf(q);
  const count = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(def.table)} where ${where}`.execute(ctx.db);
  const sortable = new Set(['code', 'name', 'sort', 'created_at']);
  const sortCol = q.sort && sortable.has(q.sort) ? q.sort : (def.orderBy ?? 'code');
  const dir = sql.raw(q.order === 'desc' ? 'desc' : 'asc');
  const rows = await sql<Row>`select * from ${sql.table(def.table)} where ${where}
    order by ${sql.ref(sortCol)} ${dir}, id limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`.execute(ctx.db);
  return { items: rows.rows.map((r) => def.toDto(r)), total: Number(count.rows[0]?.n ?? 0), page: q.page, pageSize: q.pageSize };
}

export async function getSimple<Dto>(ctx: Ctx, def: SimpleTable<Dto>, id: number): Promise<Dto> {
  authorize(ctx, def.fn, 'view');
  const row = await findRow(ctx.db, def as SimpleTable<unknown>, id);
  if (!row) throw new DomainError('NOT_FOUND', { entity: def.table, id });
  return def.toDto(row);
}

async function assertUnique(db: Db, def: SimpleTable<unknown>, cols: Row, exceptId: number | null): Promise<void> {
  const conds = [sql`code = ${cols.code}`];
  for (const s of def.scopeColumns ?? []) conds.push(sql`${sql.ref(s)} = ${cols[s]}`);
  if (exceptId !== null) conds.push(sql`id <> ${exceptId}`);
  const hit = await sql`select 1 from ${sql.table(def.table)} where ${sql.join(conds, sql` and `)}`.execute(db);
  if (hit.rows.length) throw new DomainError('DUPLICATE', { field: 'code', value: String(cols.code) });
}

export async function createSimple<Dto>(ctx: Ctx, def: SimpleTable<Dto>, cmd: Record<string, unknown>): Promise<Dto> {
  authorize(ctx, def.fn, 'create');
  const root = await assertMasterDataWriter(ctx);
  const cols = def.toColumns(cmd);
  await assertUnique(ctx.db, def as SimpleTable<unknown>, cols, null);
  const names = Object.keys(cols);
  const inserted = await sql<Row>`insert into ${sql.table(def.table)} (${sql.join(names.map((n) => sql.ref(n)))})
    values (${sql.join(names.map((n) => cols[n]))}) returning *`.execute(ctx.db);
  const dto = def.toDto(inserted.rows[0] as Row);
  await recordAudit(ctx, {
    action: 'create',
    entity: def.table,
    entityId: Number((inserted.rows[0] as Row).id),
    after: dto,
    orgId: root,
  });
  return dto;
}

export async function updateSimple<Dto>(ctx: Ctx, def: SimpleTable<Dto>, id: number, cmd: Record<string, unknown>): Promise<Dto> {
  authorize(ctx, def.fn, 'edit');
  const root = await assertMasterDataWriter(ctx);
  const beforeRow = await findRow(ctx.db, def as SimpleTable<unknown>, id);
  if (!beforeRow) throw new DomainError('NOT_FOUND', { entity: def.table, id });
  const cols = def.toColumns(cmd);
  if (cols.code !== undefined) await assertUnique(ctx.db, def as SimpleTable<unknown>, { ...beforeRow, ...cols }, id);
  const names = Object.keys(cols);
  if (!names.length) return def.toDto(beforeRow);
  const sets = names.map((n) => sql`${sql.ref(n)} = ${cols[n]}`);
  const updated = await sql<Row>`update ${sql.table(def.table)} set ${sql.join(sets)} where id = ${id} returning *`.execute(
    ctx.db,
  );
  const before = def.toDto(beforeRow);
  const after = def.toDto(updated.rows[0] as Row);
  await recordAudit(ctx, { action: 'update', entity: def.table, entityId: id, before, after, orgId: root });
  return after;
}

/** Deletes a row nothing points at; otherwise IN_USE (deactivate it instead, history keeps its meaning). */
export async function deleteSimple<Dto>(ctx: Ctx, def: SimpleTable<Dto>, id: number): Promise<{ ok: true }> {
  authorize(ctx, def.fn, 'delete');
  const root = await assertMasterDataWriter(ctx);
  const row = await findRow(ctx.db, def as SimpleTable<unknown>, id);
  if (!row) throw new DomainError('NOT_FOUND', { entity: def.table, id });
  let uses = 0;
  for (const ref of def.references) {
    const r = await sql<{
      n: number;
    }>`select count(*)::int as n from ${sql.table(ref.table)} where ${sql.ref(ref.column)} = ${id}`.execute(ctx.db);
    uses += Number(r.rows[0]?.n ?? 0);
  }
  if (uses > 0)
    throw new DomainError('IN_USE', { entity: `${def.label.zh} ${def.label.en}`, code: String(row.code), count: uses });
  await sql`delete from ${sql.table(def.table)} where id = ${id}`.execute(ctx.db);
  await recordAudit(ctx, { action: 'delete', entity: def.table, entityId: id, before: def.toDto(row), orgId: root });
  return { ok: true };
}

export async function exportSimple<Dto>(
  ctx: Ctx,
  def: SimpleTable<Dto>,
  q: Omit<SimpleListQuery, 'page' | 'pageSize'>,
): Promise<Buffer> {
  authorize(ctx, def.fn, 'export');
  const rows =
    await sql<Row>`select * from ${sql.table(def.table)} where ${whereOf(q)} order by ${sql.ref(def.orderBy ?? 'code')}, id`.execute(
      ctx.db,
    );
  const zh = ctx.locale !== 'en';
  return exportXlsx(
    zh ? def.label.zh : def.label.en,
    def.exportColumns(zh),
    rows.rows.map((r) => def.toDto(r)),
  );
}

export const str = (v: unknown): string => String(v ?? '');
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const yesNo = (zh: boolean) => (b: boolean) => (b ? (zh ? '是' : 'Y') : '');

/** Only the fields present in a command, renamed to columns. */
export function pick(cmd: Record<string, unknown>, map: Record<string, string>): Row {
  const out: Row = {};
  for (const [field, column] of Object.entries(map)) if (cmd[field] !== undefined) out[column] = cmd[field];
  return out;
}
