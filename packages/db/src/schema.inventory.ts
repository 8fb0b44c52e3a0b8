// Table types of the inventory module's migrations. Column conventions: see schema.ts.
import type { Generated, GeneratedAlways } from 'kysely';
import type { DateStr, Numeric, Timestamp } from './schema.js';

export interface StocktakeTable {
  document_id: number;
  org_id: number;
  warehouse_id: number | null;
  mode: 'static' | 'dynamic';
  since: DateStr | null;
  counter_id: number | null;
  shelf_id: number | null;
  entry_mode: 'sheet' | 'blind';
  uncounted_as: Generated<'zero' | 'book'>;
  snapshot_ledger_id: number;
  snapshot_at: Generated<Date>;
  surplus_qty: Numeric | null;
  surplus_amount: Numeric | null;
  shortage_qty: Numeric | null;
  shortage_amount: Numeric | null;
  generated_at: Timestamp | null;
  generated_by: number | null;
}

export interface StocktakeLineTable {
  id: Generated<number>;
  document_id: number;
  line_no: number;
  origin: 'sheet' | 'blind';
  warehouse_id: number;
  product_id: number;
  batch_no: Generated<string>;
  lot_no: Generated<string>;
  expiry_date: DateStr | null;
  shelf_id: Generated<number>;
  status: Generated<string>;
  book_qty: Numeric;
  counted_qty: Numeric | null;
  count_ledger_id: number | null;
  counted_by: number | null;
  counted_at: Timestamp | null;
  moved_qty: Numeric | null;
  book_at_count: Numeric | null;
  variance_qty: Numeric | null;
  unit_cost: Numeric | null;
  variance_amount: Numeric | null;
}

/** A stock exception (issue 9): a paid sale booked below zero (stock debt) or one that took an expired lot. */
export interface StockExceptionTable {
  id: Generated<number>;
  kind: 'stock_debt' | 'expired_sold';
  org_id: number;
  warehouse_id: number;
  product_id: number;
  batch_no: Generated<string>;
  lot_no: Generated<string>;
  expiry_date: DateStr | null;
  qty: Numeric;
  source_type: 'document' | 'pos_sale';
  source_id: number;
  source_line_id: number | null;
  source_document_id: GeneratedAlways<number | null>;
  source_sale_id: GeneratedAlways<number | null>;
  business_date: DateStr;
  status: Generated<'open' | 'resolved'>;
  resolution: 'stock_arrived' | 'acknowledged' | null;
  resolved_source_type: string | null;
  resolved_source_id: number | null;
  resolved_by: number | null;
  resolved_at: Timestamp | null;
  note: string | null;
  created_at: Generated<Date>;
}

export interface InventoryTables {
  stock_exception: StockExceptionTable;
  stocktake: StocktakeTable;
  stocktake_line: StocktakeLineTable;
}
