import { defineModule } from '../platform/module.js';
import { seedPurchasingDemo } from './purchasing.demo.js';
import { purchasingRoleGrants } from './purchasing.roles.js';

/** Purchasing (PUR-1…4, MD-5): orders, receiving, returns, store self-purchase, first-operation applications. */
export const manifest = defineModule({
  key: 'purchasing',
  after: ['catalog', 'inventory'],
  roles: purchasingRoleGrants,
  demo: seedPurchasingDemo,
});
