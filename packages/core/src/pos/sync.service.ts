import { createHash } from 'node:crypto';
import { DomainError, SYNC_COLUMNS } from '@erp/contracts';
import { sql } from '@erp/db';
import { stockAvailability, stockChangedSince, stockChangeMark } from '../inventory/index.js';
import { authorize, type Ctx } from '../platform/context.js';
import { catalogRowsSince } from '../pricing/index.js';
import { discountLimits, usersWithGrantAtStore } from './pos.access.js';
import { PIN_ALGORITHM } from './pos.pins.js';
import { loadStoreSettings, type StoreSettingsDto } from './settings.service.js';
import { type StoreStockEnv, storeStockEnv } from './stock.service.js';
import { resolveTill, type TerminalDto, type TillAuth, toTerminalDto } from './terminal.service.js';

// POS-9: the till's local copy (IndexedDB) — products, barcodes, prices of its store, cashiers with their
// limits and offline PIN verifiers, settings and hotkeys — loaded cold once and then kept fresh by deltas:
// only what changed since the till's cursor, in pages, as compact rows.

interface Cursor {
  /** The catalog's change sequence (products, barcodes, prices). */
  c: number;
  /** pos_sync_seq of the store's settings and the till itself. */
  p: number;
  /** Fingerprint of the cashier list (roles change it without touching pos tables). */
  h: string;
  /** The store's assortment stamp when the till's catalog copy was begun (absent in older cursors). */
  a?: number;
  /** The stock change mark (ISO time) and business day the till's stock copy was read at. */
  s?: string;
  d?: string;
  /** The store's stock rules the till was last told: 1 = negative stock allowed, 2 = expired lots sold. */
  f?: number;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(s: string | undefined): Cursor {
  if (!s) return { c: 0, p: 0, h: '' };
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
    if (typeof c.c !== 'number' || typeof c.p !== 'number' || typeof c.h !== 'string') throw new Error('shape');
    if (c.a !== undefined && typeof c.a !== 'number') throw new Error('shape');
    if (c.s !== undefined && (typeof c.s !== 'string' || Number.isNaN(Date.parse(c.s)))) throw new Error('shape');
    if (c.d !== undefined && (typeof c.d !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(c.d))) throw new Error('shape');
    if (c.f !== undefined && typeof c.f !== 'number') throw new Error('shape');
    return c;
  } catch {
    throw new DomainError('VALIDATION_FAILED', {}, [
      {
        path: 'cursor',
        code: 'invalid',
        message: '同步游标无效，请重新全量同步',
        messageZh: '同步游标无效，请重新全量同步',
        messageEn: 'Invalid sync cursor; load again from the start',
      },
    ]);
  }
}

export interface SyncCashier {
  id: number;
  login: string;
  name: string;
  /** Highest manual discount, percent. */
  maxDiscountRate: string;
  canAuthorize: boolean;
  /** The till PIN's verifier (never the account password's), or null if the cashier has no PIN. */
  pin: { algorithm: string; iterations: number; salt: string; hash: string } | null;
}

export interface SyncPage {
  cursor: string;
  hasMore: boolean;
  /** The local catalog must be dropped and loaded again from the start (the store's assortment changed). */
  resync: boolean;
  columns: typeof SYNC_COLUMNS;
  products: (string | number | null)[][];
  barcodes: (string | number | null)[][];
  prices: (string | number | null)[][];
  /**
   * The store's stock (columns.stock), on the last page of a round: every product with stock when
   * `stockFull` (a cold load: drop the local copy), else only the products whose stock changed.
   */
  stock?: (string | number)[][];
  stockFull?: boolean;
  /** Present when they changed since the cursor (and on a cold load). */
  cashiers?: SyncCashier[];
  settings?: StoreSettingsDto & {
    terminal: TerminalDto;
    scale: unknown;
    region: string | null;
    /** The store lets a sale take stock below zero (no warning at the till). */
    negativeAllowed: boolean;
  };
}

async function cashierList(ctx: Ctx, storeId: number): Promise<SyncCashier[]> {
  const sellers = await usersWithGrantAtStore(ctx.db, storeId, 'pos.sale', 'create');
  const supervisors = await usersWithGrantAtStore(ctx.db, storeId, 'pos.authorize', 'approve');
  const ids = [...new Set([...sellers, ...supervisors])].filter((id) => id > 0);
  if (!ids.length) return [];
  const rows = await sql<{
    id: number;
    login: string;
    name: string;
    pin_salt: string | null;
    pin_hash: string | null;
    pin_iterations: number | null;
  }>`
    select u.id, u.login, u.name, c.pin_salt, c.pin_hash, c.pin_iterations
      from app_user u left join pos_cashier c on c.user_id = u.id
     where u.id = any(${ids}::int[]) and u.active order by u.login`.execute(ctx.db);
  const limits = await discountLimits(ctx.db, storeId, ids);
  return rows.rows.map((r) => ({
    id: r.id,
    login: r.login,
    name: r.name,
    maxDiscountRate: limits.get(r.id) ?? '0',
    canAuthorize: supervisors.has(r.id),
    pin: r.pin_hash
      ? { algorithm: PIN_ALGORITHM, iterations: r.pin_iterations as number, salt: r.pin_salt as string, hash: r.pin_hash }
      : null,
  }));
}

