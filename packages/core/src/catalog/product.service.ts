import { DomainError } from '@erp/contracts';
import { recordAudit } from '../audit/audit.service.js';
import { authorize, type Ctx } from '../platform/context.js';

export interface CreateProductCommand {
  code: string;
  name: string;
  batchTracked?: boolean;
}

export async function createProduct(ctx: Ctx, cmd: CreateProductCommand) {
  authorize(ctx, 'product', 'create');
  const dup = await ctx.db.selectFrom('product').select('id').where('code', '=', cmd.code).executeTakeFirst();
  if (dup) throw new DomainError('DUPLICATE', { field: 'code', value: cmd.code });
  const row = await ctx.db
    .insertInto('product')
    .values({ code: cmd.code, name: cmd.name, batch_tracked: cmd.batchTracked ?? false })
    .returningAll()
    .executeTakeFirstOrThrow();
  const dto = { id: row.id, code: row.code, name: row.name, batchTracked: row.batch_tracked, active: row.active };
  await recordAudit(ctx, { action: 'create', entity: 'product', entityId: row.id, after: dto });
  return dto;
}
