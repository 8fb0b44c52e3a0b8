import type { Benchmark, PendingBenchmark } from '../model.js';
import { checkoutApi } from './checkout-api.js';
import { checkoutLimit } from './checkout-limit.js';
import { stockQuery } from './stock-query.js';
import { stockRecalculation } from './stock-recalculation.js';

/**
 * Every benchmark whose product code has landed, in run order (the recalculation first, on the pristine
 * generated ledger; the limit before the checkout that is measured against it). Adding one = one new file
 * in this folder + one line here, and removing its entry from `pending`.
 */
export const benchmarks: Benchmark[] = [stockRecalculation, stockQuery, checkoutLimit, checkoutApi];

/** Asked for by issue 6, waiting for their product code: listed in the report as not yet available. */
export const pending: PendingBenchmark[] = [
  {
    id: 'daily-close',
    title: '日结 Daily close of one store-day with 5,000 sales',
    target: '≤ 1 s on PostgreSQL',
    waitingFor: 'the POS daily close (packages/core/src/pos)',
  },
  {
    id: 'pos-catalog',
    title: 'POS 商品同步 Catalog cold load of 100,000 products and delta after 1,000 price changes',
    target: 'cold ≤ 5 s; delta ≤ 1 s and ≤ 200 KB',
    waitingFor: 'the till catalog sync (packages/core/src/pos, pricing)',
  },
  {
    id: 'master-data-import',
    title: '基础资料导入 Import of 50,000 products from .xlsx',
    target: '≤ 60 s on PGlite',
    waitingFor: 'the master-data import (packages/core/src/imports, catalog)',
  },
];
