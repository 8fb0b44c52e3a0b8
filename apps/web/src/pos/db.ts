import type { ReceiptTemplate, RoundingRule, ScaleBarcodeSettings, TerminalSettings } from '@erp/contracts';
import Dexie, { type EntityTable } from 'dexie';

/**
 * The till's local copy (POS-9), in IndexedDB through Dexie. Everything the till needs to sell without the
 * server lives here: the store's catalog (products, barcodes, price rows), cashiers with their offline PIN
 * verifiers and limits, settings and hotkeys, the receipt-number ranges, and the outbox of finished sales.
 *
 * Lookups on the hot path go through primary keys and indexes only (barcode → product id → product and its
 * price rows), never a table scan, so a scan resolves in a few milliseconds with a 100,000-product catalog.
 */

export interface LocalProduct {
  id: number;
  code: string;
  name: string;
  spec: string;
  /** Pinyin initials, lower case ("nfsqyytrs550ml"). */
  pinyin: string;
  unit: string | null;
  categoryId: number | null;
  weighed: 0 | 1;
  scaleCode: string | null;
  sellable: 0 | 1;
  prescription: 0 | 1;
  batchTracked: 0 | 1;
}

export interface LocalBarcode {
  barcode: string;
  productId: number;
  unitId: number | null;
  kind: string;
  primary: 0 | 1;
}

export interface LocalPrice {
  id: number;
  productId: number;
  priceType: 'retail' | 'member';
  scope: 'all' | 'region' | 'store';
  region: string | null;
  storeId: number | null;
  price: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  cancelled: boolean;
}

export interface LocalCashier {
  id: number;
  login: string;
  name: string;
  maxDiscountRate: string;
  canAuthorize: boolean;
  pin: { algorithm: string; iterations: number; salt: string; hash: string } | null;
}

/** A line of a sale as the till keeps it (the cart, held sales and the outbox use the same shape). */
export interface CartLine {
  /** Stable key for rendering and editing. */
  key: number;
  productId: number;
  code: string;
  name: string;
  spec: string;
  unit: string | null;
  qty: string;
  /** The unit price before discounts (master-data price, or the price embedded in a weighed label). */
  unitPrice: string;
  barcode?: string;
  weighed?: boolean;
  discount?: { kind: 'percent' | 'amount' | 'price'; value: string } | null;
  /** The lot (批号) a scanned GS1 code named: the sale takes that lot (saleLineInput.lotNo). */
  lotNo?: string;
  /** That lot's expiry date from the code (YYYY-MM-DD), shown on the line. */
  expiry?: string;
}

export interface TenderEntry {
  method: 'cash' | 'bank_card' | 'mobile';
  amount: string;
  reference?: string;
  paymentIntentId?: string;
  channel?: string;
}

export interface OfflineAuthorization {
  supervisorId: number;
  purpose: 'discount' | 'manual_return' | 'void_sale' | 'open_drawer';
  at: string;
  maxDiscountRate?: string;
}

export interface Cart {
  clientId: string;
  /** Assigned from the till's range the first time the sale needs one (hold, settle, pay). */
  receiptNo: string | null;
  lines: CartLine[];
  saleDiscount: { kind: 'percent' | 'amount'; value: string } | null;
  authorizationId: string | null;
  offlineAuthorization: OfflineAuthorization | null;
  /** The highest manual discount (percent) the authorisation above covers. */
  authorizedRate?: string | null;
  memberId: number | null;
  startedAt: string;
  /** Posted to the server as temporary/held already (so a finish replaces it there). */
  postedAs?: 'temporary' | 'held' | null;
}

/** Text kept in both languages (shown later in whichever language the till is in). */
export interface BilingualText {
  'zh-CN': string;
  en: string;
}

/** Why the server refused a paid sale (upload result `queued`): it sits in the store's upload-error queue. */
export interface SaleRefusal {
  code: string;
  messages: BilingualText;
  errorId: number;
  at: string;
}

/**
 * A paid sale's upload state. pending: on this device only; synced: booked on the server; refused: the server
 * answered `queued` (a person resolves it in the back office) — it is re-checked now and then, never re-sent in
 * a loop, and becomes synced once the server says it is booked.
 */
export type OutboxStatus = 'pending' | 'synced' | 'refused';

/** A finished sale waiting for (or done with) its upload. */
export interface OutboxSale {
  clientId: string;
  receiptNo: string;
  /** Commit order: uploads go out in the order the sales were made. */
  seq: number;
  status: OutboxStatus;
  kind: 'sale';
  madeOnline: boolean;
  createdAt: string;
  cashierId: number;
  cashierName: string;
  shiftId: string;
  /** The body the server receives (saleBody/uploadSale). */
  payload: {
    clientId: string;
    receiptNo: string;
    status: 'formal';
    soldAt: string;
    shiftId: string;
    memberId?: number;
    lines: {
      productId: number;
      qty: string;
      unitPrice: string;
      discount?: CartLine['discount'];
      barcode?: string;
      lotNo?: string;
    }[];
    saleDiscount?: { kind: 'percent' | 'amount'; value: string };
    tenders: { method: string; amount: string; reference?: string; paymentIntentId?: string }[];
    expectedTotal: string;
    authorizationId?: string;
    remarks?: string;
    terminalId: number;
    cashierId: number;
    offlineAuthorization?: OfflineAuthorization;
  };
  /** What the receipt shows (kept for reprint while offline). */
  receipt: LocalReceipt;
  attempts: number;
  /** The last failed attempt (the checkout's refusal before the upload took it, a server error), both languages. */
  lastError?: BilingualText | null;
  refusal?: SaleRefusal | null;
  /** Refused sales: when to ask the server again (epoch ms), and how often it was asked. */
  nextCheckAt?: number | null;
  checks?: number;
  serverSaleId?: number | null;
  syncedAt?: string | null;
  /** The server booked it on a later open day than it was made (its day was closed). */
  late?: boolean;
  businessDay?: string | null;
}

