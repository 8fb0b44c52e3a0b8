import type { Action, DocType, FunctionCode } from '@erp/contracts';
import type { Ctx } from './context.js';

// A module's manifest: what it contributes to the spine beyond its own API. Each module declares one in
// `<module>/manifest.ts`; scripts/modules.mjs lists them (modules.generated.ts) and registry.ts orders them.
// The other layers have their own per-module files (see docs/modules.md): contracts <module>.contract.ts,
// db schema.<module>.ts and migrations, server routes/<module>.routes.ts and scope-probes/<module>.ts,
// test-kit <module>.ts, web features/<module>/feature.tsx.

export type BuiltinRoleCode = 'hq_admin' | 'store_admin' | 'cashier' | 'store_keeper' | 'buyer' | 'dc_keeper' | 'finance';

/** A module's contribution to the built-in roles: which of its functions' actions each role holds. */
export type RoleGrantContribution = Partial<
  Record<BuiltinRoleCode, { function: FunctionCode; actions: readonly Action[] | 'all' }[]>
>;

/** The demo chain's orgs, handed to each module's demo seed. */
/** Role contribution entries for document types: the same actions on each type's `doc.<type>` function. */
export function docGrants(
  types: readonly DocType[],
  actions: readonly Action[] | 'all',
): { function: FunctionCode; actions: readonly Action[] | 'all' }[] {
  return types.map((t) => ({ function: `doc.${t}` as FunctionCode, actions }));
}

/** The working actions on a document (everything but approving it). */
export const DOC_WORK = [
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
] as const;

export interface DemoChain {
  companyId: number;
  hqId: number;
  dcId: number;
  dcWarehouseId: number;
  retailCentreId: number;
  stores: { id: number; code: string; name: string; warehouseId: number; franchise: boolean }[];
}

export interface ModuleManifest {
  /** The folder's name. */
  key: string;
  /** Modules whose data this one's demo builds on (seeded first); the registry orders by it. */
  after?: readonly string[];
  /** What the built-in roles hold of this module's functions and document types (AUTH-1). */
  roles?: RoleGrantContribution;
  /** Demo data through the module's own services, on the demo chain (first start of an empty database). */
  demo?: (ctx: Ctx, chain: DemoChain) => Promise<void>;
}

export function defineModule(m: ModuleManifest): ModuleManifest {
  return m;
}
