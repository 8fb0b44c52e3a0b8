import { defineFeature } from '../../shared/feature';
import { m } from './messages';

/** Stock queries (INV-3): balances by warehouse/product/batch/lot/shelf/status, and the ledger. */
export const feature = defineFeature({
  key: 'stock',
  messages: m,
  group: 'inventory',
  pages: [
    {
      path: '/stock/balances',
      title: 'page.balances',
      grant: 'stock:view',
      order: 10,
      load: () => import('./StockBalancesPage'),
    },
    { path: '/stock/ledger', title: 'page.ledger', grant: 'stock:view', order: 20, load: () => import('./StockLedgerPage') },
    { path: '/stock/movements', title: 'page.movements', grant: 'stock:view', order: 30, load: () => import('./MovementsPage') },
    {
      path: '/stock/near-expiry',
      title: 'page.nearExpiry',
      grant: 'stock:view',
      order: 40,
      load: () => import('./NearExpiryPage'),
    },
  ],
});
