import { DomainError, dec, type StockCheckCommand, stockCheckBody } from '@erp/contracts';
import { type DB, sql, type Transaction } from '@erp/db';
import { stockAvailability } from '../inventory/index.js';
import { authorize, type Ctx } from '../platform/context.js';
import { openDay } from './sale.service.js';
import { resolveTill, type TillAuth } from './terminal.service.js';

// Stock for the till (issue 9): "no selling below zero" is enforced at the till BEFORE payment — online by
// asking here, offline against the stock the sync gave it — never by refusing a paid sale afterwards.

/** What decides whether a store can sell a quantity: its warehouse, business day and two store rules. */
export interface StoreStockEnv {
  storeId: number;
  warehouseId: number | null;
  /** The store's open business day: lots expiring before it are expired. */
  businessDay: string;
  /** org_params.allow_negative_stock: a sale may take stock below zero (stock debt) without a warning. */
  negativeAllowed: boolean;
  /** pos_store_settings.sell_expired: lots past their expiry may be sold. */
  sellExpired: boolean;
}

export async function storeStockEnv(db: Transaction<DB>, storeId: number): Promise<StoreStockEnv> {
  const r = await sql<{ warehouse_id: number | null; last_closed: string | null; negative: boolean; expired: boolean }>`
    select (select w.id from warehouse w where w.org_id = ${storeId} and w.is_default and w.active) as warehouse_id,
           (select max(b.day) from business_day b where b.org_id = ${storeId})::text as last_closed,
           coalesce((select op.allow_negative_stock from org_params op where op.org_id = ${storeId}), false) as negative,
           coalesce((select ps.sell_expired from pos_store_settings ps where ps.store_id = ${storeId}), false) as expired`.execute(
    db,
  );
  const row = r.rows[0];
  return {
    storeId,
    warehouseId: row?.warehouse_id ?? null,
    businessDay: openDay(row?.last_closed ?? null),
    negativeAllowed: row?.negative ?? false,
    sellExpired: row?.expired ?? false,
  };
}

export interface StockCheckLine {
  productId: number;
  /** The quantity of the product over all the request's lines. */
  requested: string;
  available: string;
  expired: string;
  /** More is asked than the store can sell and it forbids negative stock: warn before payment. */
  short: boolean;
}

export interface StockCheckResult {
  negativeAllowed: boolean;
  sellExpired: boolean;
  lines: StockCheckLine[];
}

/**
 * The till asks, before payment, whether its store can sell a cart. Per line: the product's quantity over the
 * whole cart, what is available and expired, and `short` when the cart asks for more than can be taken
 * (expired stock counting only where the store sells it) while the store forbids negative stock.
 */
export async function checkTillStock(ctx: Ctx, auth: TillAuth, input: StockCheckCommand): Promise<StockCheckResult> {
  const cmd = stockCheckBody.parse(input);
  const till = await resolveTill(ctx, auth);
  authorize(ctx, 'pos.sale', 'create');
  const env = await storeStockEnv(ctx.db, till.storeId);
  if (env.warehouseId === null) throw new DomainError('ORG_HOLDS_NO_GOODS', { org: String(till.storeId) });
  const requested = new Map<number, ReturnType<typeof dec>>();
  for (const l of cmd.lines) requested.set(l.productId, (requested.get(l.productId) ?? dec(0)).plus(l.qty));
  const rows = await stockAvailability(ctx.db, {
    warehouseId: env.warehouseId,
    day: env.businessDay,
    productIds: [...requested.keys()],
  });
  const byProduct = new Map(rows.map((r) => [r.productId, r]));
  return {
    negativeAllowed: env.negativeAllowed,
    sellExpired: env.sellExpired,
    lines: cmd.lines.map((l) => {
      const a = byProduct.get(l.productId) ?? { available: '0.000', expired: '0.000' };
      const want = requested.get(l.productId) ?? dec(0);
      const takeable = env.sellExpired ? dec(a.available).plus(a.expired) : dec(a.available);
      return {
        productId: l.productId,
        requested: want.toFixed(3),
        available: a.available,
        expired: a.expired,
        short: !env.negativeAllowed && want.greaterThan(takeable),
      };
    }),
  };
}
