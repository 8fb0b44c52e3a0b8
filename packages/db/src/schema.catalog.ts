// Table types of the catalog module's migrations. Column conventions: see schema.ts.
import type { ColumnType, Generated } from 'kysely';
import type { Json, Numeric } from './schema.js';

type Id = Generated<number>;
/** bigint sequence numbers arrive as strings from pg and numbers from PGlite: read them through Number(). */
type Seq = ColumnType<string | number, never, never>;

export interface UnitTable {
  id: Id;
  code: string;
  name: string;
  name_en: string | null;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface CategoryTable {
  id: Id;
  parent_id: number | null;
  path: Generated<string>;
  level: Generated<number>;
  code: string;
  name: string;
  name_en: string | null;
  sort: Generated<number>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface BrandTable {
  id: Id;
  code: string;
  name: string;
  name_en: string | null;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface PartnerTable {
  id: Id;
  kind: 'supplier' | 'customer' | 'manufacturer';
  code: string;
  name: string;
  short_name: string | null;
  pinyin: Generated<string>;
  org_id: number;
  contact: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  tax_no: string | null;
  bank_name: string | null;
  bank_account: string | null;
  license_no: string | null;
  payment_terms_days: number | null;
  credit_limit: Numeric | null;
  price_type: 'retail' | 'member' | 'wholesale' | 'distribution' | 'purchase' | null;
  remarks: string | null;
  active: Generated<boolean>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PaymentMethodTable {
  id: Id;
  code: string;
  name: string;
  name_en: string | null;
  kind: 'cash' | 'card' | 'mobile' | 'stored_value' | 'voucher' | 'other';
  gives_change: Generated<boolean>;
  sort: Generated<number>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface ReasonCodeTable {
  id: Id;
  usage: 'loss' | 'overage' | 'return' | 'adjustment' | 'other';
  code: string;
  name: string;
  name_en: string | null;
  sort: Generated<number>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface CatalogSettingTable {
  key: string;
  value: Json;
  updated_at: Generated<Date>;
  updated_by: number | null;
}

export interface ProductUnitTable {
  product_id: number;
  unit_id: number;
  factor: Numeric;
}

export interface ProductBarcodeTable {
  barcode: string;
  product_id: number;
  unit_id: number | null;
  kind: 'ean13' | 'ean8' | 'internal';
  is_primary: Generated<boolean>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  change_seq: Seq;
}

export interface PriceTable {
  id: Id;
  product_id: number;
  price_type: 'retail' | 'member' | 'wholesale' | 'distribution' | 'purchase';
  scope: 'all' | 'region' | 'store';
  region: string | null;
  store_id: number | null;
  price: Numeric;
  effective_from: ColumnType<Date, Date | string, Date | string>;
  effective_to: ColumnType<Date | null, Date | string | null, Date | string | null>;
  source: 'manual' | 'initial' | 'import' | 'price_change';
  source_document_id: number | null;
  cancelled: Generated<boolean>;
  created_by: number | null;
  created_at: Generated<Date>;
  change_seq: Seq;
}

export interface StoreCatalogTable {
  store_id: number;
  category_ids: ColumnType<number[], number[], number[]>;
  updated_at: Generated<Date>;
  change_seq: Seq;
}

export interface ImportJobTable {
  id: Id;
  kind: string;
  file_name: string;
  format: string;
  org_id: number;
  user_id: number | null;
  login: string | null;
  status: 'imported' | 'partial' | 'rejected';
  good_rows_only: Generated<boolean>;
  total_rows: Generated<number>;
  good_rows: Generated<number>;
  bad_rows: Generated<number>;
  imported_rows: Generated<number>;
  created_rows: Generated<number>;
  updated_rows: Generated<number>;
  report: Json;
  ms: Generated<number>;
  created_at: Generated<Date>;
}

export interface CatalogTables {
  unit: UnitTable;
  category: CategoryTable;
  brand: BrandTable;
  partner: PartnerTable;
  payment_method: PaymentMethodTable;
  reason_code: ReasonCodeTable;
  catalog_setting: CatalogSettingTable;
  product_unit: ProductUnitTable;
  product_barcode: ProductBarcodeTable;
  price: PriceTable;
  store_catalog: StoreCatalogTable;
  import_job: ImportJobTable;
}
