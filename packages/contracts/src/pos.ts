import type { ErrorDefs, FunctionDefs } from './module.js';

// Contracts of the pos module: Zod schemas shared by server and web, its error codes and its grantable functions.

export const posErrors = {} as const satisfies ErrorDefs;

export const posFunctions = {} as const satisfies FunctionDefs;
