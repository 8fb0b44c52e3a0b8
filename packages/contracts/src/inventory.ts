import type { ErrorDefs, FunctionDefs } from './module.js';

// Contracts of the inventory module: Zod schemas shared by server and web, its error codes and its grantable functions.

export const inventoryErrors = {} as const satisfies ErrorDefs;

export const inventoryFunctions = {} as const satisfies FunctionDefs;
