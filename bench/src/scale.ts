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
    label: '10 stores × 200 products, 3,000 ledger rows',
  },
  quick: {
    name: 'quick',
    stores: 200,
    products: 2_500,
    ledgerRows: 1_000_000,
    queryRequests: 300,
    pgbenchSeconds: 10,
    pgliteSales: 5_000,
    pgliteApiSales: 3_000,
    label: '200 stores × 2,500 products, 1,000,000 ledger rows',
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
    label: '200 stores × 20,000 products, 5,000,000 ledger rows',
  },
};
