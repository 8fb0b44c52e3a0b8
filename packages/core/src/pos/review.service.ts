import { DomainError, dec } from '@erp/contracts';
import { sql } from '@erp/db';
import { recordAudit } from '../audit/audit.service.js';
import { lastClosedDay } from '../org/business-day.service.js';
import { authorize, type Ctx } from '../platform/context.js';
import { loadSales } from './sale.repository.js';
import { openDay, postSaleLines } from './sale.service.js';

// POS-5 wholesale mode: till sales wait for picking and the retail outbound review (零售出库复核), which posts
// their stock through the ledger.

export async function listAwaitingReview(ctx: Ctx, q: { storeId?: number | undefined }) {
  authorize(ctx, 'pos.review', 'view');
  if (q.storeId !== undefined) ctx.scope.assert(q.storeId, 'org', q.storeId);
  const rows = await ctx.db
    .selectFrom('pos_sale')
    .select('id')
    .where('fulfilment', '=', 'awaiting_review')
    .where('status', '=', 'formal')
    .where('store_id', 'in', q.storeId !== undefined ? [q.storeId] : [...ctx.scope.ids, -1])
    .orderBy('id')
    .limit(500)
    .execute();
  return loadSales(ctx.db, { ids: rows.map((r) => Number(r.id)) });
}

/**
 * Reviews picked sales: posts each one's stock (out for sales, back in at the original cost for returns)
 * on the store's open business day, stores the cost of goods sold on its lines, and marks it reviewed.
 */
export async function reviewSales(ctx: Ctx, cmd: { saleIds: number[] }) {
  authorize(ctx, 'pos.review', 'post');
  const rows = await ctx.db
    .selectFrom('pos_sale')
    .select(['id', 'store_id', 'status', 'fulfilment', 'receipt_no', 'warehouse_id', 'kind'])
    .select((eb) =>
      eb
        .selectFrom('pos_store_settings as ps')
        .select('ps.sell_expired')
        .whereRef('ps.store_id', '=', 'pos_sale.store_id')
        .as('sell_expired'),
    )
    .where('id', 'in', cmd.saleIds)
    .orderBy('id')
    .forUpdate()
    .execute();
  for (const id of cmd.saleIds) {
    const r = rows.find((x) => Number(x.id) === id);
    if (!r || !ctx.scope.has(r.store_id)) throw new DomainError('NOT_FOUND', { entity: 'sale', id });
    if (r.status !== 'formal' || r.fulfilment !== 'awaiting_review') {
      throw new DomainError('POS_SALE_STATE', {
        receiptNo: r.receipt_no,
        status: `${r.status}/${r.fulfilment}`,
        action: 'review',
      });
    }
  }
  const sales = await loadSales(ctx.db, { ids: cmd.saleIds });
  const days = new Map<number, string>();
  const costs: { lineId: number; unitCost: string; amount: string }[] = [];
  const cogs: { saleId: number; cogs: string }[] = [];
  for (const s of sales) {
    let day = days.get(s.storeId);
    if (!day) {
      day = openDay(await lastClosedDay(ctx.db, s.storeId));
      days.set(s.storeId, day);
    }
    const row = rows.find((x) => Number(x.id) === s.id) as { warehouse_id: number; sell_expired: boolean | null };
    const lineCosts = await postSaleLines(ctx, {
      id: s.id,
      kind: s.kind,
      businessDay: day,
      warehouseId: row.warehouse_id,
      originalSaleId: s.originalSaleId,
      sellExpired: row.sell_expired ?? false,
      lines: s.lines,
    });
    let total = dec(0);
    for (const [lineId, c] of lineCosts) {
      costs.push({ lineId, unitCost: c.unitCost, amount: c.costAmount });
      total = total.plus(c.costAmount);
    }
    cogs.push({ saleId: s.id, cogs: total.toFixed(4) });
  }
  await sql`
    with l as (
      update pos_sale_line l set unit_cost = t.c, cost_amount = t.a
        from unnest(${costs.map((c) => c.lineId)}::bigint[], ${costs.map((c) => c.unitCost)}::numeric[],
                    ${costs.map((c) => c.amount)}::numeric[]) as t(id, c, a)
       where l.id = t.id
      returning 1
    )
    update pos_sale s set fulfilment = 'reviewed', reviewed_by = ${ctx.actor.userId > 0 ? ctx.actor.userId : null}::int,
           reviewed_at = now(), cogs = t.cogs
      from unnest(${cogs.map((c) => c.saleId)}::bigint[], ${cogs.map((c) => c.cogs)}::numeric[]) as t(id, cogs)
     where s.id = t.id`.execute(ctx.db);
  for (const s of sales) {
    await recordAudit(ctx, {
      action: 'pos.reviewed',
      entity: 'pos_sale',
      entityId: s.id,
      before: { fulfilment: 'awaiting_review' },
      after: { fulfilment: 'reviewed', cogs: cogs.find((c) => c.saleId === s.id)?.cogs },
      orgId: s.storeId,
    });
  }
  return loadSales(ctx.db, { ids: cmd.saleIds });
}
