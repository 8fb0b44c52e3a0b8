import type { RoleGrantContribution } from '../auth/role-grants.js';

const view = ['view'] as const;
const viewExport = ['view', 'export'] as const;

/** What the built-in roles may do with master data (hq_admin holds everything anyway). */
export const catalogRoleGrants: RoleGrantContribution = {
  store_admin: [
    { function: 'category', actions: viewExport },
    { function: 'brand', actions: viewExport },
    { function: 'unit', actions: viewExport },
    { function: 'price', actions: viewExport },
    { function: 'supplier', actions: viewExport },
    { function: 'manufacturer', actions: viewExport },
    { function: 'customer', actions: viewExport },
    { function: 'payment_method', actions: view },
    { function: 'reason_code', actions: view },
    { function: 'catalog_settings', actions: view },
    { function: 'store_catalog', actions: view },
  ],
  cashier: [
    { function: 'price', actions: view },
    { function: 'unit', actions: view },
    { function: 'payment_method', actions: view },
    { function: 'catalog_settings', actions: view },
  ],
  store_keeper: [
    { function: 'category', actions: view },
    { function: 'unit', actions: view },
    { function: 'price', actions: view },
    { function: 'supplier', actions: view },
    { function: 'manufacturer', actions: view },
    { function: 'reason_code', actions: view },
  ],
  buyer: [
    { function: 'product', actions: ['view', 'create', 'edit', 'import', 'export'] },
    { function: 'category', actions: 'all' },
    { function: 'brand', actions: 'all' },
    { function: 'unit', actions: 'all' },
    { function: 'price', actions: 'all' },
    { function: 'supplier', actions: 'all' },
    { function: 'manufacturer', actions: 'all' },
    { function: 'customer', actions: viewExport },
    { function: 'reason_code', actions: view },
    { function: 'catalog_settings', actions: view },
    { function: 'store_catalog', actions: 'all' },
    { function: 'import_job', actions: view },
  ],
  dc_keeper: [
    { function: 'category', actions: view },
    { function: 'unit', actions: view },
    { function: 'price', actions: view },
    { function: 'supplier', actions: view },
    { function: 'manufacturer', actions: view },
    { function: 'customer', actions: view },
    { function: 'reason_code', actions: view },
  ],
  finance: [
    { function: 'category', actions: viewExport },
    { function: 'price', actions: viewExport },
    { function: 'supplier', actions: viewExport },
    { function: 'manufacturer', actions: viewExport },
    { function: 'customer', actions: ['view', 'create', 'edit', 'export', 'import'] },
    { function: 'payment_method', actions: 'all' },
    { function: 'reason_code', actions: viewExport },
    { function: 'import_job', actions: view },
  ],
};
