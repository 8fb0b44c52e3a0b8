import {
  type CreatePartnerCommand,
  createPartnerBody,
  DomainError,
  type FunctionCode,
  type PartnerDto,
  type PartnerKind,
  type PartnerListQuery,
  partnerKindLabels,
  priceTypeLabels,
  type UpdatePartnerCommand,
  updatePartnerBody,
} from '@erp/contracts';
import { sql } from '@erp/db';
import { recordAudit, recordAuditMany } from '../audit/audit.service.js';
import { iso, likeEscape, masterDataOrgId, pinyinInitials, readableOwnerOrgIds } from '../catalog/index.js';
import { authorize, type Ctx } from '../platform/context.js';
import { type ExportColumn, exportXlsx } from '../platform/excel.js';

type PartnerRow = {
  id: number;
  kind: PartnerKind;
  code: string;
  name: string;
  short_name: string | null;
  pinyin: string;
  org_id: number;
  contact: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  tax_no: string | null;
  bank_name: string | null;
  bank_account: string | null;
  license_no: string | null;
  payment_terms_days: number | null;
  credit_limit: string | null;
  price_type: PartnerDto['priceType'];
  remarks: string | null;
  active: boolean;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
};

export function toPartnerDto(r: PartnerRow): PartnerDto {
  return {
    id: r.id,
    kind: r.kind,
    code: r.code,
    name: r.name,
    shortName: r.short_name,
    pinyin: r.pinyin,
    orgId: r.org_id,
    contact: r.contact,
    phone: r.phone,
    email: r.email,
    address: r.address,
    taxNo: r.tax_no,
    bankName: r.bank_name,
    bankAccount: r.bank_account,
    licenseNo: r.license_no,
    paymentTermsDays: r.payment_terms_days,
    creditLimit: r.credit_limit === null ? null : String(r.credit_limit),
    priceType: r.price_type,
    remarks: r.remarks,
    active: r.active,
    version: r.version,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** The grantable function of each kind. */
export const partnerFunction: Record<PartnerKind, FunctionCode> = {
  supplier: 'supplier',
  customer: 'customer',
  manufacturer: 'manufacturer',
};

type Fields = Partial<Omit<PartnerDto, 'id' | 'kind' | 'code' | 'orgId' | 'pinyin' | 'version' | 'createdAt' | 'updatedAt'>>;

function columnsOf(f: Fields) {
  const map: [keyof Fields, string][] = [
    ['name', 'name'],
    ['shortName', 'short_name'],
    ['contact', 'contact'],
    ['phone', 'phone'],
    ['email', 'email'],
    ['address', 'address'],
    ['taxNo', 'tax_no'],
    ['bankName', 'bank_name'],
    ['bankAccount', 'bank_account'],
    ['licenseNo', 'license_no'],
    ['paymentTermsDays', 'payment_terms_days'],
    ['creditLimit', 'credit_limit'],
    ['priceType', 'price_type'],
    ['remarks', 'remarks'],
    ['active', 'active'],
  ];
  const out: Record<string, unknown> = {};
  for (const [field, column] of map) if (f[field] !== undefined) out[column] = f[field];
  if (f.name !== undefined) out.pinyin = pinyinInitials(f.name);
  return out;
}

/** A partner the actor may read: owned by an org in scope or above it (NOT_FOUND otherwise). */
async function visiblePartner(ctx: Ctx, kind: PartnerKind, id: number): Promise<PartnerRow> {
  const row = (await ctx.db.selectFrom('partner').selectAll().where('id', '=', id).where('kind', '=', kind).executeTakeFirst()) as
    | PartnerRow
    | undefined;
  if (!row || !(await readableOwnerOrgIds(ctx)).includes(row.org_id)) throw new DomainError('NOT_FOUND', { entity: kind, id });
  return row;
}

export async function getPartner(ctx: Ctx, kind: PartnerKind, id: number): Promise<PartnerDto> {
  authorize(ctx, partnerFunction[kind], 'view');
  return toPartnerDto(await visiblePartner(ctx, kind, id));
}

/**
 * Creates a supplier, customer or manufacturer (MD-3), owned by the company unless an org is named
 * (a franchise store's own supplier). Writing needs the owner org in the actor's scope.
 */
export async function createPartner(ctx: Ctx, kind: PartnerKind, input: CreatePartnerCommand): Promise<PartnerDto> {
  authorize(ctx, partnerFunction[kind], 'create');
  const cmd = createPartnerBody.parse(input);
  const orgId = cmd.orgId ?? (await masterDataOrgId(ctx.db));
  if (!ctx.scope.has(orgId)) {
    if (cmd.orgId === undefined) throw new DomainError('MASTER_DATA_HQ_ONLY');
    throw new DomainError('NOT_FOUND', { entity: 'org', id: orgId });
  }
  const dup = await ctx.db
    .selectFrom('partner')
    .select('id')
    .where('kind', '=', kind)
    .where('code', '=', cmd.code)
    .executeTakeFirst();
  if (dup) throw new DomainError('DUPLICATE', { field: 'code', value: cmd.code });
  const row = (await ctx.db
    .insertInto('partner')
    .values({ kind, code: cmd.code, org_id: orgId, name: cmd.name, ...columnsOf(cmd) } as never)
    .returningAll()
    .executeTakeFirstOrThrow()) as PartnerRow;
  const dto = toPartnerDto(row);
  await recordAudit(ctx, { action: 'create', entity: kind, entityId: row.id, after: dto, orgId });
  return dto;
}

export async function updatePartner(ctx: Ctx, kind: PartnerKind, id: number, input: UpdatePartnerCommand): Promise<PartnerDto> {
  authorize(ctx, partnerFunction[kind], 'edit');
  const cmd = updatePartnerBody.parse(input);
  const before = await visiblePartner(ctx, kind, id);
  // Readable (an HQ supplier seen from a store) is not writable: writing needs the owner in scope.
  if (!ctx.scope.has(before.org_id)) throw new DomainError('MASTER_DATA_HQ_ONLY');
  if (before.version !== cmd.version) throw new DomainError('CONFLICT');
  const row = (await ctx.db
    .updateTable('partner')
    .set({ ...columnsOf(cmd), version: before.version + 1, updated_at: new Date() } as never)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()) as PartnerRow;
  const after = toPartnerDto(row);
  await recordAudit(ctx, {
    action: 'update',
    entity: kind,
    entityId: id,
    before: toPartnerDto(before),
    after,
    orgId: before.org_id,
  });
  return after;
}

/** Deletes a partner nothing refers to (products, documents); otherwise IN_USE: deactivate it instead. */
export async function deletePartner(ctx: Ctx, kind: PartnerKind, id: number): Promise<{ ok: true }> {
  authorize(ctx, partnerFunction[kind], 'delete');
  const before = await visiblePartner(ctx, kind, id);
  if (!ctx.scope.has(before.org_id)) throw new DomainError('MASTER_DATA_HQ_ONLY');
  const uses = await sql<{ n: number }>`select
      (select count(*) from product where manufacturer_id = ${id} or default_supplier_id = ${id})
    + (select count(*) from document where partner_id = ${id}) as n`.execute(ctx.db);
  const n = Number(uses.rows[0]?.n ?? 0);
  if (n > 0)
    throw new DomainError('IN_USE', {
      entity: `${partnerKindLabels[kind].zh} ${partnerKindLabels[kind].en}`,
      code: before.code,
      count: n,
    });
  await ctx.db.deleteFrom('partner').where('id', '=', id).execute();
  await recordAudit(ctx, { action: 'delete', entity: kind, entityId: id, before: toPartnerDto(before), orgId: before.org_id });
  return { ok: true };
}

async function partnerConditions(ctx: Ctx, kind: PartnerKind, q: Partial<PartnerListQuery>) {
  const owners = await readableOwnerOrgIds(ctx);
  const c = [sql`kind = ${kind}`, sql`org_id = any(${owners}::int[])`];
  if (q.orgId !== undefined) {
    if (!owners.includes(q.orgId)) throw new DomainError('NOT_FOUND', { entity: 'org', id: q.orgId });
    c.push(sql`org_id = ${q.orgId}`);
  }
  if (q.active !== undefined) c.push(sql`active = ${q.active}`);
  if (q.q) {
    const t = `%${likeEscape(q.q.trim())}%`;
    c.push(sql`(code ilike ${t} or name ilike ${t} or short_name ilike ${t} or pinyin ilike ${t.toLowerCase()})`);
  }
  return sql.join(c, sql` and `);
}

const partnerSort: Record<string, string> = { code: 'code', name: 'name', createdAt: 'created_at', updatedAt: 'updated_at' };

/** Suppliers/customers/manufacturers the actor may read, searchable by code, name and pinyin. */
export async function listPartners(ctx: Ctx, kind: PartnerKind, q: PartnerListQuery) {
  authorize(ctx, partnerFunction[kind], 'view');
  const where = await partnerConditions(ctx, kind, q);
  const count = await sql<{ n: number }>`select count(*)::int as n from partner where ${where}`.execute(ctx.db);
  const sortCol = partnerSort[q.sort ?? 'code'] ?? 'code';
  const rows = await sql<PartnerRow>`select * from partner where ${where}
    order by ${sql.ref(sortCol)} ${sql.raw(q.order === 'desc' ? 'desc' : 'asc')}, id
    limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`.execute(ctx.db);
  return { items: rows.rows.map(toPartnerDto), total: Number(count.rows[0]?.n ?? 0), page: q.page, pageSize: q.pageSize };
}

export async function exportPartners(ctx: Ctx, kind: PartnerKind, q: Partial<PartnerListQuery>): Promise<Buffer> {
  authorize(ctx, partnerFunction[kind], 'export');
  const where = await partnerConditions(ctx, kind, q);
  const rows = await sql<PartnerRow>`select * from partner where ${where} order by code limit 200000`.execute(ctx.db);
  const zh = ctx.locale !== 'en';
  const label = partnerKindLabels[kind];
  const columns: ExportColumn<PartnerDto>[] = [
    { header: zh ? '编码' : 'Code', value: (p) => p.code, width: 14 },
    { header: zh ? '名称' : 'Name', value: (p) => p.name, width: 30 },
    { header: zh ? '简称' : 'Short name', value: (p) => p.shortName },
    { header: zh ? '联系人' : 'Contact', value: (p) => p.contact },
    { header: zh ? '电话' : 'Phone', value: (p) => p.phone, width: 16 },
    { header: zh ? '邮箱' : 'Email', value: (p) => p.email },
    { header: zh ? '地址' : 'Address', value: (p) => p.address, width: 30 },
    { header: zh ? '税号' : 'Tax no.', value: (p) => p.taxNo, width: 20 },
    { header: zh ? '开户行' : 'Bank', value: (p) => p.bankName },
    { header: zh ? '银行账号' : 'Bank account', value: (p) => p.bankAccount, width: 22 },
    { header: zh ? '许可证号' : 'Licence no.', value: (p) => p.licenseNo },
    ...(kind === 'supplier' ? [{ header: zh ? '账期(天)' : 'Credit days', value: (p: PartnerDto) => p.paymentTermsDays }] : []),
    ...(kind === 'customer'
      ? [
          { header: zh ? '信用额度' : 'Credit limit', value: (p: PartnerDto) => p.creditLimit, numFmt: '0.00' },
          {
            header: zh ? '价格类型' : 'Price type',
            value: (p: PartnerDto) =>
              p.priceType ? (zh ? priceTypeLabels[p.priceType].zh : priceTypeLabels[p.priceType].en) : null,
          },
        ]
      : []),
    { header: zh ? '备注' : 'Remarks', value: (p) => p.remarks },
    { header: zh ? '启用' : 'Active', value: (p) => (p.active ? (zh ? '是' : 'Y') : '') },
  ];
  return exportXlsx(zh ? label.zh : label.en, columns, rows.rows.map(toPartnerDto));
}

// ---- bulk (imports)

export interface BulkPartnerRow extends Fields {
  code: string;
}

/** Partner ids by code of one kind. */
export async function partnerIdsByCode(ctx: Ctx, kind: PartnerKind, codes: readonly string[]): Promise<Map<string, number>> {
  const rows = await sql<{
    id: number;
    code: string;
  }>`select id, code from partner where kind = ${kind} and code = any(${codes}::text[])`.execute(ctx.db);
  return new Map(rows.rows.map((r) => [r.code, r.id]));
}

/**
 * Imports partners of one kind for the company: new codes are created (one insert per thousand rows),
 * existing ones updated with the fields the file states (one statement each: partner files are hundreds of
 * rows, not tens of thousands). Every change audited.
 */
export async function bulkUpsertPartners(
  ctx: Ctx,
  kind: PartnerKind,
  rows: readonly BulkPartnerRow[],
  detail: Record<string, unknown> = {},
) {
  authorize(ctx, partnerFunction[kind], 'import');
  const orgId = await masterDataOrgId(ctx.db);
  if (!ctx.scope.has(orgId)) throw new DomainError('MASTER_DATA_HQ_ONLY');
  const existing = await partnerIdsByCode(
    ctx,
    kind,
    rows.map((r) => r.code),
  );
  let created = 0;
  let updated = 0;
  const audits = [];
  const CHUNK = 1000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    const fresh = part.filter((r) => !existing.has(r.code));
    if (fresh.length) {
      const inserted = (await ctx.db
        .insertInto('partner')
        .values(fresh.map((r) => ({ kind, code: r.code, org_id: orgId, name: r.name ?? r.code, ...columnsOf(r) }) as never))
        .returningAll()
        .execute()) as PartnerRow[];
      created += inserted.length;
      for (const r of inserted)
        audits.push({ action: 'create', entity: kind, entityId: r.id, after: toPartnerDto(r), orgId, detail });
    }
    for (const r of part.filter((x) => existing.has(x.code))) {
      const id = existing.get(r.code) as number;
      const before = (await ctx.db
        .selectFrom('partner')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow()) as PartnerRow;
      const cols = Object.fromEntries(Object.entries(columnsOf(r)).filter(([, v]) => v !== null));
      const after = (await ctx.db
        .updateTable('partner')
        .set({ ...cols, version: before.version + 1, updated_at: new Date() } as never)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow()) as PartnerRow;
      updated++;
      audits.push({
        action: 'update',
        entity: kind,
        entityId: id,
        before: toPartnerDto(before),
        after: toPartnerDto(after),
        orgId,
        detail,
      });
    }
  }
  await recordAuditMany(ctx, audits);
  return { created, updated };
}
