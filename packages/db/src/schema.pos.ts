// Table types of the pos module's migrations. Column conventions: see schema.ts.
import type { ColumnType, Generated } from 'kysely';
import type { DateStr, Json, Numeric } from './schema.js';

type Seq = Generated<number>;
type NullableNumeric = ColumnType<string | null, string | number | null | undefined, string | number | null>;

export interface PosStoreSettingsTable {
  store_id: number;
  rounding_unit: Generated<'0' | '0.1' | '1'>;
  rounding_mode: Generated<'down' | 'half_up'>;
  hotkeys: Json;
  receipt_templates: Json;
  allow_offline_authorization: Generated<boolean>;
  authorization_ttl_seconds: Generated<number>;
  sell_expired: Generated<boolean>;
  sync_seq: Seq;
  updated_at: Generated<Date>;
}

export interface PosTerminalTable {
  id: Generated<number>;
  store_id: number;
  code: string;
  name: string;
  status: Generated<'unpaired' | 'active' | 'disabled'>;
  settings: Json;
  receipt_prefix: string;
  pairing_code_hash: string | null;
  pairing_expires_at: Date | null;
  token_hash: string | null;
  device_name: string | null;
  paired_at: Date | null;
  last_seen_at: Date | null;
  sync_seq: Seq;
  created_by: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PosReceiptBlockTable {
  terminal_id: number;
  first_no: number;
  last_no: number;
  issued_at: Generated<Date>;
}

export interface PosTillSessionTable {
  session_id: number;
  terminal_id: number;
  store_id: number;
  user_id: number;
  signed_in_at: Generated<Date>;
}

export interface PosCashierTable {
  user_id: number;
  pin_salt: string | null;
  pin_hash: string | null;
  pin_iterations: number | null;
  max_discount_rate: NullableNumeric;
  failed_pins: Generated<number>;
  locked_until: Date | null;
  sync_seq: Seq;
  updated_at: Generated<Date>;
}

export interface PosRoleLimitTable {
  org_id: number;
  role_id: number;
  max_discount_rate: Numeric;
}

export interface PosAuthorizationTable {
  id: string;
  store_id: number;
  terminal_id: number | null;
  supervisor_id: number;
  requested_by: number;
  purpose: string;
  client_sale_id: string | null;
  max_discount_rate: NullableNumeric;
  reason: string | null;
  offline: Generated<boolean>;
  created_at: Generated<Date>;
  expires_at: Date;
  used_at: Date | null;
  used_by_sale_id: number | null;
}

export interface PosShiftTable {
  id: string;
  store_id: number;
  terminal_id: number;
  cashier_id: number;
  business_day: DateStr;
  opened_at: Generated<Date>;
  float_amount: Numeric;
  status: Generated<'open' | 'handed_over'>;
  offline: Generated<boolean>;
  handed_over_at: Date | null;
  handed_over_by: number | null;
  expected_cash: NullableNumeric;
  deposit: NullableNumeric;
  over_short: NullableNumeric;
  denominations: Json | null;
  remarks: string | null;
}

export interface PosCashMovementTable {
  id: Generated<number>;
  shift_id: string;
  store_id: number;
  kind: 'paid_out' | 'paid_in';
  amount: Numeric;
  reason: string;
  created_by: number;
  created_at: Generated<Date>;
}

export interface PosSaleTable {
  id: Generated<number>;
  client_id: string;
  store_id: number;
  terminal_id: number;
  cashier_id: number;
  shift_id: string | null;
  kind: Generated<'sale' | 'return'>;
  status: 'temporary' | 'formal' | 'held' | 'void';
  receipt_no: string;
  business_day: DateStr;
  sold_at: Date;
  created_at: Generated<Date>;
  completed_at: Date | null;
  member_id: number | null;
  price_type: Generated<string>;
  original_sale_id: number | null;
  gross: Numeric;
  strategy_discount: Numeric;
  line_discount: Numeric;
  sale_discount: Numeric;
  rounding: Numeric;
  total: Numeric;
  paid: Numeric;
  change_amount: Numeric;
  cogs: NullableNumeric;
  warehouse_id: number;
  fulfilment: Generated<'none' | 'posted' | 'awaiting_review' | 'reviewed'>;
  reviewed_by: number | null;
  reviewed_at: Date | null;
  offline: Generated<boolean>;
  price_variance: Generated<boolean>;
  authorization_id: string | null;
  sale_discount_kind: string | null;
  sale_discount_value: NullableNumeric;
  invoice_no: string | null;
  invoice_at: Date | null;
  voided_at: Date | null;
  voided_by: number | null;
  void_reason: string | null;
  remarks: string | null;
  client_fingerprint: string | null;
  late: Generated<boolean>;
}

export interface PosSaleLineTable {
  id: Generated<number>;
  sale_id: number;
  line_no: number;
  product_id: number;
  qty: Numeric;
  base_price: Numeric;
  list_price: NullableNumeric;
  gross: Numeric;
  strategy_discount: Numeric;
  line_discount: Numeric;
  sale_discount: Numeric;
  rounding: Numeric;
  amount: Numeric;
  discount_kind: string | null;
  discount_value: NullableNumeric;
  unit_cost: NullableNumeric;
  cost_amount: NullableNumeric;
  original_line_id: number | null;
  barcode: string | null;
}

export interface PosSaleTenderTable {
  sale_id: number;
  seq: number;
  method: string;
  amount: Numeric;
  tendered: Numeric;
  change_amount: Numeric;
  reference: string | null;
  payment_intent_id: string | null;
  original_seq: number | null;
}

export interface PosPaymentIntentTable {
  id: string;
  kind: Generated<'payment' | 'refund'>;
  original_intent_id: string | null;
  store_id: number;
  terminal_id: number;
  cashier_id: number;
  client_sale_id: string;
  channel: string;
  provider: string;
  amount: Numeric;
  status: 'pending' | 'succeeded' | 'failed' | 'unknown' | 'cancelled' | 'refunded';
  provider_ref: string | null;
  failure_code: string | null;
  refunded_amount: Generated<string>;
  sale_id: number | null;
  attempts: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PosUploadErrorTable {
  id: Generated<number>;
  store_id: number;
  terminal_id: number;
  client_id: string;
  receipt_no: string;
  /** The sale as the till sent it, JSON text (may hold characters jsonb refuses). */
  payload: string;
  error_code: string;
  error_params: Json;
  status: Generated<'open' | 'resolved' | 'discarded'>;
  attempts: Generated<number>;
  sale_id: number | null;
  resolution: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  updated_by: number | null;
  client_fingerprint: string | null;
  shift_id: string | null;
  cash_net: NullableNumeric;
  sale_day: DateStr;
  deferred_to: DateStr | null;
  deferred_reason: string | null;
}

export interface PosDailyReportTable {
  store_id: number;
  day: DateStr;
  report: Json;
  closed_at: Generated<Date>;
  closed_by: number | null;
  reopened_at: Date | null;
  reopened_by: number | null;
  reopen_reason: string | null;
}

export interface PosTables {
  pos_store_settings: PosStoreSettingsTable;
  pos_terminal: PosTerminalTable;
  pos_receipt_block: PosReceiptBlockTable;
  pos_till_session: PosTillSessionTable;
  pos_cashier: PosCashierTable;
  pos_role_limit: PosRoleLimitTable;
  pos_authorization: PosAuthorizationTable;
  pos_shift: PosShiftTable;
  pos_cash_movement: PosCashMovementTable;
  pos_sale: PosSaleTable;
  pos_sale_line: PosSaleLineTable;
  pos_sale_tender: PosSaleTenderTable;
  pos_payment_intent: PosPaymentIntentTable;
  pos_upload_error: PosUploadErrorTable;
  pos_daily_report: PosDailyReportTable;
}
