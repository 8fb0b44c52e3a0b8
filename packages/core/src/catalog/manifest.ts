import { defineModule } from '../platform/module.js';
import { seedCatalogDemo } from './catalog.demo.js';
import { catalogRoleGrants } from './catalog.roles.js';

/** Master data (MD-1…5): products, categories, units and brands, prices, store assortments. */
export const manifest = defineModule({ key: 'catalog', roles: catalogRoleGrants, demo: seedCatalogDemo });
