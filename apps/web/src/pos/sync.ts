import { SYNC_COLUMNS } from '@erp/contracts';
import { TILL, till } from './api';
import {
  clearCatalog,
  db,
  KV,
  kvGet,
  kvSet,
  type LocalBarcode,
  type LocalCashier,
  type LocalPrice,
  type LocalProduct,
  type LocalStock,
  type TillSettings,
} from './db';

/**
 * Delta sync (POS-9): the first sync loads the store's catalog page by page; afterwards the till asks with
 * the cursor it got last and receives only what changed (so a 100,000-product catalog is not reloaded every
 * day). Rows come as compact arrays in the column order of SYNC_COLUMNS; each page is written in one Dexie
 * transaction with bulk writes, and the cursor moves only after its page is stored.
 */

type Row = (string | number | null)[];

interface SyncPage {
  cursor: string;
  hasMore: boolean;
  resync: boolean;
  columns: typeof SYNC_COLUMNS;
  products: Row[];
  barcodes: Row[];
  prices: Row[];
  /**
   * The store's stock per product, [productId, available, expired]: all of it on a cold load, changed products
   * on a delta. Absent from a server that does not send it (then the till has no offline stock rule).
   */
  stock?: Row[];
  /** The stock section is the whole of the store's stock (drop the local copy), not just what changed. */
  stockFull?: boolean;
  cashiers?: LocalCashier[];
  settings?: {
    rounding: TillSettings['rounding'];
    hotkeys: TillSettings['hotkeys'];
    receiptTemplates: TillSettings['receiptTemplates'];
    allowOfflineAuthorization: boolean;
    authorizationTtlSeconds: number;
    terminal: TillSettings['terminal'];
    scale: TillSettings['scale'];
    region: string | null;
    negativeAllowed?: boolean;
    sellExpired?: boolean;
  };
}

function indexOf<C extends readonly string[]>(cols: C) {
  return Object.fromEntries(cols.map((c, i) => [c, i])) as Record<C[number], number>;
}

const P = indexOf(SYNC_COLUMNS.products);
const B = indexOf(SYNC_COLUMNS.barcodes);
const X = indexOf(SYNC_COLUMNS.prices);

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const strOrNull = (v: unknown) => (v === null || v === undefined ? null : String(v));
const bit = (v: unknown): 0 | 1 => (v === 1 || v === true || v === '1' ? 1 : 0);

export function toProduct(r: Row): LocalProduct {
  return {
    id: Number(r[P.id]),
    code: str(r[P.code]),
    name: str(r[P.name]),
    spec: str(r[P.spec]),
    pinyin: str(r[P.pinyin]).toLowerCase(),
    unit: strOrNull(r[P.unit]),
    categoryId: r[P.categoryId] === null ? null : Number(r[P.categoryId]),
    weighed: bit(r[P.weighed]),
    scaleCode: strOrNull(r[P.scaleCode]),
    sellable: bit(r[P.sellable]),
    prescription: bit(r[P.prescription]),
    batchTracked: bit(r[P.batchTracked]),
  };
}

function toBarcode(r: Row): { row: LocalBarcode; active: boolean } {
  return {
    row: {
      barcode: str(r[B.barcode]),
      productId: Number(r[B.productId]),
      unitId: r[B.unitId] === null ? null : Number(r[B.unitId]),
      kind: str(r[B.kind]),
      primary: bit(r[B.primary]),
    },
    active: bit(r[B.active]) === 1,
  };
}

function toPrice(r: Row): LocalPrice {
  return {
    id: Number(r[X.id]),
    productId: Number(r[X.productId]),
    priceType: str(r[X.priceType]) as LocalPrice['priceType'],
    scope: str(r[X.scope]) as LocalPrice['scope'],
    region: strOrNull(r[X.region]),
    storeId: r[X.storeId] === null ? null : Number(r[X.storeId]),
    price: str(r[X.price]),
    effectiveFrom: str(r[X.effectiveFrom]),
    effectiveTo: strOrNull(r[X.effectiveTo]),
    cancelled: bit(r[X.cancelled]) === 1,
  };
}

export function toStock(r: Row): LocalStock {
  return { productId: Number(r[0]), available: str(r[1]) || '0', expired: str(r[2]) || '0' };
}

export interface SyncProgress {
  pages: number;
  products: number;
  barcodes: number;
  prices: number;
  cold: boolean;
  /** Time waiting for the server's pages, and time writing them into IndexedDB. */
  fetchMs: number;
  storeMs: number;
}

declare global {
  interface Window {
    /** The last sync's figures (read by the performance test). */
    __tillSync?: SyncProgress;
  }
}

/**
 * Stores one page; the cursor is written in the same transaction, so a crash never skips rows. `replaceStock`:
 * the first page of a cold load with stock replaces the whole copy (a product no longer listed has none).
 */
