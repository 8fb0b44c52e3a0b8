import type { ErrorDefs, FunctionDefs } from '../module.js';

/** Error codes of the till and the store day (POS-1…11, ORG-4/5, AUTH-4). Clients switch on the code. */
export const posErrors = {
  POS_PAIRING_CODE_INVALID: {
    status: 401,
    zh: '配对码（传输密码）无效、已使用或已过期',
    en: 'The pairing code is invalid, already used or expired',
  },
  POS_TERMINAL_TOKEN_INVALID: {
    status: 401,
    zh: '本收银机未注册或已停用，请重新配对',
    en: 'This till is not registered or has been disabled; pair it again',
  },
  POS_TILL_SESSION_REQUIRED: {
    status: 403,
    zh: '此操作只能由已在收银机上登录的收银员进行',
    en: 'This can only be done by a cashier signed in on a till',
  },
  POS_PIN_INVALID: { status: 401, zh: '工号或收银密码错误', en: 'Wrong login or till PIN' },
  POS_PIN_LOCKED: {
    status: 423,
    zh: '收银密码错误次数过多，已锁定至 {until}',
    en: 'Too many wrong PINs; locked until {until}',
  },
  POS_PIN_NOT_SET: {
    status: 409,
    zh: '{login} 还没有设置收银密码',
    en: '{login} has no till PIN yet',
  },
  POS_PIN_POLICY: {
    status: 400,
    zh: '收银密码须为 6–12 位数字，且不能是连续或相同的数字',
    en: 'The till PIN must have 6–12 digits and must not be a run or a repeated digit',
  },
  POS_NOT_A_CASHIER: {
    status: 403,
    zh: '{login} 没有在门店 {store} 收银的权限',
    en: '{login} may not sell at store {store}',
  },
  POS_NOT_A_SUPERVISOR: {
    status: 403,
    zh: '{login} 没有特殊功能授权的权限',
    en: '{login} may not authorise special functions',
  },
  POS_DISCOUNT_BEYOND_LIMIT: {
    status: 403,
    zh: '折扣 {rate}% 超出权限（上限 {limit}%），需要主管授权',
    en: 'A discount of {rate}% is beyond the limit of {limit}%; a supervisor must authorise it',
  },
  POS_AUTHORIZATION_REQUIRED: {
    status: 403,
    zh: '“{purpose}”需要主管授权',
    en: '"{purpose}" needs a supervisor\'s authorisation',
  },
  POS_AUTHORIZATION_INVALID: {
    status: 409,
    zh: '授权 {id} 无效、已过期、已使用或不适用于本操作',
    en: 'Authorisation {id} is invalid, expired, used, or not for this operation',
  },
  POS_PRICE_MISSING: {
    status: 409,
    zh: '商品 {product} 在本店没有{priceType}价格',
    en: 'Product {product} has no {priceType} price at this store',
  },
  POS_PRICE_CHANGED: {
    status: 409,
    zh: '商品 {product} 的价格已变为 {price}（收银机为 {tillPrice}），请同步后重新结算',
    en: 'The price of {product} is now {price} (the till had {tillPrice}); sync and settle again',
  },
  POS_TOTAL_MISMATCH: {
    status: 409,
    zh: '应收金额不一致：收银机 {expected}，服务器 {computed}',
    en: 'Totals differ: the till computed {expected}, the server {computed}',
  },
  POS_DISCOUNT_INVALID: {
    status: 400,
    zh: '折扣无效（第 {line} 行）：{reason}',
    en: 'Invalid discount (line {line}): {reason}',
  },
  POS_TENDER_SHORT: {
    status: 409,
    zh: '实收 {paid} 少于应收 {due}',
    en: 'Paid {paid} is less than the {due} due',
  },
  POS_TENDER_INVALID: { status: 400, zh: '付款方式有误：{reason}', en: 'Invalid tender: {reason}' },
  POS_PAYMENT_NOT_SETTLED: {
    status: 409,
    zh: '移动支付 {intent} 尚未确认成功（当前：{status}）',
    en: 'Mobile payment {intent} has not succeeded (it is {status})',
  },
  POS_PAYMENT_STATE: {
    status: 409,
    zh: '支付单 {intent} 当前为“{status}”，不能{action}',
    en: 'Payment {intent} is {status}; it cannot be {action}',
  },
  POS_PAYMENT_MISMATCH: {
    status: 409,
    zh: '支付单 {intent} 的金额或所属销售与本单不符',
    en: 'Payment {intent} does not match this sale (amount or sale)',
  },
  POS_SALE_STATE: {
    status: 409,
    zh: '销售单 {receiptNo} 当前为“{status}”，不能{action}',
    en: 'Sale {receiptNo} is {status}; it cannot be {action}',
  },
  POS_SALE_CONFLICT: {
    status: 409,
    zh: '单据标识 {clientId} 已用于另一张销售单',
    en: 'Client id {clientId} already belongs to another sale',
  },
  POS_RECEIPT_OUT_OF_RANGE: {
    status: 409,
    zh: '小票号 {receiptNo} 不在收银机 {terminal} 领用的号段内',
    en: 'Receipt number {receiptNo} is outside the ranges issued to till {terminal}',
  },
  POS_RECEIPT_DUPLICATE: {
    status: 409,
    zh: '小票号 {receiptNo} 已被另一张销售单使用',
    en: 'Receipt number {receiptNo} is already used by another sale',
  },
  POS_RETURN_EXCEEDS: {
    status: 409,
    zh: '退货数量超出：{product} 原销售 {sold}，已退 {returned}，本次 {requested}',
    en: 'Return too large: {product} sold {sold}, returned {returned}, now {requested}',
  },
  POS_RETURN_LINE_INVALID: {
    status: 400,
    zh: '退货明细 {line} 不属于原小票 {receiptNo}',
    en: 'Return line {line} is not on receipt {receiptNo}',
  },
  POS_SHIFT_REQUIRED: { status: 409, zh: '请先开班', en: 'Open a shift first' },
  POS_SHIFT_ALREADY_OPEN: {
    status: 409,
    zh: '收银员在本机已有未交班的班次 {shift}',
    en: 'The cashier already has an open shift {shift} on this till',
  },
  POS_SHIFT_STATE: {
    status: 409,
    zh: '班次 {shift} 当前为“{status}”，不能{action}',
    en: 'Shift {shift} is {status}; it cannot be {action}',
  },
  POS_CLOSE_NOT_EARLIEST: {
    status: 409,
    zh: '只能日结最早未日结的营业日 {earliest}',
    en: 'Only the earliest unclosed business day, {earliest}, can be closed',
  },
  POS_CLOSE_FUTURE: {
    status: 409,
    zh: '营业日 {day} 还没有到，不能日结',
    en: 'Business day {day} has not come yet; it cannot be closed',
  },
  POS_REOPEN_NOT_LATEST: {
    status: 409,
    zh: '只能回填最近一个已日结的营业日 {latest}',
    en: 'Only the latest closed business day, {latest}, can be reopened',
  },
  POS_REOPEN_FINANCE_STARTED: {
    status: 409,
    zh: '总部已开始营业日 {day} 的财务核算，不能回填日结',
    en: 'Finance has started on business day {day}; it cannot be reopened',
  },
  POS_NOTHING_CLOSED: { status: 409, zh: '门店还没有已日结的营业日', en: 'The store has no closed business day' },
  POS_UPLOAD_ERROR_STATE: {
    status: 409,
    zh: '上传错误 {id} 当前为“{status}”，不能{action}',
    en: 'Upload error {id} is {status}; it cannot be {action}',
  },
  POS_WRONG_TERMINAL: {
    status: 403,
    zh: '单据属于收银机 {terminal}，不能由本机上传',
    en: 'The sale belongs to till {terminal}; this till cannot upload it',
  },
  POS_REASON_REQUIRED: { status: 400, zh: '请填写原因', en: 'A reason is required' },
  POS_CLIENT_ID_REUSED: {
    status: 409,
    zh: '销售标识 {clientId} 已用于另一笔内容不同的销售（小票 {receiptNo}），不能再用于这笔销售',
    en: 'Sale id {clientId} already belongs to a different sale (receipt {receiptNo}); it cannot be used for this one',
  },
  POS_UPLOAD_INVALID: {
    status: 400,
    zh: '销售数据有误：{fieldZh}：{reasonZh}。请主管在“上传错误”中修正后重试',
    en: 'Invalid sale data: {fieldEn}: {reasonEn}. A supervisor corrects it under Upload errors and retries',
  },
  POS_CLOSE_UPLOAD_ERRORS_OPEN: {
    status: 409,
    zh: '营业日 {day} 还有 {count} 笔脱机销售上传失败未处理，不能日结：请在“上传错误”中修正后重试或作废，或由主管将其移到下一营业日',
    en: '{count} offline sale(s) of business day {day} failed to upload and are still open; the day cannot close: correct and retry or discard them under Upload errors, or have a supervisor move them to the next business day',
  },
} as const satisfies ErrorDefs;

