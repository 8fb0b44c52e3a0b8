// Table types of the inventory module's migrations. Column conventions: see schema.ts.
import type { Generated } from 'kysely';
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

export interface InventoryTables {
  stocktake: StocktakeTable;
  stocktake_line: StocktakeLineTable;
}
