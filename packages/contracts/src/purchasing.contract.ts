import { defineContract } from './module.js';
import { purchasingErrors, purchasingFunctions } from './purchasing.js';

/** The purchasing module (orders, receiving, returns, self-purchase, first-operation applications): see purchasing.ts. */
export const contract = defineContract({
  key: 'purchasing',
  errors: purchasingErrors,
  functions: purchasingFunctions,
  docTypes: {
    purchase_order: { zh: '采购订单', en: 'Purchase order', prefix: 'PO', stockEffect: false },
    purchase_receipt: { zh: '验收入库单', en: 'Purchase receipt', prefix: 'PR', stockEffect: true },
    purchase_return: { zh: '进货退货单', en: 'Purchase return', prefix: 'PT', stockEffect: true },
    self_purchase: { zh: '门店自行采购单', en: 'Store self-purchase', prefix: 'SP', stockEffect: true },
    first_operation: { zh: '首营申请', en: 'First-time operation application', prefix: 'FO', stockEffect: false },
  },
});
