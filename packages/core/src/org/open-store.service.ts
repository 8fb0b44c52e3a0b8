import {
  DomainError,
  errorMessage,
  type FieldIssue,
  isDomainError,
  type OpenStoreCheck,
  type OpenStoreCheckCommand,
  type OpenStoreCommand,
  openStoreBody,
  openStoreCheckBody,
} from '@erp/contracts';
import type { z } from 'zod';
import { recordAudit } from '../audit/audit.service.js';
import { assertPasswordPolicy } from '../auth/passwords.js';
import { createUser, findRoleByCode, isLoginTaken } from '../auth/user.service.js';
import { applyStoreCatalogOnOpen } from '../catalog/index.js';
import { authorize, type Ctx } from '../platform/context.js';
import {
  assertDc,
  checkedParent,
  createOrg,
  createWarehouse,
  isCodeTaken,
  type OrgDto,
  setDistributionRelation,
  updateOrgParams,
  type WarehouseDto,
} from './org.service.js';

/**
 * 开新店 (ORG-2): the store, its warehouses, the DCs that supply it, its parameters and its staff, in one
 * call and one transaction — a half-opened store never exists.
 */
export async function openStore(ctx: Ctx, input: OpenStoreCommand) {
  authorize(ctx, 'org', 'create');
  const cmd = openStoreBody.parse(input);
  const issues = await openStoreIssues(ctx, cmd);
  if (issues.length) throw new DomainError('VALIDATION_FAILED', {}, issues);
  const store: OrgDto = await createOrg(ctx, {
    parentId: cmd.parentId,
    code: cmd.code,
    name: cmd.name,
    nameEn: cmd.nameEn,
    kind: 'store',
    storeMode: cmd.storeMode,
    region: cmd.region,
    address: cmd.address,
    phone: cmd.phone,
  });
  const warehouseDefs = cmd.warehouses.length
    ? cmd.warehouses
    : [{ code: defaultWarehouseCode(cmd.code), name: `${cmd.name}仓库` }];
  const warehouses: WarehouseDto[] = [];
  for (const [i, w] of warehouseDefs.entries()) {
    warehouses.push(await createWarehouse(ctx, { orgId: store.id, code: w.code, name: w.name, isDefault: i === 0 }));
  }
  const relations = [];
  for (const r of cmd.supplyingDcs) {
    relations.push(await setDistributionRelation(ctx, { storeId: store.id, dcId: r.dcId, priority: r.priority, level: r.level }));
  }
  const params = await updateOrgParams(ctx, store.id, cmd.params);
  const users = [];
  for (const u of cmd.users) {
    const roles = [];
    for (const code of u.roleCodes) roles.push({ roleId: (await findRoleByCode(ctx, code)).id, orgId: store.id });
    users.push(await createUser(ctx, { login: u.login, name: u.name, orgId: store.id, password: u.password, roles }));
  }
  const catalog = await applyStoreCatalogOnOpen(ctx, store.id, cmd.catalog);
  await recordAudit(ctx, {
    action: 'open_store',
    entity: 'org',
    entityId: store.id,
    detail: { warehouses: warehouses.length, supplyingDcs: relations.length, users: users.length },
    orgId: store.id,
  });
  return { store, warehouses, distributionRelations: relations, params, users, catalog };
}

/**
 * The wizard's check at each step (开新店): the issues the final submit would raise for the part of the command
 * sent so far — a code already in use at step 1, a weak password or a taken login at the staff step. Creates
 * nothing. An org outside the actor's scope is still NOT_FOUND, as on submit.
 */
export async function checkOpenStore(ctx: Ctx, input: OpenStoreCheckCommand): Promise<OpenStoreCheck> {
  authorize(ctx, 'org', 'create');
  const issues = await openStoreIssues(ctx, openStoreCheckBody.parse(input));
  const en = ctx.locale === 'en';
  return { issues: issues.map((i) => ({ ...i, message: (en ? i.messageEn : i.messageZh) ?? i.message })) };
}

type OpenStoreParts = z.output<typeof openStoreCheckBody>;

/**
 * Every rule of opening a store beyond the schema, over whatever parts are given: the submit asks with the
 * whole command, the wizard's check with what it has so far — one rule, two callers. Paths name the wizard's
 * fields (code, warehouses.0.code, users.1.password …).
 */
