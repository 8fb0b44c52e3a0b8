import type { RoleGrantContribution } from '../auth/role-grants.js';

/**
 * What the built-in roles may do in the inventory module (hq_admin holds everything anyway). Document
 * grants (loss, overage, stocktake, internal adjustment, warehouse move, other in/out) come with the spine's
 * roles: keepers create, count and post; finance approves losses and overages.
 */
export const inventoryRoleGrants: RoleGrantContribution = {
  store_admin: [{ function: 'stock_review', actions: 'all' }],
  store_keeper: [{ function: 'stock_review', actions: ['view', 'post', 'export'] }],
  dc_keeper: [{ function: 'stock_review', actions: ['view', 'post', 'export'] }],
  finance: [{ function: 'stock_review', actions: ['view', 'export'] }],
};
