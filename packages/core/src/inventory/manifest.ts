import { defineModule } from '../platform/module.js';
import { seedInventoryDemo } from './inventory.demo.js';
import { inventoryRoleGrants } from './inventory.roles.js';

/** The stock ledger and stock documents (INV-1…7): losses, overages, stocktakes, adjustments, moves. */
export const manifest = defineModule({
  key: 'inventory',
  after: ['catalog'],
  roles: inventoryRoleGrants,
  demo: seedInventoryDemo,
});
