import type { RoleGrantContribution } from '../auth/role-grants.js';

/** What the built-in roles may do in the purchasing module (hq_admin holds everything anyway). */
export const purchasingRoleGrants: RoleGrantContribution = {};
