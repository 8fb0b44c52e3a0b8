import type { ErrorDefs, FunctionDefs } from './module.js';

// Contracts of the purchasing module: Zod schemas shared by server and web, its error codes and its grantable functions.

export const purchasingErrors = {} as const satisfies ErrorDefs;

export const purchasingFunctions = {} as const satisfies FunctionDefs;
