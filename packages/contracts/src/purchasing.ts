import type { ErrorDefs, FunctionDefs } from './module.js';

// Contracts of the purchasing module: Zod schemas shared by server and web (./purchasing/*.ts), its error
// codes and its grantable functions.
export * from './purchasing/schemas.js';

export const purchasingErrors = {
  PUR_ORG_CANNOT_PURCHASE: {
    status: 400,
    zh: '{org} 不是配送中心或门店，不能采购收货',
    en: '{org} is neither a distribution centre nor a store; it cannot buy or receive goods',
  },
  PUR_WAREHOUSE_REQUIRED: { status: 400, zh: '请选择收货仓库', en: 'Choose the receiving warehouse' },
  PUR_SUPPLIER_REQUIRED: { status: 400, zh: '请选择供应商', en: 'Choose a supplier' },
  PUR_SUPPLIER_INVALID: {
    status: 409,
    zh: '{partner} 不是启用状态的供应商',
    en: '{partner} is not an active supplier',
  },
  PUR_PRODUCT_INACTIVE: {
    status: 409,
    zh: '商品 {product} 已停用，不能采购',
    en: 'Product {product} is inactive and cannot be purchased',
  },
  PUR_UNIT_MISMATCH: {
    status: 400,
    zh: '第 {line} 行：基本单位数量 {qty} 与包装数量 {unitQty} × 换算系数 {factor} 不符',
    en: 'Line {line}: base quantity {qty} does not equal {unitQty} packs × factor {factor}',
  },
  PUR_PO_REQUIRED: {
    status: 409,
    zh: '{org} 的验收入库必须依据采购订单（第 {line} 行未引用订单明细）',
    en: 'Receipts at {org} must follow a purchase order (line {line} references no order line)',
  },
  PUR_PO_NOT_OPEN: {
    status: 409,
    zh: '采购订单 {number} 当前为“{status}”，不能再收货',
    en: 'Purchase order {number} is {status}; nothing more can be received against it',
  },
  PUR_PO_MISMATCH: {
    status: 400,
    zh: '单据与采购订单 {number} 的{field}不一致',
    en: 'The {field} differs from purchase order {number}',
  },
  PUR_PO_HAS_RECEIPTS: {
    status: 409,
    zh: '采购订单 {number} 已有收货，不能作废；请做手工结案',
    en: 'Purchase order {number} has receipts and cannot be voided; close it short instead',
  },
  PUR_PO_NOT_CLOSABLE: {
    status: 409,
    zh: '采购订单 {number} 当前为“{status}”，只有已确认的订单才能结案',
    en: 'Purchase order {number} is {status}; only a confirmed order can be closed',
  },
  PUR_REF_LINE_INVALID: {
    status: 400,
    zh: '第 {line} 行引用的明细 {refLineId} 不属于{document}，或商品不一致',
    en: 'Line {line} references line {refLineId}, which is not on {document} or is for another product',
  },
  PUR_OVER_RECEIPT: {
    status: 409,
    zh: '商品 {product} 超收：订单 {number} 未收数量 {open}，本次收货 {qty}，最多可收 {max}（超收容差 {tolerance}%）',
    en: 'Over-receipt of {product}: {open} still open on order {number}, {qty} received now, at most {max} allowed (tolerance {tolerance}%)',
  },
  PUR_LOT_REQUIRED: {
    status: 400,
    zh: '第 {line} 行商品 {product} 按批次管理，须填写批号和有效期',
    en: 'Line {line}: product {product} is batch-tracked and needs a lot number and an expiry date',
  },
  PUR_QTY_INVALID: {
    status: 400,
    zh: '第 {line} 行：实收数量与拒收数量不能为负，且不能都为 0',
    en: 'Line {line}: accepted and rejected quantities cannot be negative and cannot both be 0',
  },
  PUR_RETURN_REF_REQUIRED: {
    status: 400,
    zh: '进货退货第 {line} 行须引用已记账的验收入库或自行采购明细',
    en: 'Return line {line} must reference a line of a posted receipt or self-purchase',
  },
  PUR_RETURN_EXCEEDS: {
    status: 409,
    zh: '商品 {product} 退货 {qty} 超过可退数量 {available}（实收 {received}，已退及待退 {returned}）',
    en: 'Returning {qty} of {product} exceeds the {available} returnable ({received} received, {returned} returned or pending)',
  },
  PUR_SELF_PURCHASE_NOT_ALLOWED: {
    status: 403,
    zh: '{org} 未获总部授予自行采购权',
    en: '{org} has not been granted the right to buy for itself by headquarters',
  },
  PUR_LINE_HAS_RETURN: {
    status: 409,
    zh: '第 {line} 行已被进货退货单 {number} 引用，不能作废',
    en: 'Line {line} is referenced by purchase return {number} and cannot be voided',
  },
  PUR_LINE_NOT_ACTIVE: {
    status: 409,
    zh: '第 {line} 行已作废',
    en: 'Line {line} is already void',
  },
  PUR_SHELF_NOT_IN_WAREHOUSE: {
    status: 400,
    zh: '货架 {shelf} 不属于仓库 {warehouse}',
    en: 'Shelf {shelf} does not belong to warehouse {warehouse}',
  },
  PUR_HQ_ONLY: {
    status: 403,
    zh: '此操作须由总部执行：{what}',
    en: 'Only headquarters may do this: {what}',
  },
  PUR_FIRST_OP_NOT_APPROVED: {
    status: 409,
    zh: '首营申请 {number} 须经总部审核通过后才能生成基础资料',
    en: 'First-operation application {number} must be approved by headquarters before it creates master data',
  },
  PUR_FIRST_OP_EXISTS: {
    status: 409,
    zh: '{kind} {code} 已存在，无需首营申请',
    en: '{kind} {code} already exists; no first-operation application is needed',
  },
} as const satisfies ErrorDefs;

export const purchasingFunctions = {
  purchasing_settings: {
    zh: '采购参数',
    en: 'Purchasing settings',
    module: 'purchasing',
    actions: ['view', 'edit'],
  },
  acceptance_record: {
    zh: '药品/商品验收记录',
    en: 'Acceptance records',
    module: 'purchasing',
    actions: ['view', 'export'],
  },
  purchase_query: {
    zh: '进货明细查询',
    en: 'Purchase detail query',
    module: 'purchasing',
    actions: ['view', 'export'],
  },
  purchase_payable: {
    zh: '采购应付',
    en: 'Purchase payables',
    module: 'purchasing',
    actions: ['view', 'export'],
  },
} as const satisfies FunctionDefs;
