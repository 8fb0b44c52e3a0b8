import { inventoryErrors, inventoryFunctions } from './inventory.js';
import { defineContract } from './module.js';

/** The inventory module (stock ledger, stock documents, stocktakes): see inventory.ts. */
export const contract = defineContract({
  key: 'inventory',
  errors: inventoryErrors,
  functions: inventoryFunctions,
  docTypes: {
    loss: { zh: '报损单', en: 'Loss', prefix: 'LS', stockEffect: true },
    overage: { zh: '报溢单', en: 'Overage', prefix: 'OV', stockEffect: true },
    stocktake: { zh: '盘点单', en: 'Stocktake', prefix: 'ST', stockEffect: false },
    internal_adjustment: { zh: '库内调整单', en: 'Internal adjustment', prefix: 'IA', stockEffect: true },
    warehouse_move: { zh: '移库单', en: 'Warehouse move', prefix: 'WM', stockEffect: true },
    other_inbound: { zh: '其他入库单', en: 'Other inbound', prefix: 'OI', stockEffect: true },
    other_outbound: { zh: '其他出库单', en: 'Other outbound', prefix: 'OO', stockEffect: true },
  },
});
