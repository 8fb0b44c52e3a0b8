import type { Merged } from './module.js';
import { contractModules } from './modules.generated.js';

type ModuleDocTypes = Merged<(typeof contractModules)[number]['docTypes']>;

/**
 * Every document type the product knows, from the modules' contracts (<module>.contract.ts). `prefix` starts its
 * numbers; `stockEffect` says whether posting moves stock (and therefore whether the org's auto-post setting
 * applies). Kept apart from documents.ts, whose lifecycle the modules' own schemas import.
 */
export const docTypes = Object.assign({}, ...contractModules.map((m) => m.docTypes)) as ModuleDocTypes;

export type DocType = keyof ModuleDocTypes & string;
export const DOC_TYPES = Object.keys(docTypes) as DocType[];
