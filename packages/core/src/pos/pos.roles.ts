import type { RoleGrantContribution } from '../platform/module.js';

/**
 * What the built-in roles may do in the pos module (hq_admin holds everything anyway). The store manager is
 * the till supervisor: special-function authorisation (AUTH-4), cleanup, daily close and reopen.
 */
export const posRoleGrants: RoleGrantContribution = {
  cashier: [
    { function: 'pos.sale', actions: ['view', 'create'] },
    { function: 'pos.return', actions: ['create'] },
    { function: 'pos.shift', actions: ['view', 'create', 'complete'] },
    { function: 'pos.upload', actions: ['create'] },
  ],
  store_admin: [
    { function: 'pos.terminal', actions: 'all' },
    { function: 'pos.settings', actions: 'all' },
    { function: 'pos.sale', actions: 'all' },
    { function: 'pos.return', actions: 'all' },
    { function: 'pos.authorize', actions: 'all' },
    { function: 'pos.shift', actions: 'all' },
    { function: 'pos.daily_close', actions: 'all' },
    { function: 'pos.upload', actions: 'all' },
    { function: 'pos.review', actions: 'all' },
  ],
  store_keeper: [
    { function: 'pos.review', actions: 'all' },
    { function: 'pos.sale', actions: ['view'] },
  ],
  finance: [
    { function: 'pos.sale', actions: ['view', 'edit', 'export'] },
    { function: 'pos.shift', actions: ['view', 'export'] },
    { function: 'pos.daily_close', actions: ['view', 'export'] },
    { function: 'pos.upload', actions: ['view'] },
  ],
};