/**
 * One page of the till's sync. Without a cursor it is the cold load (from the beginning); with one, only
 * what changed since. Products, barcodes and price rows come from the master-data module's change feed;
 * cashiers and settings are sent whole when they changed (they are a few rows).
 */
export async function syncTill(ctx: Ctx, auth: TillAuth, q: { cursor?: string | undefined; limit: number }): Promise<SyncPage> {
  const till = await resolveTill(ctx, auth);
  authorize(ctx, 'pos.sale', 'create');
  const cur = decodeCursor(q.cursor);
  const changes = await catalogRowsSince(ctx.db, { storeId: till.storeId, cursor: cur.c, limit: q.limit, assortmentSeq: cur.a });
  const posTop = await sql<{ top: string | null }>`
    select greatest((select sync_seq from pos_store_settings where store_id = ${till.storeId}),
                    (select sync_seq from pos_terminal where id = ${till.terminalId})) as top`.execute(ctx.db);
  const p = Number(posTop.rows[0]?.top ?? 0);
  // The cashier list and the stock are looked at on the last page of a round (and the cashiers on the first).
  const last = !changes.hasMore;
  const look = !q.cursor || last;
  const cashiers = look ? await cashierList(ctx, till.storeId) : null;
  const h = cashiers ? createHash('sha256').update(JSON.stringify(cashiers)).digest('hex').slice(0, 16) : cur.h;
  const settingsChanged = p > cur.p || cur.c === 0;
  const env = last || settingsChanged ? await storeStockEnv(ctx.db, till.storeId) : null;
  const flags = env ? stockFlags(env) : cur.f;
  const stock = last && env ? await stockSection(ctx, env, q.cursor ? cur : null) : null;
  const page: SyncPage = {
    // The assortment stamp is kept from the start of a load; a new load (cursor 0) takes the current one.
    cursor: encodeCursor({
      c: changes.cursor,
      p,
      h,
      a: cur.c > 0 && cur.a !== undefined && !changes.resync ? cur.a : changes.assortmentSeq,
      ...(stock ? { s: stock.mark, d: stock.day } : cur.s !== undefined && cur.d !== undefined ? { s: cur.s, d: cur.d } : {}),
      ...(flags !== undefined ? { f: flags } : {}),
    }),
    hasMore: changes.hasMore,
    resync: changes.resync,
    columns: SYNC_COLUMNS,
    products: changes.products,
    barcodes: changes.barcodes,
    prices: changes.prices,
  };
  if (stock) {
    page.stock = stock.rows;
    page.stockFull = stock.full;
  }
  if (cashiers && h !== cur.h) page.cashiers = cashiers;
  if (env && (settingsChanged || flags !== cur.f)) {
    const settings = await loadStoreSettings(ctx.db, till.storeId);
    const terminal = await ctx.db
      .selectFrom('pos_terminal')
      .selectAll()
      .where('id', '=', till.terminalId)
      .executeTakeFirstOrThrow();
    page.settings = {
      ...settings,
      terminal: toTerminalDto(terminal),
      scale: changes.scale,
      region: changes.region,
      negativeAllowed: env.negativeAllowed,
    };
  }
  return page;
}

function stockFlags(env: StoreStockEnv): number {
  return (env.negativeAllowed ? 1 : 0) | (env.sellExpired ? 2 : 0);
}

/**
 * The stock part of a sync: all of it without a previous stock read, else the products changed since that
 * read. The change mark is taken before the stock is read, so a posting committing meanwhile is sent again
 * next time rather than missed.
 */
async function stockSection(ctx: Ctx, env: StoreStockEnv, cur: Cursor | null) {
  if (env.warehouseId === null) return null;
  const mark = await stockChangeMark(ctx.db);
  const full = !cur || cur.s === undefined || cur.d === undefined;
  const productIds = full
    ? undefined
    : await stockChangedSince(ctx.db, {
        warehouseId: env.warehouseId,
        since: new Date(cur.s as string),
        sinceDay: cur.d as string,
        day: env.businessDay,
      });
  const rows =
    productIds?.length === 0
      ? []
      : await stockAvailability(ctx.db, {
          warehouseId: env.warehouseId,
          day: env.businessDay,
          ...(productIds ? { productIds } : {}),
        });
  return {
    full,
    mark: mark.toISOString(),
    day: env.businessDay,
    rows: rows.map((r) => [r.productId, r.available, r.expired]),
  };
}
