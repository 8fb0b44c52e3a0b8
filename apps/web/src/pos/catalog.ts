import {
  dec,
  GS1_GS,
  type Gs1Error,
  gtinCandidates,
  looksLikeGs1,
  parseGs1,
  parseScaleBarcode,
  pickPrice,
  type ScaleBarcodeSettings,
} from '@erp/contracts';
import { db, type LocalPrice, type LocalProduct } from './db';

/**
 * Reading the local catalog. The scan path is index reads in one read transaction, two round trips:
 * barcode (primary key), then the product (primary key) and its price rows (productId index) together. Weighed-goods labels
 * (EAN-13 with prefix 2x and an embedded price or weight) go through the scale code (PLU) index instead.
 */

export interface PricedProduct {
  product: LocalProduct;
  /** The retail price for this store now, or null when the till has none. */
  price: string | null;
  memberPrice: string | null;
}

export interface ScanHit extends PricedProduct {
  barcode: string;
  /** For weighed labels: the quantity (kg) the label stands for, and what the label says. */
  qty?: string;
  label?: { kind: 'price' | 'weight'; value: string };
  /** From a GS1 code: the lot and its expiry (YYYY-MM-DD). */
  lotNo?: string;
  expiry?: string;
}

export interface PriceEnv {
  storeId: number;
  region: string | null;
}

function withPrices(product: LocalProduct, rows: LocalPrice[], env: PriceEnv): PricedProduct {
  rows.sort((a, b) => a.id - b.id);
  const at = new Date();
  return {
    product,
    price: pickPrice(rows, { priceType: 'retail', storeId: env.storeId, region: env.region, at }),
    memberPrice: pickPrice(rows, { priceType: 'member', storeId: env.storeId, region: env.region, at }),
  };
}

async function priced(product: LocalProduct, env: PriceEnv): Promise<PricedProduct> {
  return withPrices(product, await db.prices.where('productId').equals(product.id).toArray(), env);
}

/** The product and its price rows read side by side (one round trip instead of two). */
async function productAndPrices(productId: number, env: PriceEnv): Promise<PricedProduct | null> {
  const [product, rows] = await Promise.all([
    db.products.get(productId),
    db.prices.where('productId').equals(productId).toArray(),
  ]);
  return product ? withPrices(product, rows, env) : null;
}

async function productByScaleCode(itemCode: string): Promise<LocalProduct | undefined> {
  const stripped = itemCode.replace(/^0+/, '') || '0';
  const hits = await db.products.where('scaleCode').anyOf([itemCode, stripped]).limit(1).toArray();
  return hits[0];
}

/**
 * Resolves what the scanner read. Ordinary barcodes first (a 2x code may also be a registered barcode);
 * then weighed-goods labels; then a product code typed by hand.
 */
export async function lookupScan(code: string, env: PriceEnv, scale: ScaleBarcodeSettings | null): Promise<ScanHit | null> {
  return db.transaction('r', db.barcodes, db.products, db.prices, async () => {
    const bc = await db.barcodes.get(code);
    if (bc) {
      const hit = await productAndPrices(bc.productId, env);
      if (hit) return { ...hit, barcode: code };
    }
    const label = scale ? parseScaleBarcode(code, scale) : null;
    if (label) {
      const product = await productByScaleCode(label.itemCode);
      if (product) {
        const p = await priced(product, env);
        let qty: string;
        if (label.valueKind === 'weight') qty = dec(label.value).toFixed(3);
        else if (p.price && dec(p.price).greaterThan(0)) {
          // A price label: the weight is what that amount buys at the unit price (3 decimals, half up).
          qty = dec(label.value).dividedBy(p.price).toDecimalPlaces(3, 4).toFixed(3);
        } else qty = '1.000';
        return { ...p, barcode: code, qty, label: { kind: label.valueKind, value: label.value } };
      }
    }
    const byCode = await db.products.where('code').equals(code).first();
    if (byCode) return { ...(await priced(byCode, env)), barcode: code };
    return null;
  });
}

