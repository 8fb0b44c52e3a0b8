import { defineFeature } from '../../shared/feature';
import { m } from './messages';

/** Orgs, opening a store, store parameters, warehouses/counters/shelves, distribution relations (ORG-1…3). */
export const feature = defineFeature({
  key: 'org',
  messages: m,
  group: 'org',
  pages: [
    { path: '/org/orgs', title: 'page.orgs', grant: 'org:view', order: 10, load: () => import('./OrgsPage') },
    { path: '/org/open-store', title: 'page.openStore', grant: 'org:create', order: 20, load: () => import('./OpenStorePage') },
    { path: '/org/params', title: 'page.params', grant: 'org_params:view', order: 30, load: () => import('./StoreParamsPage') },
    {
      path: '/org/warehouses',
      title: 'page.warehouses',
      grant: 'warehouse:view',
      order: 40,
      load: () => import('./WarehousesPage'),
    },
    {
      path: '/org/distribution',
      title: 'page.distribution',
      grant: 'org:view',
      order: 50,
      load: () => import('./DistributionPage'),
    },
  ],
});
