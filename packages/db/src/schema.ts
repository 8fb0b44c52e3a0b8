import type { ColumnType, Generated, GeneratedAlways } from 'kysely';
import type { ModuleTables } from './schema.generated.js';

/** numeric columns travel as exact decimal strings; writes accept strings. */
export type Numeric = ColumnType<string, string | number, string | number>;
/** date columns travel as 'YYYY-MM-DD'. */
export type DateStr = string;
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type Json = ColumnType<unknown, string | undefined, string>;
type Id = Generated<number>;

export interface OrgTable {
  id: Id;
  parent_id: number | null;
  path: Generated<string>;
  code: string;
  name: string;
  name_en: string | null;
  kind: 'company' | 'hq' | 'dc' | 'retail_centre' | 'store';
  store_mode: 'direct' | 'franchise' | null;
  region: string | null;
  address: string | null;
  phone: string | null;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface OrgParamsTable {
  org_id: number;
  business_mode: Generated<'supermarket' | 'wholesale'>;
  allow_negative_stock: Generated<boolean>;
  receiving_updates_default_shelf: Generated<boolean>;
  handover_shows_expected_cash: Generated<boolean>;
  updated_at: Generated<Date>;
}

export interface WarehouseTable {
  id: Id;
  org_id: number;
  code: string;
  name: string;
  is_default: Generated<boolean>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface CounterTable {
  id: Id;
  org_id: number;
  code: string;
  name: string;
  active: Generated<boolean>;
}

export interface ShelfTable {
  id: Id;
  warehouse_id: number;
  counter_id: number | null;
  code: string;
  name: string;
  active: Generated<boolean>;
}

export interface DistributionRelationTable {
  id: Id;
  store_id: number;
  dc_id: number;
  priority: Generated<number>;
  level: Generated<number>;
}

export interface BusinessDayTable {
  org_id: number;
  day: DateStr;
  closed_at: Generated<Date>;
  closed_by: number | null;
  finance_started: Generated<boolean>;
}

export interface ProductTable {
  id: Id;
  code: string;
  name: string;
  batch_tracked: Generated<boolean>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  // Master-data columns (migration 0002_catalog).
  spec: Generated<string>;
  pinyin: Generated<string>;
  base_unit_id: number | null;
  category_id: number | null;
  brand_id: number | null;
  manufacturer_id: number | null;
  default_supplier_id: number | null;
  tax_rate: ColumnType<string, string | number | undefined, string | number>;
  shelf_life_days: number | null;
  min_requisition_qty: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  weighed: Generated<boolean>;
  scale_code: string | null;
  banned_from_requisition: Generated<boolean>;
  not_carried: Generated<boolean>;
  discontinued: Generated<boolean>;
  prescription: Generated<boolean>;
  origin: string | null;
  remarks: string | null;
  version: Generated<number>;
  updated_at: Generated<Date>;
  /** Set by trigger on every write (till delta sync); bigint: read through Number(). */
  change_seq: ColumnType<string | number, never, never>;
}

export interface AppUserTable {
  id: Id;
  login: string;
  name: string;
  org_id: number;
  password_hash: string;
  active: Generated<boolean>;
  locale: Generated<string>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  password_changed_at: Generated<Date>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface RoleTable {
  id: Id;
  code: string;
  name: string;
  name_en: string | null;
  org_id: number | null;
  builtin: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface RoleGrantTable {
  role_id: number;
  function_code: string;
  action: string;
}

export interface UserRoleTable {
  user_id: number;
  role_id: number;
  org_id: number;
}

export interface UserSessionTable {
  id: Id;
  token_hash: string;
  user_id: number;
  kind: 'cookie' | 'bearer';
  csrf_token: string | null;
  label: string | null;
  ip: string | null;
  user_agent: string | null;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Date;
  revoked_at: Date | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Generated<Date>;
  user_id: number | null;
  login: string | null;
  org_id: number | null;
  ip: string | null;
  request_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: Json | null;
  after: Json | null;
  detail: Json | null;
}

export interface IdempotencyRecordTable {
  user_id: number;
  key: string;
  request_hash: string;
  status_code: number | null;
  response: Json | null;
  created_at: Generated<Date>;
}

export interface DocTypeConfigTable {
  doc_type: string;
  org_id: number;
  needs_approval: boolean;
  auto_post: boolean;
}

export interface DocumentSequenceTable {
  doc_type: string;
  org_id: number;
  day: DateStr;
  last_value: number;
}

export interface DocumentTable {
  id: Id;
  doc_type: string;
  org_id: number;
  number: string;
  status: string;
  business_date: DateStr;
  warehouse_id: number | null;
  counterparty_org_id: number | null;
  partner_id: number | null;
  ref_document_id: number | null;
  remarks: string | null;
  attrs: Json;
  total_qty: Numeric;
  total_amount: Numeric;
  line_approval: Generated<boolean>;
  reject_comment: string | null;
  created_by: number;
  created_at: Generated<Date>;
  updated_by: number | null;
  updated_at: Generated<Date>;
  submitted_at: Date | null;
  approved_by: number | null;
  approved_at: Date | null;
  confirmed_by: number | null;
  confirmed_at: Date | null;
  posted_by: number | null;
  posted_at: Date | null;
  completed_at: Date | null;
  voided_by: number | null;
  voided_at: Date | null;
  version: Generated<number>;
}

export interface DocumentLineTable {
  id: Id;
  document_id: number;
  line_no: number;
  product_id: number | null;
  qty: Numeric;
  unit_price: Numeric;
  amount: Numeric;
  warehouse_id: number | null;
  batch_no: Generated<string>;
  lot_no: Generated<string>;
  expiry_date: DateStr | null;
  shelf_id: number | null;
  stock_status: Generated<string>;
  status: Generated<'active' | 'void'>;
  approval_status: 'pending' | 'approved' | 'rejected' | null;
  approval_comment: string | null;
  ref_line_id: number | null;
  remarks: string | null;
  attrs: Json;
}

export interface StockLedgerTable {
  id: Generated<number>;
  org_id: number;
  warehouse_id: number;
  product_id: number;
  batch_no: string;
  lot_no: string;
  expiry_date: DateStr | null;
  shelf_id: number;
  status: string;
  qty: Numeric;
  unit_cost: Numeric;
  amount: Numeric;
  source_type: string;
  source_id: number;
  source_line_id: number | null;
  /** The source split by kind, each a foreign key checked at commit (generated from source_type/source_id). */
  source_document_id: GeneratedAlways<number | null>;
  source_sale_id: GeneratedAlways<number | null>;
  business_date: DateStr;
  created_by: number | null;
  created_at: Generated<Date>;
}

export interface StockBalanceTable {
  warehouse_id: number;
  product_id: number;
  batch_no: string;
  lot_no: string;
  shelf_id: number;
  status: string;
  org_id: number;
  expiry_date: DateStr | null;
  qty: Numeric;
  /** When stock last arrived under this key (from zero or below): FEFO's second key. */
  received_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface StockCostTable {
  warehouse_id: number;
  product_id: number;
  qty: Numeric;
  avg_cost: Numeric;
  /** Bumped by every posting of the pair (see postStockMoves). */
  version: Generated<number>;
  updated_at: Generated<Date>;
}

export interface StockBatchTable {
  product_id: number;
  batch_no: string;
  lot_no: string;
  expiry_date: DateStr | null;
  unit_cost: Numeric;
  source_type: string | null;
  source_id: number | null;
  created_at: Generated<Date>;
}

/** Every table: the spine's below, each module's in its own schema.<module>.ts. */
export interface DB extends ModuleTables {
  org: OrgTable;
  org_params: OrgParamsTable;
  warehouse: WarehouseTable;
  counter: CounterTable;
  shelf: ShelfTable;
  distribution_relation: DistributionRelationTable;
  business_day: BusinessDayTable;
  product: ProductTable;
  app_user: AppUserTable;
  role: RoleTable;
  role_grant: RoleGrantTable;
  user_role: UserRoleTable;
  user_session: UserSessionTable;
  audit_log: AuditLogTable;
  idempotency_record: IdempotencyRecordTable;
  doc_type_config: DocTypeConfigTable;
  document_sequence: DocumentSequenceTable;
  document: DocumentTable;
  document_line: DocumentLineTable;
  stock_ledger: StockLedgerTable;
  stock_balance: StockBalanceTable;
  stock_cost: StockCostTable;
  stock_batch: StockBatchTable;
}
