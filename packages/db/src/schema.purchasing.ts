// Table types of the purchasing module's migrations. Column conventions: see schema.ts.
import type { ColumnType, Generated } from 'kysely';
import type { DateStr, Numeric } from './schema.js';

type NullableNumeric = ColumnType<string | null, string | number | null | undefined, string | number | null>;

export interface PurchasingSettingTable {
  org_id: number;
  require_purchase_order: boolean | null;
  over_receipt_tolerance_pct: NullableNumeric;
  self_purchase_allowed: boolean | null;
  updated_at: Generated<Date>;
  updated_by: number | null;
}

export interface PurchaseOrderLineProgressTable {
  po_line_id: number;
  po_id: number;
  received_qty: Numeric;
  updated_at: Generated<Date>;
}

export interface PurchaseOrderClosureTable {
  po_id: number;
  reason: string;
  closed_by: number | null;
  closed_at: Generated<Date>;
}

export interface PurchaseAcceptanceTable {
  id: Generated<number>;
  org_id: number;
  warehouse_id: number;
  document_id: number;
  document_line_id: number;
  doc_type: string;
  partner_id: number | null;
  product_id: number;
  batch_no: Generated<string>;
  lot_no: Generated<string>;
  expiry_date: DateStr | null;
  received_qty: Numeric;
  accepted_qty: Numeric;
  rejected_qty: Numeric;
  conclusion: 'accepted' | 'partly_rejected' | 'rejected';
  reject_reason: string | null;
  inspector: string;
  inspector_user_id: number | null;
  inspected_at: Generated<Date>;
  business_date: DateStr;
  voided_at: Date | null;
}

export interface PurchasePayableTable {
  id: Generated<number>;
  org_id: number;
  partner_id: number;
  document_id: number;
  document_line_id: number | null;
  doc_type: string;
  amount: Numeric;
  business_date: DateStr;
  created_at: Generated<Date>;
}

export interface FirstOperationResultTable {
  document_id: number;
  kind: 'product' | 'supplier' | 'manufacturer';
  product_id: number | null;
  partner_id: number | null;
  created: boolean;
  decided_by: number | null;
  decided_at: Generated<Date>;
}

export interface PurchasingTables {
  purchasing_setting: PurchasingSettingTable;
  purchase_order_line_progress: PurchaseOrderLineProgressTable;
  purchase_order_closure: PurchaseOrderClosureTable;
  purchase_acceptance: PurchaseAcceptanceTable;
  purchase_payable: PurchasePayableTable;
  first_operation_result: FirstOperationResultTable;
}
