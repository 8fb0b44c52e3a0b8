import { type Action, allGrants, DOC_TYPES, type FunctionCode, functionCatalog, type Grant } from '@erp/contracts';
import type { BuiltinRoleCode, RoleGrantContribution } from '../platform/module.js';

function grants(fn: FunctionCode, actions: readonly Action[] | 'all'): Grant[] {
  const all = functionCatalog[fn].actions as readonly Action[];
  return (actions === 'all' ? all : actions.filter((a) => all.includes(a))).map((a) => ({ function: fn, action: a }));
}

/**
 * The built-in roles with the spine's functions (orgs, users, roles, audit, business days, document settings);
 * each module adds what the roles hold of its own functions and document types in its manifest's `roles`.
 */
const spineRoles: { code: BuiltinRoleCode; name: string; nameEn: string; grants: () => Grant[] }[] = [
  { code: 'hq_admin', name: '总部管理员', nameEn: 'HQ administrator', grants: () => allGrants() },
  {
    code: 'store_admin',
    name: '门店管理员',
    nameEn: 'Store manager',
    grants: () => [
      ...grants('org', ['view', 'export']),
      ...grants('org_params', 'all'),
      ...grants('warehouse', 'all'),
      ...grants('business_day', 'all'),
      ...grants('user', 'all'),
      ...grants('role', ['view']),
      ...grants('audit', 'all'),
      ...grants('doc_config', ['view']),
    ],
  },
  { code: 'cashier', name: '收银员', nameEn: 'Cashier', grants: () => [] },
  {
    code: 'store_keeper',
    name: '门店保管员',
    nameEn: 'Store warehouse keeper',
    grants: () => [...grants('org', ['view']), ...grants('warehouse', ['view'])],
  },
  {
    code: 'buyer',
    name: '采购员',
    nameEn: 'Buyer',
    grants: () => [...grants('org', ['view']), ...grants('warehouse', ['view'])],
  },
  {
    code: 'dc_keeper',
    name: '配送中心保管员',
    nameEn: 'DC warehouse keeper',
    grants: () => [...grants('org', ['view']), ...grants('warehouse', 'all')],
  },
  {
    code: 'finance',
    name: '财务',
    nameEn: 'Finance',
    grants: () => [
      ...grants('org', ['view']),
      ...grants('audit', ['view', 'export']),
      // Finance reads every document of every module.
      ...DOC_TYPES.flatMap((t) => grants(`doc.${t}`, ['view', 'export'])),
    ],
  },
];

export interface BuiltinRole {
  code: BuiltinRoleCode;
  name: string;
  nameEn: string;
  grants(): Grant[];
}

/**
 * The roles every installation starts with (AUTH-1), with the modules' contributions (registry.ts hands them
 * over). They are re-synced on start so new functions reach them; customers add their own roles beside them.
 */
export function builtinRoles(contributions: readonly RoleGrantContribution[]): BuiltinRole[] {
  return spineRoles.map((r) => ({
    ...r,
    grants: () => {
      const seen = new Set<string>();
      const fromModules = contributions.flatMap((c) => (c[r.code] ?? []).flatMap((g) => grants(g.function, g.actions)));
      return [...r.grants(), ...fromModules].filter((g) => {
        const k = `${g.function}:${g.action}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    },
  }));
}