export async function productWithPrice(productId: number, env: PriceEnv): Promise<PricedProduct | null> {
  const p = await db.products.get(productId);
  return p ? priced(p, env) : null;
}

/**
 * Search by code, pinyin initials or name (each a prefix match on its index), up to `limit` products.
 * A query of digits is also tried as a barcode.
 */
export async function searchProducts(query: string, env: PriceEnv, limit = 30): Promise<PricedProduct[]> {
  const q = query.trim();
  if (!q) return [];
  const lower = q.toLowerCase();
  const found = new Map<number, LocalProduct>();
  const add = (ps: LocalProduct[]) => {
    for (const p of ps) if (found.size < limit && !found.has(p.id)) found.set(p.id, p);
  };
  await db.transaction('r', db.barcodes, db.products, db.prices, async () => {
    if (/^\d{6,14}$/.test(q)) {
      const bc = await db.barcodes.get(q);
      if (bc) {
        const p = await db.products.get(bc.productId);
        if (p) add([p]);
      }
    }
    add(await db.products.where('code').startsWithIgnoreCase(q).limit(limit).toArray());
    if (found.size < limit) add(await db.products.where('pinyin').startsWith(lower).limit(limit).toArray());
    if (found.size < limit) add(await db.products.where('name').startsWith(q).limit(limit).toArray());
  });
  const out: PricedProduct[] = [];
  for (const p of found.values()) out.push(await priced(p, env));
  return out;
}

/** What a scan resolved to: a product, a GS1 code that cannot be read, or a readable one naming no product here. */
export type ScanOutcome =
  | { kind: 'hit'; hit: ScanHit }
  | { kind: 'gs1-invalid'; error: Pick<Gs1Error, 'zh' | 'en'> }
  | { kind: 'gs1-unknown'; gtin: string }
  | { kind: 'none' };

/** Explicit GS1 markers (symbology identifier, bracketed AIs, FNC1): no plain barcode looks like this. */
function markedGs1(code: string): boolean {
  return code.startsWith(']') || code.startsWith('(') || code.includes(GS1_GS);
}

const NO_GTIN = { zh: 'GS1 码中没有商品条码（AI 01）', en: 'The GS1 code carries no GTIN (AI 01)' };

/**
 * A GS1 code (GS1-128 / DataMatrix: GTIN, lot, expiry, net weight) finds the product by its GTIN — registered as
 * the GTIN-14 itself or as the EAN-13 inside it — and carries its lot and expiry to the cart line.
 */
async function lookupGs1(code: string, env: PriceEnv): Promise<ScanOutcome> {
  const parsed = parseGs1(code);
  if (!parsed.ok) return { kind: 'gs1-invalid', error: parsed.error };
  const { gtin, lot, expiry, netWeightKg } = parsed.data;
  if (!gtin) return { kind: 'gs1-invalid', error: NO_GTIN };
  for (const barcode of gtinCandidates(gtin)) {
    const bc = await db.barcodes.get(barcode);
    const hit = bc ? await productAndPrices(bc.productId, env) : null;
    if (!hit) continue;
    return {
      kind: 'hit',
      hit: {
        ...hit,
        barcode,
        ...(netWeightKg && hit.product.weighed ? { qty: dec(netWeightKg).toFixed(3) } : {}),
        ...(lot ? { lotNo: lot } : {}),
        ...(expiry ? { expiry } : {}),
      },
    };
  }
  return { kind: 'gs1-unknown', gtin };
}

/** Resolves a scan: plain barcodes, scale labels and product codes first, GS1 element strings otherwise. */
export async function lookupCode(code: string, env: PriceEnv, scale: ScaleBarcodeSettings | null): Promise<ScanOutcome> {
  if (markedGs1(code)) return lookupGs1(code, env);
  const hit = await lookupScan(code, env, scale);
  if (hit) return { kind: 'hit', hit };
  if (looksLikeGs1(code)) return lookupGs1(code, env);
  return { kind: 'none' };
}
