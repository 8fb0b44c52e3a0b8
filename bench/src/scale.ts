export const SCALES = ['tiny', 'quick', 'full'] as const;
export type ScaleName = (typeof SCALES)[number];

/** How big the generated chain is and how long each benchmark runs. */
export interface Scale {
  name: ScaleName;
  /** Stores (each with one warehouse); the stock tables are stores × products. */
  stores: number;
  products: number;
  /** Stock ledger rows for the recalculation (≥ stores × products: every balance has an opening row). */
  ledgerRows: number;
  /** Stock query: requests per query shape (after warm-up). */
  queryRequests: number;
  /** Checkout limit on PostgreSQL: pgbench seconds per client count. */
  pgbenchSeconds: number;
  /** Checkout limit on PGlite: sales in the in-process loop. */
  pgliteSales: number;
  /** Checkout through the HTTP API on PGlite: sales by the one client (the decay check wants many). */
  pgliteApiSales: number;
  /** Daily close: sales in the store-day that is closed. */
  closeSales: number;
  /** Till catalog sync: products in the catalog (the chain's are topped up) and price changes for the delta. */
  catalogProducts: number;
  priceChanges: number;
  /** Master-data import: rows of the .xlsx (the target is per 50,000). */
  importRows: number;
  /** The ISO timestamp-free label used in reports. */
  label: string;
}

export const scales: Record<ScaleName, Scale> = {
  tiny: {
    name: 'tiny',
    stores: 10,
    products: 200,
    ledgerRows: 3_000,
    queryRequests: 10,
    pgbenchSeconds: 2,
    pgliteSales: 300,
    pgliteApiSales: 100,
    closeSales: 50,
    catalogProducts: 1_000,
    priceChanges: 50,
    importRows: 200,
    label: '10 stores × 200 products, 3,000 ledger rows',
  },
  quick: {
    name: 'quick',
    stores: 200,
    products: 2_000,
    ledgerRows: 600_000,
    queryRequests: 200,
    pgbenchSeconds: 10,
    pgliteSales: 3_000,
    pgliteApiSales: 1_000,
    closeSales: 5_000,
    catalogProducts: 20_000,
    priceChanges: 1_000,
    importRows: 10_000,
    label: '200 stores × 2,000 products, 600,000 ledger rows',
  },
  full: {
    name: 'full',
    stores: 200,
    products: 20_000,
    ledgerRows: 5_000_000,
    queryRequests: 1_000,
    pgbenchSeconds: 30,
    pgliteSales: 50_000,
    pgliteApiSales: 50_000,
    closeSales: 5_000,
    catalogProducts: 100_000,
    priceChanges: 1_000,
    importRows: 50_000,
    label: '200 stores × 20,000 products, 5,000,000 ledger rows',
  },
};
