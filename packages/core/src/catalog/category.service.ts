import { type CategoryDto, categoryBody, DomainError, updateCategoryBody } from '@erp/contracts';
import { sql } from '@erp/db';
import type { z } from 'zod';
import { recordAudit } from '../audit/audit.service.js';
import { authorize, type Ctx } from '../platform/context.js';
import { type ExportColumn, exportXlsx } from '../platform/excel.js';
import { assertMasterDataWriter, type Db } from './catalog.access.js';

type CategoryRow = {
  id: number;
  parent_id: number | null;
  path: string;
  level: number;
  code: string;
  name: string;
  name_en: string | null;
  sort: number;
  active: boolean;
  product_count?: number | string | null;
};

function toDto(r: CategoryRow): CategoryDto {
  return {
    id: r.id,
    parentId: r.parent_id,
    path: r.path,
    level: r.level,
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    sort: r.sort,
    active: r.active,
    productCount: Number(r.product_count ?? 0),
  };
}

async function loadCategory(db: Db, id: number): Promise<CategoryDto | undefined> {
  const row = await db
    .selectFrom('category as c')
    .selectAll('c')
    .select(sql<number>`(select count(*) from product p where p.category_id = c.id)`.as('product_count'))
    .where('c.id', '=', id)
    .executeTakeFirst();
  return row ? toDto(row) : undefined;
}

/** The whole tree in path order (parents before children), with each category's own product count. */
export async function listCategories(ctx: Ctx, q: { q?: string; active?: boolean } = {}): Promise<CategoryDto[]> {
  authorize(ctx, 'category', 'view');
  let query = ctx.db
    .selectFrom('category as c')
    .selectAll('c')
    .select(sql<number>`(select count(*) from product p where p.category_id = c.id)`.as('product_count'));
  if (q.q) query = query.where((eb) => eb.or([eb('c.code', 'ilike', `%${q.q}%`), eb('c.name', 'ilike', `%${q.q}%`)]));
  if (q.active !== undefined) query = query.where('c.active', '=', q.active);
  const rows = await query.orderBy('c.level').orderBy('c.sort').orderBy('c.code').execute();
  // Tree order: depth-first by sort, code.
  const byParent = new Map<number | null, CategoryRow[]>();
  for (const r of rows) {
    const list = byParent.get(r.parent_id) ?? [];
    list.push(r);
    byParent.set(r.parent_id, list);
  }
  const ids = new Set(rows.map((r) => r.id));
  const out: CategoryDto[] = [];
  const walk = (parent: number | null) => {
    for (const r of byParent.get(parent) ?? []) {
      out.push(toDto(r));
      walk(r.id);
    }
  };
  walk(null);
  // Filtered lists may hold children without their parents: append them in level order.
  for (const r of rows)
    if (r.parent_id !== null && !ids.has(r.parent_id) && !out.some((o) => o.id === r.id)) {
      out.push(toDto(r));
      walk(r.id);
    }
  return out;
}

export async function getCategory(ctx: Ctx, id: number): Promise<CategoryDto> {
  authorize(ctx, 'category', 'view');
  const dto = await loadCategory(ctx.db, id);
  if (!dto) throw new DomainError('NOT_FOUND', { entity: 'category', id });
  return dto;
}

