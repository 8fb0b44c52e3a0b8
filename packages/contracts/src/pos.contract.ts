import { defineContract } from './module.js';
import { posErrors, posFunctions } from './pos.js';

/** The pos module (the till and the store day): see pos.ts and pos/*.ts. */
export const contract = defineContract({ key: 'pos', errors: posErrors, functions: posFunctions });
