import type { Bilingual } from './i18n.js';
import type { Action } from './permissions.js';

/** What a module contributes to the error catalog: code → HTTP status and zh/en messages with {placeholders}. */
export type ErrorDefs = Record<string, Bilingual & { status: number }>;

/** What a module contributes to the permission catalog: function code → labels, menu module and actions. */
export type FunctionDefs = Record<string, Bilingual & { module: string; actions: readonly Action[] }>;

/**
 * A document type a module owns: its name, the prefix of its numbers, and whether posting moves stock (then the
 * org's auto-post setting applies and it appears in the generic inbound/outbound review).
 */
export type DocTypeDefs = Record<string, Bilingual & { prefix: string; stockEffect: boolean }>;

/**
 * A module's contract: what it adds to the catalogs every layer shares. Each module declares it once in a
 * `<module>.contract.ts` file; scripts/modules.mjs lists those files (modules.generated.ts) and the catalogs
 * (errors.ts, permissions.ts, doc-types.ts) are composed from the list — adding a module edits none of them.
 */
export interface ContractModule<E extends ErrorDefs, F extends FunctionDefs, D extends DocTypeDefs> {
  key: string;
  errors: E;
  functions: F;
  docTypes: D;
}

// biome-ignore lint/complexity/noBannedTypes: an empty catalog part is exactly `{}` (it adds no keys to the union).
type None = {};

export function defineContract<
  const E extends ErrorDefs = None,
  const F extends FunctionDefs = None,
  const D extends DocTypeDefs = None,
>(m: { key: string; errors?: E; functions?: F; docTypes?: D }): ContractModule<E, F, D> {
  return { key: m.key, errors: m.errors ?? ({} as E), functions: m.functions ?? ({} as F), docTypes: m.docTypes ?? ({} as D) };
}

/** The intersection of a union: the catalogs of all modules as one type. */
export type Merged<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never;