export async function createCategory(ctx: Ctx, input: z.input<typeof categoryBody>): Promise<CategoryDto> {
  authorize(ctx, 'category', 'create');
  const root = await assertMasterDataWriter(ctx);
  const cmd = categoryBody.parse(input);
  const dup = await ctx.db.selectFrom('category').select('id').where('code', '=', cmd.code).executeTakeFirst();
  if (dup) throw new DomainError('DUPLICATE', { field: 'code', value: cmd.code });
  let parent: { path: string; level: number } | undefined;
  if (cmd.parentId !== null) {
    parent = await ctx.db.selectFrom('category').select(['path', 'level']).where('id', '=', cmd.parentId).executeTakeFirst();
    if (!parent) throw new DomainError('NOT_FOUND', { entity: 'category', id: cmd.parentId });
  }
  const inserted = await ctx.db
    .insertInto('category')
    .values({
      parent_id: cmd.parentId,
      code: cmd.code,
      name: cmd.name,
      name_en: cmd.nameEn ?? null,
      sort: cmd.sort ?? 0,
      level: (parent?.level ?? 0) + 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await ctx.db
    .updateTable('category')
    .set({ path: `${parent?.path ?? '/'}${inserted.id}/` })
    .where('id', '=', inserted.id)
    .execute();
  const dto = (await loadCategory(ctx.db, inserted.id)) as CategoryDto;
  await recordAudit(ctx, { action: 'create', entity: 'category', entityId: dto.id, after: dto, orgId: root });
  return dto;
}

/** Edits a category; moving it re-roots its whole subtree in one statement (paths and levels). */
export async function updateCategory(ctx: Ctx, id: number, input: z.input<typeof updateCategoryBody>): Promise<CategoryDto> {
  authorize(ctx, 'category', 'edit');
  const root = await assertMasterDataWriter(ctx);
  const cmd = updateCategoryBody.parse(input);
  const before = await loadCategory(ctx.db, id);
  if (!before) throw new DomainError('NOT_FOUND', { entity: 'category', id });
  const changes = {
    ...(cmd.name !== undefined ? { name: cmd.name } : {}),
    ...(cmd.nameEn !== undefined ? { name_en: cmd.nameEn } : {}),
    ...(cmd.sort !== undefined ? { sort: cmd.sort } : {}),
    ...(cmd.active !== undefined ? { active: cmd.active } : {}),
  };
  if (Object.keys(changes).length) await ctx.db.updateTable('category').set(changes).where('id', '=', id).execute();
  if (cmd.parentId !== undefined && cmd.parentId !== before.parentId) {
    let newPrefix = '/';
    let newLevel = 1;
    if (cmd.parentId !== null) {
      const parent = await ctx.db
        .selectFrom('category')
        .select(['path', 'level'])
        .where('id', '=', cmd.parentId)
        .executeTakeFirst();
      if (!parent) throw new DomainError('NOT_FOUND', { entity: 'category', id: cmd.parentId });
      if (parent.path.startsWith(before.path)) throw new DomainError('CATEGORY_CYCLE');
      newPrefix = parent.path;
      newLevel = parent.level + 1;
    }
    const newPath = `${newPrefix}${id}/`;
    const shift = newLevel - before.level;
    await sql`
      update category set path = ${newPath} || substr(path, ${before.path.length + 1}), level = level + ${shift}
       where path like ${`${before.path}%`}`.execute(ctx.db);
    await ctx.db.updateTable('category').set({ parent_id: cmd.parentId }).where('id', '=', id).execute();
    // Products keep their category; tills re-read the tree on their next sync of products in it.
    await sql`update product set updated_at = now() where category_id in (select id from category where path like ${`${newPath}%`})`.execute(
      ctx.db,
    );
  }
  const after = (await loadCategory(ctx.db, id)) as CategoryDto;
  await recordAudit(ctx, { action: 'update', entity: 'category', entityId: id, before, after, orgId: root });
  return after;
}

/** Deletes an unused leaf; a category with products or children is refused (deactivate it instead). */
export async function deleteCategory(ctx: Ctx, id: number): Promise<{ ok: true }> {
  authorize(ctx, 'category', 'delete');
  const root = await assertMasterDataWriter(ctx);
  const before = await loadCategory(ctx.db, id);
  if (!before) throw new DomainError('NOT_FOUND', { entity: 'category', id });
  const children = await ctx.db
    .selectFrom('category')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('parent_id', '=', id)
    .executeTakeFirstOrThrow();
  const uses = before.productCount + Number(children.n);
  if (uses > 0) throw new DomainError('IN_USE', { entity: '类别 category', code: before.code, count: uses });
  await ctx.db.deleteFrom('category').where('id', '=', id).execute();
  await recordAudit(ctx, { action: 'delete', entity: 'category', entityId: id, before, orgId: root });
  return { ok: true };
}

export async function exportCategories(ctx: Ctx): Promise<Buffer> {
  authorize(ctx, 'category', 'export');
  const rows = await listCategories(ctx);
  const zh = ctx.locale !== 'en';
  const byId = new Map(rows.map((r) => [r.id, r]));
  const columns: ExportColumn<CategoryDto>[] = [
    { header: zh ? '类别编码' : 'Code', value: (r) => r.code, width: 14 },
    { header: zh ? '类别名称' : 'Name', value: (r) => `${'  '.repeat(r.level - 1)}${r.name}`, width: 30 },
    { header: zh ? '英文名称' : 'English name', value: (r) => r.nameEn },
    { header: zh ? '上级类别' : 'Parent', value: (r) => (r.parentId ? (byId.get(r.parentId)?.code ?? '') : '') },
    { header: zh ? '级次' : 'Level', value: (r) => r.level },
    { header: zh ? '商品数' : 'Products', value: (r) => r.productCount },
    { header: zh ? '启用' : 'Active', value: (r) => (r.active ? (zh ? '是' : 'Y') : '') },
  ];
  return exportXlsx(zh ? '商品类别' : 'Categories', columns, rows);
}
