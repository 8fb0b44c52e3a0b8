import { z } from 'zod';
import { openStoreCatalogOption } from './catalog/products.js';
import { id } from './common.js';
import type { FieldIssue } from './errors.js';
import { entity } from './fields.js';
import { bilingual, pattern, text } from './validation.js';

export const ORG_KINDS = ['company', 'hq', 'dc', 'retail_centre', 'store'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];
export const STORE_MODES = ['direct', 'franchise'] as const;
export type StoreMode = (typeof STORE_MODES)[number];
export const BUSINESS_MODES = ['supermarket', 'wholesale'] as const;
export type BusinessMode = (typeof BUSINESS_MODES)[number];

export const orgKindLabels = {
  company: { zh: '公司', en: 'Company' },
  hq: { zh: '总部', en: 'Headquarters' },
  dc: { zh: '配送中心', en: 'Distribution centre' },
  retail_centre: { zh: '零售中心', en: 'Retail centre' },
  store: { zh: '门店', en: 'Store' },
} as const;

/** Which kinds may sit under which (ORG-1). DCs may be nested (multi-level distribution). */
export const allowedParents: Record<OrgKind, readonly (OrgKind | null)[]> = {
  company: [null],
  hq: ['company'],
  dc: ['company', 'hq', 'dc'],
  retail_centre: ['company', 'hq'],
  store: ['company', 'hq', 'retail_centre', 'dc'],
};

/** Org kinds that hold goods and so have warehouses. */
export const GOODS_HOLDING_KINDS: readonly OrgKind[] = ['dc', 'store'];

/** Codes of orgs, warehouses, counters and shelves: letters, digits, _ and -. */
export const orgCode = text()
  .trim()
  .min(1)
  .max(32)
  .check(pattern(/^[A-Za-z0-9_-]+$/, 'code_chars', { chars: '_ -' }));
const code = orgCode;
const name = text().trim().min(1).max(100);

export const createOrgBody = entity(
  'org',
  z.object({
    parentId: id.nullable(),
    code,
    name,
    nameEn: text().trim().max(100).optional(),
    kind: z.enum(ORG_KINDS),
    storeMode: z.enum(STORE_MODES).optional(),
    region: text().trim().max(50).optional(),
    address: text().trim().max(200).optional(),
    phone: text().trim().max(50).optional(),
  }),
).refine(
  (o) => (o.kind === 'store') === (o.storeMode !== undefined),
  bilingual('门店必须选择直营或加盟；其他机构不能选择', 'A store needs a mode (direct/franchise); other orgs must not have one', [
    'storeMode',
  ]),
);
export type CreateOrgCommand = z.infer<typeof createOrgBody>;

export const updateOrgBody = entity(
  'org',
  z.object({
    name: name.optional(),
    nameEn: text().trim().max(100).nullable().optional(),
    region: text().trim().max(50).nullable().optional(),
    address: text().trim().max(200).nullable().optional(),
    phone: text().trim().max(50).nullable().optional(),
    active: z.boolean().optional(),
  }),
);
export type UpdateOrgCommand = z.infer<typeof updateOrgBody>;

export const orgParamsBody = z.object({
  businessMode: z.enum(BUSINESS_MODES).optional(),
  allowNegativeStock: z.boolean().optional(),
  receivingUpdatesDefaultShelf: z.boolean().optional(),
  handoverShowsExpectedCash: z.boolean().optional(),
});
export type OrgParamsCommand = z.infer<typeof orgParamsBody>;

export const createWarehouseBody = entity('warehouse', z.object({ orgId: id, code, name, isDefault: z.boolean().optional() }));
export type CreateWarehouseCommand = z.infer<typeof createWarehouseBody>;
export const createCounterBody = entity('counter', z.object({ orgId: id, code, name }));
export type CreateCounterCommand = z.infer<typeof createCounterBody>;
export const createShelfBody = entity('shelf', z.object({ warehouseId: id, counterId: id.optional(), code, name }));
export type CreateShelfCommand = z.infer<typeof createShelfBody>;

export const distributionRelationBody = z.object({
  storeId: id,
  dcId: id,
  priority: z.number().int().min(0).max(10_000).default(100),
  level: z.number().int().min(1).max(9).default(1),
});
export type DistributionRelationCommand = z.infer<typeof distributionRelationBody>;

export const docTypeConfigBody = z.object({
  orgId: id,
  docType: text().max(40),
  needsApproval: z.boolean(),
  autoPost: z.boolean(),
});
export type DocTypeConfigCommand = z.infer<typeof docTypeConfigBody>;

const openStoreWarehouses = z.array(entity('warehouse', z.object({ code, name })));
const openStoreDcs = z.array(
  z.object({ dcId: id, priority: z.number().int().min(0).default(100), level: z.number().int().min(1).default(1) }),
);
const openStoreUsers = z.array(
  entity(
    'user',
    z.object({
      login: text().trim().min(2).max(50),
      name,
      password: text().min(1).max(200),
      roleCodes: z.array(text().max(50)).min(1),
    }),
  ),
);

const openStoreStore = {
  parentId: id,
  code,
  name,
  nameEn: text().trim().max(100).optional(),
  storeMode: z.enum(STORE_MODES),
  region: text().trim().max(50).optional(),
  address: text().trim().max(200).optional(),
  phone: text().trim().max(50).optional(),
};

export const openStoreBody = entity(
  'store',
  z.object({
    ...openStoreStore,
    /** Omitted: one default warehouse named after the store. */
    warehouses: openStoreWarehouses.default([]),
    supplyingDcs: openStoreDcs.default([]),
    params: orgParamsBody.default({}),
    users: openStoreUsers.default([]),
    /** 门店基础资料: copy another store's assortment, or name the categories it may see (omitted: the whole catalog). */
    catalog: openStoreCatalogOption.optional(),
  }),
);
export type OpenStoreCommand = z.input<typeof openStoreBody>;

/**
 * The wizard's step check (开新店, ORG-2): whatever part of the command the user has filled in so far. A part
 * left out is not checked — `warehouses` omitted is not "the default warehouse" until the final submit.
 */
export const openStoreCheckBody = entity(
  'store',
  z
    .object({
      ...openStoreStore,
      warehouses: openStoreWarehouses,
      supplyingDcs: openStoreDcs,
      users: openStoreUsers,
    })
    .partial(),
);
export type OpenStoreCheckCommand = z.input<typeof openStoreCheckBody>;

/** The step check's answer: the issues the final submit would raise for what was sent (none: go on). */
export interface OpenStoreCheck {
  issues: FieldIssue[];
}
