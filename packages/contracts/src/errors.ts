import { type Bilingual, type Locale, localized } from './i18n.js';
import type { Merged } from './module.js';
import { contractModules } from './modules.generated.js';

interface ErrorDef extends Bilingual {
  status: number;
}

/**
 * Every error the API can return, with its HTTP status and its message in both languages.
 * Codes are stable: clients (the till, integrations) switch on them, never on the message text.
 * `{name}` placeholders are filled from the error's params.
 */
const spineErrors = {
  VALIDATION_FAILED: { status: 400, zh: '输入有误，请检查标出的字段', en: 'Some fields are invalid' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please sign in' },
  SESSION_EXPIRED: { status: 401, zh: '登录已过期，请重新登录', en: 'Your session has expired; please sign in again' },
  INVALID_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Wrong login name or password' },
  ACCOUNT_LOCKED: {
    status: 423,
    zh: '密码错误次数过多，账号已锁定至 {until}',
    en: 'Too many failed sign-ins; the account is locked until {until}',
  },
  ACCOUNT_DISABLED: { status: 403, zh: '账号已停用', en: 'This account is disabled' },
  PASSWORD_POLICY: {
    status: 400,
    zh: '密码不符合要求：至少 10 位，须同时包含字母和数字，且不能与登录名相同',
    en: 'The password must have at least 10 characters, contain letters and digits, and differ from the login name',
  },
  WRONG_PASSWORD: { status: 400, zh: '原密码不正确', en: 'The current password is wrong' },
  FORBIDDEN: { status: 403, zh: '没有“{function}”的“{action}”权限', en: 'You are not allowed to {action} {function}' },
  CSRF_FAILED: {
    status: 403,
    zh: '请求校验失败（CSRF），请刷新页面后重试',
    en: 'Request check failed (CSRF); reload the page and try again',
  },
  NOT_FOUND: { status: 404, zh: '{entity} {id} 不存在或无权查看', en: '{entity} {id} does not exist or is not visible to you' },
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在', en: 'No such endpoint' },
  DUPLICATE: { status: 409, zh: '{field} “{value}” 已存在', en: '{field} "{value}" already exists' },
  CONFLICT: { status: 409, zh: '数据已被他人修改，请刷新后重试', en: 'The data was changed by someone else; reload and retry' },
  RATE_LIMITED: { status: 429, zh: '操作过于频繁，请 {after} 后再试', en: 'Too many requests; retry after {after}' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    zh: '幂等键 {key} 已用于另一个请求',
    en: 'Idempotency key {key} was already used for a different request',
  },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '提交的数据过大', en: 'The request is too large' },
  INTERNAL: { status: 500, zh: '服务器内部错误（请求号 {requestId}）', en: 'Internal server error (request {requestId})' },

  // Organisation
  ORG_INVALID_PARENT: {
    status: 400,
    zh: '“{kind}”类型的机构不能建在“{parentKind}”之下',
    en: 'An org of kind "{kind}" cannot be placed under a "{parentKind}"',
  },
  ORG_NOT_A_STORE: { status: 400, zh: '{org} 不是门店', en: '{org} is not a store' },
  ORG_NOT_A_DC: { status: 400, zh: '{org} 不是配送中心', en: '{org} is not a distribution centre' },
  ORG_HOLDS_NO_GOODS: { status: 400, zh: '{org} 不能设置仓库', en: '{org} cannot hold warehouses' },
  CANNOT_MANAGE_USER: {
    status: 403,
    zh: '只能管理本机构及下属机构的用户',
    en: 'You may only manage users of your own org and the orgs below it',
  },
  ROLE_GRANT_BEYOND_OWN: {
    status: 403,
    zh: '不能授予自己没有的权限：{grant}',
    en: 'You cannot grant a permission you do not hold: {grant}',
  },
  LAST_ADMIN: { status: 409, zh: '不能停用最后一个总部管理员', en: 'The last HQ administrator cannot be disabled' },

  // Documents
  DOC_INVALID_TRANSITION: {
    status: 409,
    zh: '单据 {number} 当前为“{status}”，不能执行“{action}”',
    en: 'Document {number} is {status}; it cannot be {action}',
  },
  DOC_REJECT_COMMENT_REQUIRED: { status: 400, zh: '审核不通过必须填写意见', en: 'A rejection needs a comment' },
  DOC_VOID_POSTED: {
    status: 409,
    zh: '单据 {number} 已记账，不能作废；请做冲销单据',
    en: 'Document {number} is posted and cannot be voided; create a reversing document',
  },
  DOC_NOT_EDITABLE: {
    status: 409,
    zh: '单据 {number} 当前为“{status}”，不能修改',
    en: 'Document {number} is {status} and cannot be edited',
  },
  DOC_ROLLBACK_NOT_ALLOWED: { status: 409, zh: '{docType}不允许回退', en: '{docType} documents cannot be rolled back' },
  DOC_NO_LINES: { status: 400, zh: '单据没有有效明细', en: 'The document has no active lines' },
  DOC_LINE_NOT_FOUND: { status: 404, zh: '明细行 {lineId} 不存在', en: 'Line {lineId} does not exist' },
  DOC_LINES_NOT_APPROVED: {
    status: 409,
    zh: '还有 {count} 行明细未审核',
    en: '{count} lines are still waiting for approval',
  },
  DOC_TYPE_UNKNOWN: { status: 400, zh: '未知单据类型 {docType}', en: 'Unknown document type {docType}' },

  BUSINESS_DAY_CLOSED: {
    status: 409,
    zh: '营业日 {day} 已日结，不能再记入业务',
    en: 'Business day {day} is closed; nothing more can be recorded on it',
  },

  // Stock
  INSUFFICIENT_STOCK: {
    status: 409,
    zh: '库存不足：商品 {product} 在仓库 {warehouse} 可用 {available}，需要 {requested}',
    en: 'Insufficient stock: product {product} in warehouse {warehouse} has {available}, {requested} needed',
  },
  STOCK_MOVE_INVALID: { status: 400, zh: '库存变动无效：{reason}', en: 'Invalid stock movement: {reason}' },

  // Balances (the ledger kit: stored value, points, gift cards, accounts)
  LEDGER_NEGATIVE: {
    status: 409,
    zh: '{ledger}余额不足：{key} 将变为 {balance}',
    en: 'Not enough {ledgerEn}: {key} would go to {balance}',
  },
  WAREHOUSE_INACTIVE: { status: 409, zh: '仓库 {warehouse} 已停用', en: 'Warehouse {warehouse} is inactive' },
} as const satisfies Record<string, ErrorDef>;