/** Grantable functions of the pos module (AUTH-1). */
export const posFunctions = {
  'pos.terminal': {
    zh: '收银机',
    en: 'Tills',
    module: 'pos',
    actions: ['view', 'create', 'edit', 'manage'],
  },
  'pos.settings': {
    zh: '收银设置（抹零、热键、小票模板、折扣权限）',
    en: 'Till settings (rounding, hotkeys, receipts, discount limits)',
    module: 'pos',
    actions: ['view', 'edit'],
  },
  'pos.sale': {
    zh: '零售前台开票与零售流水',
    en: 'Till sales and the retail journal',
    module: 'pos',
    actions: ['view', 'create', 'edit', 'void', 'export'],
  },
  'pos.return': { zh: '零售退货', en: 'Till returns', module: 'pos', actions: ['create'] },
  'pos.authorize': {
    zh: '特殊功能授权',
    en: 'Special-function authorisation',
    module: 'pos',
    actions: ['approve'],
  },
  'pos.shift': {
    zh: '收银班次、交班与缴款',
    en: 'Shifts, hand-over and cash deposit',
    module: 'pos',
    actions: ['view', 'create', 'complete', 'export'],
  },
  'pos.daily_close': {
    zh: '零售日结与日结回填',
    en: 'Daily close and reopen',
    module: 'pos',
    actions: ['view', 'confirm', 'rollback', 'export'],
  },
  'pos.upload': {
    zh: '脱机上传',
    en: 'Offline upload',
    module: 'pos',
    actions: ['create', 'view', 'edit', 'manage'],
  },
  'pos.review': {
    zh: '零售出库复核',
    en: 'Retail outbound review',
    module: 'pos',
    actions: ['view', 'post'],
  },
} as const satisfies FunctionDefs;
