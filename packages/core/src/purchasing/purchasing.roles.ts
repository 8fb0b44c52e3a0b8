import { DOC_WORK, docGrants, type RoleGrantContribution } from '../platform/module.js';

/** Purchasing documents a store works with (self-purchase and first-operation only where HQ grants the right). */
const STORE_DOCS = ['purchase_receipt', 'purchase_return', 'self_purchase', 'first_operation'] as const;

/**
 * What the built-in roles may do in the purchasing module (hq_admin holds everything anyway): the buyer orders;
 * keepers receive and return; the store manager works every store document and approves all but first-operation
 * applications, which finance approves at HQ (MD-5).
 */
export const purchasingRoleGrants: RoleGrantContribution = {
  buyer: [
    { function: 'purchasing_settings', actions: ['view'] },
    { function: 'purchase_query', actions: ['view', 'export'] },
    { function: 'acceptance_record', actions: ['view', 'export'] },
    { function: 'purchase_payable', actions: ['view', 'export'] },
    { function: 'doc.purchase_return', actions: ['view', 'export'] },
    ...docGrants(
      ['purchase_order', 'purchase_return', 'first_operation'],
      ['view', 'create', 'edit', 'submit', 'confirm', 'complete', 'void', 'export'],
    ),
    ...docGrants(['purchase_receipt'], ['view', 'export']),
  ],
  dc_keeper: [
    { function: 'purchasing_settings', actions: ['view'] },
    { function: 'purchase_query', actions: ['view', 'export'] },
    { function: 'acceptance_record', actions: ['view', 'export'] },
    { function: 'doc.purchase_order', actions: ['view', 'export'] },
    ...docGrants(
      ['purchase_receipt', 'purchase_return'],
      ['view', 'create', 'edit', 'submit', 'confirm', 'post', 'complete', 'void', 'export'],
    ),
  ],
  store_keeper: [
    { function: 'purchasing_settings', actions: ['view'] },
    { function: 'purchase_query', actions: ['view', 'export'] },
    { function: 'acceptance_record', actions: ['view', 'export'] },
    { function: 'doc.purchase_order', actions: ['view'] },
    ...docGrants(STORE_DOCS, DOC_WORK),
  ],
  store_admin: [
    { function: 'purchasing_settings', actions: ['view'] },
    { function: 'purchase_query', actions: ['view', 'export'] },
    { function: 'acceptance_record', actions: ['view', 'export'] },
    { function: 'purchase_payable', actions: ['view', 'export'] },
    { function: 'doc.purchase_order', actions: 'all' },
    ...docGrants(STORE_DOCS, DOC_WORK),
    ...docGrants(['purchase_receipt', 'purchase_return', 'self_purchase'], ['approve']),
  ],
  finance: [
    { function: 'purchasing_settings', actions: ['view'] },
    { function: 'purchase_query', actions: ['view', 'export'] },
    { function: 'acceptance_record', actions: ['view', 'export'] },
    { function: 'purchase_payable', actions: ['view', 'export'] },
    ...docGrants(['first_operation'], ['approve']),
  ],
};