export async function openStoreIssues(ctx: Ctx, cmd: OpenStoreParts): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  if (cmd.parentId !== undefined) {
    await asIssue(issues, 'parentId', () => checkedParent(ctx, 'store', cmd.parentId as number), {
      ORG_INVALID_PARENT: [
        '门店只能建在公司、总部、零售中心或配送中心之下',
        'A store goes under a company, HQ, a retail centre or a distribution centre',
      ],
    });
  }
  if (cmd.code !== undefined && (await isCodeTaken(ctx, 'org', cmd.code))) {
    issues.push(issue('code', 'taken', `编码 ${cmd.code} 已被其他机构使用`, `Code ${cmd.code} is already used by another org`));
  }
  if (cmd.warehouses !== undefined) issues.push(...(await warehouseIssues(ctx, cmd.warehouses, cmd.code)));
  for (const [i, r] of (cmd.supplyingDcs ?? []).entries()) {
    if (cmd.supplyingDcs?.findIndex((x) => x.dcId === r.dcId) !== i) {
      issues.push(issue(`supplyingDcs.${i}.dcId`, 'repeated', '该配送中心已列出', 'This distribution centre is already listed'));
    } else await asIssue(issues, `supplyingDcs.${i}.dcId`, () => assertDc(ctx, r.dcId));
  }
  for (const [i, u] of (cmd.users ?? []).entries()) issues.push(...(await userIssues(ctx, cmd.users ?? [], i, u)));
  return issues;
}

async function warehouseIssues(
  ctx: Ctx,
  list: NonNullable<OpenStoreParts['warehouses']>,
  storeCode: string | undefined,
): Promise<FieldIssue[]> {
  const out: FieldIssue[] = [];
  // None listed: the submit creates one named after the store, whose code must be free too.
  if (!list.length && storeCode !== undefined) {
    const code = defaultWarehouseCode(storeCode);
    if (await isCodeTaken(ctx, 'warehouse', code)) {
      out.push(
        issue(
          'warehouses',
          'taken',
          `默认仓库编码 ${code} 已被使用，请添加一个其他编码的仓库`,
          `The default warehouse code ${code} is already in use; add a warehouse with another code`,
        ),
      );
    }
  }
  for (const [i, w] of list.entries()) {
    const path = `warehouses.${i}.code`;
    if (list.findIndex((x) => x.code === w.code) !== i) {
      out.push(issue(path, 'repeated', `仓库编码 ${w.code} 重复`, `Warehouse code ${w.code} appears twice`));
    } else if (await isCodeTaken(ctx, 'warehouse', w.code)) {
      out.push(issue(path, 'taken', `仓库编码 ${w.code} 已被使用`, `Warehouse code ${w.code} is already in use`));
    }
  }
  return out;
}

async function userIssues(
  ctx: Ctx,
  all: NonNullable<OpenStoreParts['users']>,
  i: number,
  u: NonNullable<OpenStoreParts['users']>[number],
): Promise<FieldIssue[]> {
  const out: FieldIssue[] = [];
  const login = u.login.toLowerCase();
  if (all.findIndex((x) => x.login.toLowerCase() === login) !== i) {
    out.push(
      issue(
        `users.${i}.login`,
        'repeated',
        `登录名 ${u.login} 在本店员工中重复`,
        `Login ${u.login} appears twice among the staff`,
      ),
    );
  } else if (await isLoginTaken(ctx, u.login)) {
    out.push(issue(`users.${i}.login`, 'taken', `登录名 ${u.login} 已被使用`, `Login ${u.login} is already taken`));
  }
  await asIssue(out, `users.${i}.password`, async () => assertPasswordPolicy(u.password, u.login));
  for (const code of u.roleCodes) {
    await asIssue(out, `users.${i}.roleCodes`, () => findRoleByCode(ctx, code), {
      NOT_FOUND: [`角色 ${code} 不存在`, `Role ${code} does not exist`],
    });
  }
  return out;
}

export function defaultWarehouseCode(storeCode: string): string {
  return `${storeCode}-W1`;
}

function issue(path: string, code: string, zh: string, en: string): FieldIssue {
  return { path, code, message: zh, messageZh: zh, messageEn: en };
}

/**
 * Runs a rule that throws a DomainError and keeps its refusal as an issue on `path` (the rule's own field
 * messages, the wording given for its code, or the error catalog's). Codes not listed and not a field
 * refusal — an org outside scope (NOT_FOUND) — still propagate.
 */
async function asIssue(
  out: FieldIssue[],
  path: string,
  rule: () => Promise<unknown>,
  wording: Partial<Record<string, [string, string]>> = {},
): Promise<void> {
  try {
    await rule();
  } catch (e) {
    out.push(...refusalAsIssues(e, path, wording));
  }
}

function refusalAsIssues(e: unknown, path: string, wording: Partial<Record<string, [string, string]>>): FieldIssue[] {
  if (!isDomainError(e)) throw e;
  const own = wording[e.code];
  if (own) return [issue(path, e.code, own[0], own[1])];
  if (e.fieldIssues?.length) return e.fieldIssues.map((f) => ({ ...f, path }));
  if (e.code === 'NOT_FOUND') throw e;
  return [issue(path, e.code, errorMessage(e.code, 'zh-CN', e.params), errorMessage(e.code, 'en', e.params))];
}
