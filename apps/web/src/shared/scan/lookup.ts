import {
  type BarcodeLookupDto,
  DEFAULT_SCALE_SETTINGS,
  dec,
  isValidEan13,
  type Page,
  type ProductDto,
  parseScaleBarcode,
  qty,
} from '@erp/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../api';

/** What one scan adds: the product, the unit scanned, and how much (a weighed label carries its own amount). */
export interface ScanHit {
  code: string;
  product: ProductDto;
  /** Pack unit scanned (a case barcode), null for the base unit. */
  unitId: number | null;
  unitName: string | null;
  /** Base units per scanned unit. */
  factor: string;
  /** Quantity one scan adds, in the scanned unit (1, or the weight of a weighed label). */
  unitQty: string;
  /** The same in base units. */
  baseQty: string;
  /** A weighed-goods label (2x EAN-13) and what it says. */
  scale: BarcodeLookupDto['scale'];
}

export type ScanFailure =
  | { kind: 'not_found'; code: string; plu?: string | undefined }
  | { kind: 'price_label'; code: string; product: string }
  | { kind: 'error'; code: string; message: string };

export class ScanError extends Error {
  constructor(readonly failure: ScanFailure) {
    super(failure.kind);
    this.name = 'ScanError';
  }
}

async function byBarcode(code: string): Promise<BarcodeLookupDto | null> {
  try {
    return await api.get<BarcodeLookupDto>(`/api/products/by-barcode/${encodeURIComponent(code)}`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

/** A product code typed instead of a barcode (货号): exact match only. */
async function byProductCode(code: string): Promise<ProductDto | null> {
  const page = await api.get<Page<ProductDto>>('/api/products', { q: code, pageSize: 10 });
  return page.items.find((p) => p.code.toLowerCase() === code.toLowerCase()) ?? null;
}

/** Retail price of a product at a store, to turn a price label (金额码) into a weight. */
async function retailPrice(orgId: number, productId: number): Promise<string | null> {
  try {
    const r = await api.get<{ items: { productId: number; prices: Record<string, string> }[] }>('/api/prices/resolve', {
      storeId: orgId,
      productIds: String(productId),
      priceTypes: 'retail',
    });
    const p = r.items.find((i) => i.productId === productId)?.prices.retail;
    return p && dec(p).greaterThan(0) ? p : null;
  } catch {
    return null;
  }
}

function hitOf(code: string, found: BarcodeLookupDto, unitQty: string): ScanHit {
  const unitName =
    found.unitId === null
      ? found.product.baseUnitName
      : (found.product.units.find((u) => u.unitId === found.unitId)?.unitName ?? null);
  return {
    code,
    product: found.product,
    unitId: found.unitId,
    unitName,
    factor: found.factor,
    unitQty,
    baseQty: qty(dec(unitQty).times(found.factor)),
    scale: found.scale,
  };
}

/**
 * Resolves a scanned or typed code: a barcode of any unit (the server also reads weighed-goods labels), else
 * a product code. Lookups are cached for the session; a weighed label's amount is part of the answer.
 */
export async function lookupScan(qc: QueryClient, raw: string, orgId?: number | null): Promise<ScanHit> {
  const code = raw.trim();
  let found: BarcodeLookupDto | null;
  try {
    found = await qc.fetchQuery({ queryKey: ['scan', code], queryFn: () => byBarcode(code), staleTime: 5 * 60_000 });
    if (!found) {
      const p = await qc.fetchQuery({ queryKey: ['scan-code', code], queryFn: () => byProductCode(code), staleTime: 5 * 60_000 });
      if (p) found = { product: p, barcode: code, unitId: null, factor: '1', scale: null };
    }
  } catch (e) {
    throw new ScanError({ kind: 'error', code, message: e instanceof Error ? e.message : String(e) });
  }
  if (!found) {
    // A weighed label whose PLU is not in the catalog: say which PLU, so the keeper can look it up.
    const label = isValidEan13(code) ? parseScaleBarcode(code, DEFAULT_SCALE_SETTINGS) : null;
    throw new ScanError({ kind: 'not_found', code, plu: label?.itemCode });
  }
  if (!found.scale) return hitOf(code, found, '1');
  if (found.scale.valueKind === 'weight') return hitOf(code, found, qty(found.scale.value));
  // A price label: weight = amount ÷ retail price of the store.
  const price = orgId ? await retailPrice(orgId, found.product.id) : null;
  if (!price) throw new ScanError({ kind: 'price_label', code, product: `${found.product.code} ${found.product.name}` });
  return hitOf(code, found, qty(dec(found.scale.value).dividedBy(price)));
}
