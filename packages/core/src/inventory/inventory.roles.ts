import { DOC_WORK, docGrants, type RoleGrantContribution } from '../platform/module.js';

/** The inventory module's stock documents a store and a DC work with. */
const STOCK_DOCS = [
  'loss',
  'overage',
  'stocktake',
  'internal_adjustment',
  'warehouse_move',
  'other_inbound',
  'other_outbound',
] as const;

/**
 * What the built-in roles may do in the inventory module (hq_admin holds everything anyway): keepers create,
 * count and post; the store manager does too and approves what HQ does not (losses and overages are approved
 * by HQ finance, INV-4); finance approves losses and overages.
 */
export const inventoryRoleGrants: RoleGrantContribution = {
  store_admin: [
    { function: 'stock', actions: 'all' },
    { function: 'stock_review', actions: 'all' },
    ...docGrants(STOCK_DOCS, DOC_WORK),
    ...docGrants(['stocktake', 'internal_adjustment', 'warehouse_move', 'other_inbound', 'other_outbound'], ['approve']),
  ],
  cashier: [{ function: 'stock', actions: ['view'] }],
  store_keeper: [
    { function: 'stock', actions: ['view', 'export'] },
    { function: 'stock_review', actions: ['view', 'post', 'export'] },
    ...docGrants(STOCK_DOCS, DOC_WORK),
  ],
  buyer: [{ function: 'stock', actions: ['view', 'export'] }],
  dc_keeper: [
    { function: 'stock', actions: ['view', 'export'] },
    { function: 'stock_review', actions: ['view', 'post', 'export'] },
    ...docGrants(STOCK_DOCS, ['view', 'create', 'edit', 'submit', 'confirm', 'post', 'complete', 'void', 'export']),
  ],
  finance: [
    { function: 'stock', actions: ['view', 'export'] },
    { function: 'stock_review', actions: ['view', 'export'] },
    ...docGrants(['loss', 'overage'], ['approve']),
  ],
};