type ModuleErrors = Merged<(typeof contractModules)[number]['errors']>;

/** The spine's codes above and every module's, from its contract (<module>.contract.ts). */
export const errorCatalog = Object.assign({}, spineErrors, ...contractModules.map((m) => m.errors)) as typeof spineErrors &
  ModuleErrors;

export type ErrorCode = keyof typeof errorCatalog;

export type ErrorParams = Record<string, string | number | boolean | null | undefined>;

export interface FieldIssue {
  path: string;
  code: string;
  message: string;
  messageZh?: string;
  messageEn?: string;
}

/** RFC 9457 problem details as the API sends them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  messages: { 'zh-CN': string; en: string };
  params?: ErrorParams;
  errors?: FieldIssue[];
  requestId?: string;
}

export function errorStatus(code: ErrorCode): number {
  return errorCatalog[code].status;
}

export function errorMessage(code: ErrorCode, locale: Locale, params?: ErrorParams): string {
  return localized(errorCatalog[code], locale, params);
}

export function toProblem(
  code: ErrorCode,
  locale: Locale,
  params: ErrorParams = {},
  extra: { errors?: FieldIssue[]; requestId?: string } = {},
): Problem {
  const zh = errorMessage(code, 'zh-CN', params);
  const en = errorMessage(code, 'en', params);
  return {
    type: `urn:erp:error:${code}`,
    title: locale === 'en' ? errorCatalog[code].en.replace(/[:：].*$/, '') : errorCatalog[code].zh.replace(/[:：].*$/, ''),
    status: errorStatus(code),
    code,
    detail: locale === 'en' ? en : zh,
    messages: { 'zh-CN': zh, en },
    ...(Object.keys(params).length ? { params } : {}),
    ...(extra.errors?.length ? { errors: extra.errors } : {}),
    ...(extra.requestId ? { requestId: extra.requestId } : {}),
  };
}

/**
 * The one error type business code throws. Routes never build HTTP errors themselves: the server maps
 * a DomainError to problem+json in one place.
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;
  readonly fieldIssues: FieldIssue[] | undefined;

  constructor(code: ErrorCode, params: ErrorParams = {}, fieldIssues?: FieldIssue[]) {
    super(errorMessage(code, 'en', params));
    this.name = 'DomainError';
    this.code = code;
    this.params = params;
    this.fieldIssues = fieldIssues;
  }
}

export function isDomainError(e: unknown, code?: ErrorCode): e is DomainError {
  return e instanceof DomainError && (code === undefined || e.code === code);
}
