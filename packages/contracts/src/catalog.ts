import type { ErrorDefs, FunctionDefs } from './module.js';

// Contracts of the catalog module: Zod schemas shared by server and web, its error codes and its grantable functions.

export const catalogErrors = {} as const satisfies ErrorDefs;

export const catalogFunctions = {} as const satisfies FunctionDefs;
