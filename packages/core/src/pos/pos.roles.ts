import type { RoleGrantContribution } from '../auth/role-grants.js';

/** What the built-in roles may do in the pos module (hq_admin holds everything anyway). */
export const posRoleGrants: RoleGrantContribution = {};
