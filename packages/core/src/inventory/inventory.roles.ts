import type { RoleGrantContribution } from '../auth/role-grants.js';

/** What the built-in roles may do in the inventory module (hq_admin holds everything anyway). */
export const inventoryRoleGrants: RoleGrantContribution = {};
