import type { RoleGrantContribution } from '../auth/role-grants.js';

/**
 * What the built-in roles may do in the purchasing module (hq_admin holds everything anyway). The spine
 * already grants the document functions (buyer: orders; keepers: receipts and returns; store manager: every
 * store document; finance: approving first-operation applications); this adds the module's own functions.
 */
export const purchasingRoleGrants: RoleGrantContribution = {
  buyer: [
    { function: 'purchasing_settings', actions: ['view'] },
    { function: 'purchase_query', actions: ['view', 'export'] },
    { function: 'acceptance_record', actions: ['view', 'export'] },
    { function: 'purchase_payable', actions: ['view', 'export'] },
    { function: 'doc.purchase_return', actions: ['view', 'export'] },
  ],
  dc_keeper: [
    { function: 'purchasing_settings', actions: ['view'] },
    { function: 'purchase_query', actions: ['view', 'export'] },
    { function: 'acceptance_record', actions: ['view', 'export'] },
    { function: 'doc.purchase_order', actions: ['view', 'export'] },
  ],
  store_keeper: [
    { function: 'purchasing_settings', actions: ['view'] },
    { function: 'purchase_query', actions: ['view', 'export'] },
    { function: 'acceptance_record', actions: ['view', 'export'] },
    { function: 'doc.purchase_order', actions: ['view'] },
  ],
  store_admin: [
    { function: 'purchasing_settings', actions: ['view'] },
    { function: 'purchase_query', actions: ['view', 'export'] },
    { function: 'acceptance_record', actions: ['view', 'export'] },
    { function: 'purchase_payable', actions: ['view', 'export'] },
    { function: 'doc.purchase_order', actions: 'all' },
  ],
  finance: [
    { function: 'purchasing_settings', actions: ['view'] },
    { function: 'purchase_query', actions: ['view', 'export'] },
    { function: 'acceptance_record', actions: ['view', 'export'] },
    { function: 'purchase_payable', actions: ['view', 'export'] },
  ],
};
