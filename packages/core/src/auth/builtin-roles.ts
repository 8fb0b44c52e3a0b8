import { type Action, allGrants, DOC_TYPES, type DocType, type FunctionCode, functionCatalog, type Grant } from '@erp/contracts';
import { catalogRoleGrants } from '../catalog/catalog.roles.js';
import { inventoryRoleGrants } from '../inventory/inventory.roles.js';
import { posRoleGrants } from '../pos/pos.roles.js';
import { purchasingRoleGrants } from '../purchasing/purchasing.roles.js';
import type { BuiltinRoleCode, RoleGrantContribution } from './role-grants.js';

function grants(fn: FunctionCode, actions: readonly Action[] | 'all'): Grant[] {
  const all = functionCatalog[fn].actions as readonly Action[];
  return (actions === 'all' ? all : actions.filter((a) => all.includes(a))).map((a) => ({ function: fn, action: a }));
}

function docGrants(types: readonly DocType[], actions: readonly Action[] | 'all'): Grant[] {
  return types.flatMap((t) => grants(`doc.${t}`, actions));
}

const hqApprovedDocTypes: DocType[] = ['loss', 'overage', 'first_operation'];

const storeDocTypes: DocType[] = [
  'purchase_receipt',
  'purchase_return',
  'self_purchase',
  'first_operation',
  'loss',
  'overage',
  'stocktake',
  'internal_adjustment',
  'warehouse_move',
  'other_inbound',
  'other_outbound',
];

/**
 * The roles every installation starts with (AUTH-1). They are re-synced on start so new functions reach
 * them; customers add their own roles beside them.
 */
const contributions: RoleGrantContribution[] = [catalogRoleGrants, inventoryRoleGrants, purchasingRoleGrants, posRoleGrants];

function moduleGrants(role: BuiltinRoleCode): Grant[] {
  return contributions.flatMap((c) => (c[role] ?? []).flatMap((g) => grants(g.function, g.actions)));
}

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
      ...grants('stock', 'all'),
      ...grants('product', ['view', 'export']),
      // Loss, overage and first-operation applications are approved at HQ (INV-4, MD-5), never by the store itself.
      ...docGrants(storeDocTypes, [
        'view',
        'create',
        'edit',
        'submit',
        'confirm',
        'post',
        'complete',
        'void',
        'rollback',
        'export',
      ]),
      ...docGrants(
        storeDocTypes.filter((t) => !hqApprovedDocTypes.includes(t)),
        ['approve'],
      ),
    ],
  },
  {
    code: 'cashier',
    name: '收银员',
    nameEn: 'Cashier',
    grants: () => [...grants('product', ['view']), ...grants('stock', ['view'])],
  },
  {
    code: 'store_keeper',
    name: '门店保管员',
    nameEn: 'Store warehouse keeper',
    grants: () => [
      ...grants('org', ['view']),
      ...grants('warehouse', ['view']),
      ...grants('stock', ['view', 'export']),
      ...grants('product', ['view']),
      ...docGrants(storeDocTypes, [
        'view',
        'create',
        'edit',
        'submit',
        'confirm',
        'post',
        'complete',
        'void',
        'rollback',
        'export',
      ]),
    ],
  },
  {
    code: 'buyer',
    name: '采购员',
    nameEn: 'Buyer',
    grants: () => [
      ...grants('org', ['view']),
      ...grants('warehouse', ['view']),
      ...grants('stock', ['view', 'export']),
      ...grants('product', ['view', 'create', 'edit', 'import', 'export']),
      ...docGrants(
        ['purchase_order', 'purchase_return', 'price_change', 'first_operation'],
        ['view', 'create', 'edit', 'submit', 'confirm', 'complete', 'void', 'export'],
      ),
      ...docGrants(['purchase_receipt'], ['view', 'export']),
    ],
  },
  {
    code: 'dc_keeper',
    name: '配送中心保管员',
    nameEn: 'DC warehouse keeper',
    grants: () => [
      ...grants('org', ['view']),
      ...grants('warehouse', 'all'),
      ...grants('stock', ['view', 'export']),
      ...grants('product', ['view']),
      ...docGrants(['purchase_order'], ['view']),
      ...docGrants(
        [
          'purchase_receipt',
          'purchase_return',
          'stocktake',
          'internal_adjustment',
          'warehouse_move',
          'other_inbound',
          'other_outbound',
          'loss',
          'overage',
        ],
        ['view', 'create', 'edit', 'submit', 'confirm', 'post', 'complete', 'void', 'export'],
      ),
    ],
  },
  {
    code: 'finance',
    name: '财务',
    nameEn: 'Finance',
    grants: () => [
      ...grants('org', ['view']),
      ...grants('audit', ['view', 'export']),
      ...grants('stock', ['view', 'export']),
      ...grants('product', ['view']),
      ...docGrants(DOC_TYPES, ['view', 'export']),
      ...docGrants(['loss', 'overage', 'price_change', 'first_operation'], ['approve']),
    ],
  },
];

export const builtinRoles = spineRoles.map((r) => ({
  ...r,
  grants: () => {
    const seen = new Set<string>();
    return [...r.grants(), ...moduleGrants(r.code)].filter((g) => {
      const k = `${g.function}:${g.action}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  },
}));