/** The store's stock of a product as of the last sync (for the offline "no selling below zero" warning). */
export interface LocalStock {
  productId: number;
  available: string;
  expired: string;
}

export interface LocalReceipt {
  receiptNo: string;
  kind: 'sale' | 'return';
  soldAt: string;
  cashierName: string;
  terminalCode: string;
  lines: { name: string; qty: string; unitPrice: string; amount: string; discount: string }[];
  gross: string;
  discount: string;
  rounding: string;
  total: string;
  tenders: { method: string; amount: string }[];
  paid: string;
  change: string;
  savings: string;
  originalReceiptNo?: string | null;
  offline: boolean;
}

export interface LocalShift {
  id: string;
  cashierId: number;
  float: string;
  openedAt: string;
  status: 'open' | 'handed_over';
  /** Opened while offline: sent with the next upload (uploadBody.shifts). */
  uploaded: boolean;
}

export interface HeldSale {
  clientId: string;
  cart: Cart;
  heldAt: string;
  cashierId: number;
  total: string;
}

export interface KvRow {
  key: string;
  value: unknown;
}

export class TillDb extends Dexie {
  products!: EntityTable<LocalProduct, 'id'>;
  barcodes!: EntityTable<LocalBarcode, 'barcode'>;
  prices!: EntityTable<LocalPrice, 'id'>;
  cashiers!: EntityTable<LocalCashier, 'id'>;
  kv!: EntityTable<KvRow, 'key'>;
  outbox!: EntityTable<OutboxSale, 'clientId'>;
  shifts!: EntityTable<LocalShift, 'id'>;
  held!: EntityTable<HeldSale, 'clientId'>;
  stock!: EntityTable<LocalStock, 'productId'>;

  constructor(name = 'erp-till') {
    super(name);
    this.version(1).stores({
      products: 'id, code, pinyin, name, scaleCode',
      barcodes: 'barcode, productId',
      prices: 'id, productId',
      cashiers: 'id, &login',
      kv: 'key',
      outbox: 'clientId, seq, status, receiptNo',
      shifts: 'id, status',
      held: 'clientId',
    });
    // 2: the stock copy; refused sales are 'refused' (was 'queued'); upload errors kept in both languages.
    this.version(2)
      .stores({ outbox: 'clientId, seq, status, receiptNo, syncedAt, shiftId', stock: 'productId' })
      .upgrade((tx) =>
        tx
          .table('outbox')
          .toCollection()
          .modify((s: Record<string, unknown>) => {
            if (s.status === 'queued') {
              const text = typeof s.lastError === 'string' ? s.lastError : '';
              s.status = 'refused';
              s.refusal = { code: 'UNKNOWN', messages: { 'zh-CN': text, en: text }, errorId: 0, at: s.createdAt };
              s.nextCheckAt = 0;
            }
            if (typeof s.lastError === 'string') s.lastError = null;
          }),
      );
  }
}

export const db = new TillDb();

export async function kvGet<T>(key: string): Promise<T | undefined> {
  return (await db.kv.get(key))?.value as T | undefined;
}

export async function kvSet(key: string, value: unknown): Promise<void> {
  await db.kv.put({ key, value });
}

/** Identity of this device after pairing (ORG-5). */
export interface TerminalIdentity {
  token: string;
  terminalId: number;
  terminalCode: string;
  terminalName: string;
  receiptPrefix: string;
  store: { id: number; code: string; name: string };
  pairedAt: string;
}

export interface ReceiptRanges {
  prefix: string;
  blocks: { first: number; last: number }[];
  /** The next number to hand out. */
  next: number;
}

/** What the sync delivered besides the catalog: settings of the store and of this till. */
export interface TillSettings {
  rounding: RoundingRule;
  hotkeys: { action: string; key: string }[];
  receiptTemplates: { '58': ReceiptTemplate; '80': ReceiptTemplate };
  allowOfflineAuthorization: boolean;
  authorizationTtlSeconds: number;
  terminal: { id: number; code: string; name: string; settings: TerminalSettings; receiptPrefix: string };
  scale: ScaleBarcodeSettings | null;
  region: string | null;
  store?: { address: string | null; phone: string | null };
  /** The store allows negative stock (ORG-3); absent from an older server: no stock rule at the till. */
  negativeAllowed?: boolean;
  /** The store sells expired lots; absent: it does not. */
  sellExpired?: boolean;
}

export const KV = {
  terminal: 'terminal',
  receipts: 'receipts',
  settings: 'settings',
  cursor: 'cursor',
  lastSync: 'lastSync',
  cart: 'cart',
  outboxSeq: 'outboxSeq',
  lastReceipt: 'lastReceipt',
  /** When the stock copy was last refreshed by a sync (ISO time, taken before the request went out). */
  stockAt: 'stockAt',
} as const;

/** Drops the local catalog (a resync, or unpairing). */
export async function clearCatalog(): Promise<void> {
  await db.transaction('rw', db.products, db.barcodes, db.prices, db.stock, db.kv, async () => {
    await Promise.all([
      db.products.clear(),
      db.barcodes.clear(),
      db.prices.clear(),
      db.stock.clear(),
      db.kv.delete(KV.cursor),
      db.kv.delete(KV.stockAt),
    ]);
  });
}