async function storePage(page: SyncPage, replaceStock: boolean): Promise<void> {
  const products = page.products.map(toProduct);
  const barcodes = page.barcodes.map(toBarcode);
  const prices = page.prices.map(toPrice);
  const stock = page.stock?.map(toStock);
  await db.transaction('rw', [db.products, db.barcodes, db.prices, db.cashiers, db.stock, db.kv], async () => {
    if (stock && replaceStock) await db.stock.clear();
    if (stock?.length) await db.stock.bulkPut(stock);
    if (products.length) await db.products.bulkPut(products);
    const live = barcodes.filter((b) => b.active).map((b) => b.row);
    const gone = barcodes.filter((b) => !b.active).map((b) => b.row.barcode);
    if (live.length) await db.barcodes.bulkPut(live);
    if (gone.length) await db.barcodes.bulkDelete(gone);
    if (prices.length) await db.prices.bulkPut(prices);
    if (page.cashiers) {
      await db.cashiers.clear();
      await db.cashiers.bulkPut(page.cashiers);
    }
    if (page.settings) {
      const previous = await kvGet<TillSettings>(KV.settings);
      const s = page.settings;
      const settings: TillSettings = {
        rounding: s.rounding,
        hotkeys: s.hotkeys,
        receiptTemplates: s.receiptTemplates,
        allowOfflineAuthorization: s.allowOfflineAuthorization,
        authorizationTtlSeconds: s.authorizationTtlSeconds,
        terminal: s.terminal,
        scale: s.scale ?? previous?.scale ?? null,
        region: s.region,
        ...(previous?.store ? { store: previous.store } : {}),
        ...(s.negativeAllowed !== undefined ? { negativeAllowed: s.negativeAllowed } : {}),
        ...(s.sellExpired !== undefined ? { sellExpired: s.sellExpired } : {}),
      };
      await db.kv.put({ key: KV.settings, value: settings });
    }
    await db.kv.put({ key: KV.cursor, value: page.cursor });
  });
}

let running: Promise<SyncProgress> | null = null;

/**
 * Runs the sync until caught up. Concurrent calls share one run. Throws NetworkError when the server is
 * unreachable (the till keeps selling from what it has).
 */
export function syncCatalog(onProgress?: (p: SyncProgress) => void): Promise<SyncProgress> {
  running ??= (async () => {
    try {
      // The stock copy is as of the moment the first request leaves (sales booked later are counted locally).
      const startedAt = new Date().toISOString();
      let stockSeen = false;
      let stockCold = false;
      let cursor = await kvGet<string>(KV.cursor);
      const hadStock = !!(await kvGet<string>(KV.stockAt));
      const progress: SyncProgress = { pages: 0, products: 0, barcodes: 0, prices: 0, cold: !cursor, fetchMs: 0, storeMs: 0 };
      // Big pages while catching up (a cold load is 100,000s of rows); a daily delta is small anyway.
      const fetchPage = (c: string | undefined) => {
        const t0 = performance.now();
        return till.get<SyncPage>(TILL.sync, { cursor: c, limit: 20_000 }, { timeoutMs: 120_000 }).then((page) => {
          progress.fetchMs += performance.now() - t0;
          return page;
        });
      };
      let next: Promise<SyncPage> | null = fetchPage(cursor);
      while (next) {
        const page: SyncPage = await next;
        next = null;
        if (page.resync) {
          await clearCatalog();
          cursor = undefined;
          progress.cold = true;
          stockCold = false;
          next = fetchPage(undefined);
          continue;
        }
        // The server says when its stock section is complete; an older server only on a cold load's first page.
        const full = page.stockFull ?? (progress.cold && !stockCold);
        const replaceStock = full && !!page.stock;
        if (page.stock) {
          stockSeen = true;
          if (full) stockCold = true;
        }
        // The next page is fetched while this one is written (the server and IndexedDB work side by side);
        // the cursor is stored with each page, in order, so an interruption resumes where the writes stopped.
        if (page.hasMore) next = fetchPage(page.cursor);
        const t1 = performance.now();
        try {
          await storePage(page, replaceStock);
        } catch (e) {
          next?.catch(() => undefined);
          throw e;
        }
        progress.storeMs += performance.now() - t1;
        progress.pages++;
        progress.products += page.products.length;
        progress.barcodes += page.barcodes.length;
        progress.prices += page.prices.length;
        onProgress?.({ ...progress });
        cursor = page.cursor;
      }
      await kvSet(KV.lastSync, new Date().toISOString());
      if (stockSeen && (stockCold || hadStock)) await kvSet(KV.stockAt, startedAt);
      // Stock first seen in a delta (the server learnt to send it after this till's cold load): the copy holds
      // only changed products, so the next sync starts cold to get all of it.
      else if (stockSeen) await db.kv.delete(KV.cursor);
      if (typeof window !== 'undefined') window.__tillSync = progress;
      return progress;
    } finally {
      running = null;
    }
  })();
  return running;
}

export async function catalogCounts(): Promise<{ products: number; barcodes: number; prices: number; cashiers: number }> {
  const [products, barcodes, prices, cashiers] = await Promise.all([
    db.products.count(),
    db.barcodes.count(),
    db.prices.count(),
    db.cashiers.count(),
  ]);
  return { products, barcodes, prices, cashiers };
}
