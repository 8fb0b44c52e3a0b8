import { DomainError } from '@erp/contracts';
import { type DB, sql, type Transaction } from '@erp/db';
import { resolvePrices } from '../pricing/index.js';
import type { PartnerFacts, ProductFacts } from './purchasing.models.js';

/**
 * Everything purchasing reads from master data goes through this file: products with their pack units,
 * partners, and purchase prices (through the pricing module's price rule). Reads are one statement per
 * document, never one per line.
 */

export async function productFacts(db: Transaction<DB>, ids: readonly number[]): Promise<Map<number, ProductFacts>> {
  const wanted = [...new Set(ids)];
  const out = new Map<number, ProductFacts>();
  if (!wanted.length) return out;
  const rows = await sql<{ id: number; code: string; name: string; active: boolean; batch_tracked: boolean; units: unknown }>`
    select p.id, p.code, p.name, p.active, p.batch_tracked,
           coalesce((select json_agg(json_build_array(pu.unit_id, pu.factor::text)) from product_unit pu
                      where pu.product_id = p.id), '[]'::json) as units
      from product p
     where p.id = any(${wanted}::int[])`.execute(db);
  for (const r of rows.rows) {
    const units = (typeof r.units === 'string' ? JSON.parse(r.units) : r.units) as [number, string][];
    out.set(r.id, {
      id: r.id,
      code: r.code,
      name: r.name,
      active: r.active,
      batchTracked: r.batch_tracked,
      units: new Map(units.map(([u, f]) => [u, trimFactor(f)])),
    });
  }
  return out;
}

function trimFactor(v: string): string {
  return v.includes('.') ? v.replace(/\.?0+$/, '') : v;
}

export async function partnerFacts(db: Transaction<DB>, ids: readonly number[]): Promise<Map<number, PartnerFacts>> {
  const wanted = [...new Set(ids)];
  const out = new Map<number, PartnerFacts>();
  if (!wanted.length) return out;
  const rows = await db
    .selectFrom('partner')
    .select(['id', 'kind', 'code', 'name', 'active', 'org_id'])
    .where('id', 'in', wanted)
    .execute();
  for (const r of rows) {
    out.set(r.id, {
      id: r.id,
      kind: r.kind as PartnerFacts['kind'],
      code: r.code,
      name: r.name,
      active: r.active,
      orgId: r.org_id,
    });
  }
  return out;
}

/**
 * The supplier of a document at `orgPath`: an active partner of kind supplier owned by the org itself or
 * an org above it (company suppliers serve everyone; a store's own supplier only that store).
 */
export async function assertSupplierFor(db: Transaction<DB>, partnerId: number | null, orgPath: string): Promise<PartnerFacts> {
  if (partnerId === null) throw new DomainError('PUR_SUPPLIER_REQUIRED');
  const p = (await partnerFacts(db, [partnerId])).get(partnerId);
  const owners = orgPath.split('/').filter(Boolean).map(Number);
  if (!p || !owners.includes(p.orgId)) throw new DomainError('NOT_FOUND', { entity: 'supplier', id: partnerId });
  if (p.kind !== 'supplier' || !p.active) throw new DomainError('PUR_SUPPLIER_INVALID', { partner: `${p.code} ${p.name}` });
  return p;
}

/** Master-data purchase prices (进价) in force now for the org (store/region overrides apply). */
export async function defaultPurchasePrices(
  db: Transaction<DB>,
  orgId: number,
  productIds: readonly number[],
): Promise<Map<number, string>> {
  const map = await resolvePrices(db, { storeId: orgId, productIds: [...productIds], priceTypes: ['purchase'], at: new Date() });
  const out = new Map<number, string>();
  for (const [productId, prices] of map) if (prices.purchase !== undefined) out.set(productId, prices.purchase);
  return out;
}
