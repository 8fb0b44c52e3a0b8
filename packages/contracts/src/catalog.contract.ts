import { catalogErrors, catalogFunctions } from './catalog.js';
import { defineContract } from './module.js';

/** The catalog module (master data, prices, partners, imports): see catalog.ts. */
export const contract = defineContract({
  key: 'catalog',
  errors: catalogErrors,
  functions: catalogFunctions,
  docTypes: {
    price_change: { zh: '调价单', en: 'Price change', prefix: 'PC', stockEffect: false },
  },
});
