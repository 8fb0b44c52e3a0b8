// Test factories of the inventory module: build fixtures through the module's real services.
import { type DocumentLineInput, dec } from '@erp/contracts';
import {
  asSystem,
  type Ctx,
  calendarDay,
  createDocument,
  createUser,
  findRoleByCode,
  postStockMoves,
  type StockMove,
  type StockSource,
  transition,
} from '@erp/core';
import type { Database } from '@erp/db';
import { TEST_PASSWORD } from './chain.js';

/** Receives goods through a real other-inbound document (confirmed and posted). Returns the document id. */
export async function stockIn(
  database: Database,
  opts: { orgId: number; warehouseId: number; lines: DocumentLineInput[]; businessDate?: string },
): Promise<number> {
  return asSystem(database.db, async (ctx) => {
    const doc = await createDocument(ctx, {
      docType: 'other_inbound',
      orgId: opts.orgId,
      warehouseId: opts.warehouseId,
      ...(opts.businessDate ? { businessDate: opts.businessDate } : {}),
      lines: opts.lines,
    });
    const posted = await transition(ctx, doc.id, 'confirm');
    if (posted.status !== 'posted') await transition(ctx, doc.id, 'post');
    return doc.id;
  });
}

/**
 * A draft document of the warehouse's org to stand as the source of moves a test posts directly with
 * postStockMoves (the ledger refuses a row whose source does not exist).
 */
export async function stockSource(ctx: Ctx, warehouseId: number, businessDate?: string): Promise<StockSource> {
  const wh = await ctx.db.selectFrom('warehouse').select('org_id').where('id', '=', warehouseId).executeTakeFirstOrThrow();
  const doc = await createDocument(ctx, {
    docType: 'other_inbound',
    orgId: wh.org_id,
    warehouseId,
    ...(businessDate ? { businessDate } : {}),
  });
  return { type: 'document', id: doc.id, businessDate: doc.businessDate };
}

/**
 * Goods leaving the way a sale takes them (FEFO over the product's keys, unless the move names them),
 * through a real other-outbound document (confirmed and posted). Returns the document id.
 */
export async function sellStock(
  database: Database,
  move: Omit<StockMove, 'qty'> & { qty: string },
  businessDate = calendarDay(),
): Promise<number> {
  return asSystem(database.db, async (ctx) => {
    const wh = await ctx.db.selectFrom('warehouse').select('org_id').where('id', '=', move.warehouseId).executeTakeFirstOrThrow();
    const doc = await createDocument(ctx, {
      docType: 'other_outbound',
      orgId: wh.org_id,
      warehouseId: move.warehouseId,
      businessDate,
      lines: [
        {
          productId: move.productId,
          qty: move.qty,
          ...(move.batchNo ? { batchNo: move.batchNo } : {}),
          ...(move.lotNo ? { lotNo: move.lotNo } : {}),
          ...(move.shelfId ? { shelfId: move.shelfId } : {}),
          ...(move.status ? { stockStatus: move.status } : {}),
        },
      ],
    });
    const posted = await transition(ctx, doc.id, 'confirm');
    if (posted.status !== 'posted') await transition(ctx, doc.id, 'post');
    return doc.id;
  });
}

/** A user holding one built-in role over one org subtree (e.g. finance at the company). */
export async function makeRoleUser(
  database: Database,
  opts: { login: string; roleCode: string; orgId: number; homeOrgId?: number },
): Promise<number> {
  return asSystem(database.db, async (ctx) => {
    const role = await findRoleByCode(ctx, opts.roleCode);
    const user = await createUser(ctx, {
      login: opts.login,
      name: opts.login,
      orgId: opts.homeOrgId ?? opts.orgId,
      password: TEST_PASSWORD,
      roles: [{ roleId: role.id, orgId: opts.orgId }],
    });
    return user.id;
  });
}

/** The kept balance of a warehouse and product, optionally of one batch / shelf / status, to 3 places. */
export async function stockQty(
  database: Database,
  key: { warehouseId: number; productId: number; batchNo?: string; lotNo?: string; shelfId?: number; status?: string },
): Promise<string> {
  let q = database.db
    .selectFrom('stock_balance')
    .select((eb) => eb.fn.sum<string>('qty').as('q'))
    .where('warehouse_id', '=', key.warehouseId)
    .where('product_id', '=', key.productId);
  if (key.batchNo !== undefined) q = q.where('batch_no', '=', key.batchNo);
  if (key.lotNo !== undefined) q = q.where('lot_no', '=', key.lotNo);
  if (key.shelfId !== undefined) q = q.where('shelf_id', '=', key.shelfId);
  if (key.status !== undefined) q = q.where('status', '=', key.status);
  const r = await q.executeTakeFirst();
  return dec(r?.q ?? 0).toFixed(3);
}
