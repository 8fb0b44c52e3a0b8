import { DOC_TYPES, type DocType, docTypes } from './doc-types.js';
import type { Bilingual } from './i18n.js';
import type { Merged } from './module.js';
import { contractModules } from './modules.generated.js';

export const ACTIONS = [
  'view',
  'create',
  'edit',
  'delete',
  'submit',
  'approve',
  'confirm',
  'post',
  'complete',
  'void',
  'rollback',
  'generate',
  'import',
  'export',
  'manage',
] as const;
export type Action = (typeof ACTIONS)[number];

export const actionLabels: Record<Action, Bilingual> = {
  view: { zh: '查看', en: 'view' },
  create: { zh: '新增', en: 'create' },
  edit: { zh: '修改', en: 'edit' },
  delete: { zh: '删除', en: 'delete' },
  submit: { zh: '提交', en: 'submit' },
  approve: { zh: '审核', en: 'approve' },
  confirm: { zh: '确认', en: 'confirm' },
  post: { zh: '记账', en: 'post' },
  complete: { zh: '完成', en: 'complete' },
  void: { zh: '作废', en: 'void' },
  rollback: { zh: '回退', en: 'roll back' },
  generate: { zh: '生成', en: 'generate' },
  import: { zh: '导入', en: 'import' },
  export: { zh: '导出', en: 'export' },
  manage: { zh: '管理', en: 'manage' },
};

interface FunctionDef extends Bilingual {
  module: string;
  actions: readonly Action[];
}

const docActions = [
  'view',
  'create',
  'edit',
  'submit',
  'approve',
  'confirm',
  'post',
  'complete',
  'void',
  'rollback',
  'export',
] as const;

const documentFunctions = Object.fromEntries(
  DOC_TYPES.map((t: DocType) => [
    `doc.${t}`,
    { zh: docTypes[t].zh, en: docTypes[t].en, module: 'documents', actions: docActions },
  ]),
) as unknown as Record<`doc.${DocType}`, FunctionDef>;

/** The grantable functions (功能) and the actions each supports (AUTH-1). */
const spineFunctions = {
  org: { zh: '机构', en: 'Organisations', module: 'org', actions: ['view', 'create', 'edit', 'export'] },
  org_params: { zh: '门店参数', en: 'Store parameters', module: 'org', actions: ['view', 'edit'] },
  warehouse: { zh: '仓库与货架', en: 'Warehouses and shelves', module: 'org', actions: ['view', 'create', 'edit'] },
  business_day: { zh: '营业日', en: 'Business days', module: 'org', actions: ['view', 'manage'] },
  user: { zh: '用户', en: 'Users', module: 'auth', actions: ['view', 'create', 'edit', 'manage', 'export'] },
  role: { zh: '角色与授权', en: 'Roles and grants', module: 'auth', actions: ['view', 'create', 'edit', 'delete'] },
  audit: { zh: '审计日志', en: 'Audit log', module: 'auth', actions: ['view', 'export'] },
  doc_config: { zh: '单据设置', en: 'Document settings', module: 'documents', actions: ['view', 'edit'] },
  stock: { zh: '库存', en: 'Stock', module: 'inventory', actions: ['view', 'export', 'generate', 'approve'] },
  product: {
    zh: '商品',
    en: 'Products',
    module: 'catalog',
    actions: ['view', 'create', 'edit', 'delete', 'import', 'export'],
  },
} as const satisfies Record<string, FunctionDef>;

type ModuleFunctions = Merged<(typeof contractModules)[number]['functions']>;

/** The spine's functions, one per document type, and every module's (from its <module>.contract.ts). */
export const functionCatalog = Object.assign(
  {},
  spineFunctions,
  documentFunctions,
  ...contractModules.map((m) => m.functions),
) as typeof spineFunctions & typeof documentFunctions & ModuleFunctions;

export type FunctionCode = keyof typeof functionCatalog & string;
export const FUNCTION_CODES = Object.keys(functionCatalog) as FunctionCode[];

export interface Grant {
  function: FunctionCode;
  action: Action;
}

export function grantKey(g: Grant): string {
  return `${g.function}:${g.action}`;
}

/** Every grant that exists; the built-in administrator roles hold all of them. */
export function allGrants(): Grant[] {
  return FUNCTION_CODES.flatMap((f) =>
    (functionCatalog[f].actions as readonly Action[]).map((a) => ({ function: f, action: a })),
  );
}

export function isValidGrant(g: { function: string; action: string }): g is Grant {
  const def = (functionCatalog as Record<string, FunctionDef>)[g.function];
  return !!def && (def.actions as readonly string[]).includes(g.action);
}
