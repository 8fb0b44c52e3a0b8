// Table types of the purchasing module's migrations. Column conventions: see schema.ts.

// biome-ignore lint/suspicious/noEmptyInterface: filled in by the module's migrations.
export interface PurchasingTables {}
