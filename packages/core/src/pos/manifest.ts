import { defineModule } from '../platform/module.js';
import { seedPosDemo } from './pos.demo.js';
import { posRoleGrants } from './pos.roles.js';

/** The till and the store day (POS-1…11): tills, sales, returns, shifts, uploads, daily close. */
export const manifest = defineModule({
  key: 'pos',
  after: ['catalog', 'inventory', 'purchasing'],
  roles: posRoleGrants,
  demo: seedPosDemo,
});
