import type { RoleGrantContribution } from '../auth/role-grants.js';

/** What the built-in roles may do in the catalog module (hq_admin holds everything anyway). */
export const catalogRoleGrants: RoleGrantContribution = {};
