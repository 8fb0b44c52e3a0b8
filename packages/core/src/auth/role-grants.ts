import type { Action, FunctionCode } from '@erp/contracts';

export type BuiltinRoleCode = 'hq_admin' | 'store_admin' | 'cashier' | 'store_keeper' | 'buyer' | 'dc_keeper' | 'finance';

/** A module's contribution to the built-in roles: which of its functions' actions each role holds. */
export type RoleGrantContribution = Partial<
  Record<BuiltinRoleCode, { function: FunctionCode; actions: readonly Action[] | 'all' }[]>
>;
