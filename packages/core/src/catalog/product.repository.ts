import type { BarcodeKind, ProductDto } from '@erp/contracts';
import { sql } from '@erp/db';
import { type Db, iso } from './catalog.access.js';

/**
 * The product as the API shows it, with names of its references, its active barcodes and its pack units,
 * in one statement (lists and lookups alike: no query per product).
 */
export function productSelect(db: Db) {
  return db
    .selectFrom('product as p')
    .leftJoin('unit as bu', 'bu.id', 'p.base_unit_id')
    .leftJoin('category as c', 'c.id', 'p.category_id')
    .leftJoin('brand as b', 'b.id', 'p.brand_id')
    .leftJoin('partner as m', 'm.id', 'p.manufacturer_id')
    .leftJoin('partner as s', 's.id', 'p.default_supplier_id')
    .selectAll('p')
    .select([
      'bu.name as base_unit_name',
      'c.name as category_name',
      'b.name as brand_name',
      'm.name as manufacturer_name',
      's.name as supplier_name',
      sql<BarcodeJson[]>`coalesce((
        select json_agg(json_build_object('barcode', pb.barcode, 'kind', pb.kind, 'unitId', pb.unit_id, 'isPrimary', pb.is_primary)
                        order by pb.is_primary desc, pb.created_at, pb.barcode)
          from product_barcode pb where pb.product_id = p.id and pb.active), '[]'::json)`.as('barcodes_json'),
      sql<UnitJson[]>`coalesce((
        select json_agg(json_build_object('unitId', pu.unit_id, 'unitName', uu.name, 'factor', pu.factor::text) order by pu.factor, pu.unit_id)
          from product_unit pu join unit uu on uu.id = pu.unit_id where pu.product_id = p.id), '[]'::json)`.as('units_json'),
    ]);
}

interface BarcodeJson {
  barcode: string;
  kind: BarcodeKind;
  unitId: number | null;
  isPrimary: boolean;
}
interface UnitJson {
  unitId: number;
  unitName: string;
  factor: string;
}

export type ProductRow = Awaited<ReturnType<ReturnType<typeof productSelect>['executeTakeFirstOrThrow']>>;

function parseJson<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

/** Trailing zeros of numeric(18,6) factors dropped: '24.000000' → '24'. */
function trimDecimal(v: string): string {
  return v.includes('.') ? v.replace(/\.?0+$/, '') : v;
}

export function toProductDto(r: ProductRow): ProductDto {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    spec: r.spec,
    pinyin: r.pinyin,
    baseUnitId: r.base_unit_id,
    baseUnitName: r.base_unit_name,
    categoryId: r.category_id,
    categoryName: r.category_name,
    brandId: r.brand_id,
    brandName: r.brand_name,
    manufacturerId: r.manufacturer_id,
    manufacturerName: r.manufacturer_name,
    defaultSupplierId: r.default_supplier_id,
    defaultSupplierName: r.supplier_name,
    taxRate: trimDecimal(String(r.tax_rate)),
    batchTracked: r.batch_tracked,
    shelfLifeDays: r.shelf_life_days,
    minRequisitionQty: r.min_requisition_qty === null ? null : trimDecimal(String(r.min_requisition_qty)),
    weighed: r.weighed,
    scaleCode: r.scale_code,
    bannedFromRequisition: r.banned_from_requisition,
    notCarried: r.not_carried,
    discontinued: r.discontinued,
    prescription: r.prescription,
    origin: r.origin,
    remarks: r.remarks,
    active: r.active,
    barcodes: parseJson<BarcodeJson[]>(r.barcodes_json),
    units: parseJson<UnitJson[]>(r.units_json).map((u) => ({ ...u, factor: trimDecimal(u.factor) })),
    version: r.version,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export async function loadProduct(db: Db, id: number): Promise<ProductDto | undefined> {
  const row = await productSelect(db).where('p.id', '=', id).executeTakeFirst();
  return row ? toProductDto(row) : undefined;
}
