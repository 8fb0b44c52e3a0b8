import type { FieldIssue } from '@erp/contracts';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../testing.js';

// ORG-2: the open-store wizard checks each step against the same rules the final submit applies.

const getApp = useTestApp();

async function counts() {
  const db = getApp().database.db;
  const n = async (table: 'org' | 'warehouse' | 'app_user' | 'distribution_relation') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    orgs: await n('org'),
    warehouses: await n('warehouse'),
    users: await n('app_user'),
    dcs: await n('distribution_relation'),
  };
}

const check = (payload: object, lang = 'zh-CN') =>
  getApp().call('admin', {
    method: 'POST',
    url: '/api/stores/open/validate',
    payload,
    headers: { 'accept-language': lang },
  });

const issuesOf = (body: { issues: FieldIssue[] }) => body.issues.map((i) => [i.path, i.code, i.message]);

describe('open-store step check over HTTP', () => {
  it('answers a code in use at step 1 and a free one with nothing, creating nothing', async () => {
    const { chain } = getApp();
    const before = await counts();
    const taken = await check({ parentId: chain.retailCentreId, code: 'SA', name: '新店', storeMode: 'direct' });
    expect(taken.statusCode).toBe(200);
    expect(issuesOf(taken.json())).toEqual([['code', 'taken', '编码 SA 已被其他机构使用']]);
    const en = await check({ code: 'SA' }, 'en');
    expect(issuesOf(en.json())).toEqual([['code', 'taken', 'Code SA is already used by another org']]);
    // Step 1 alone does not judge the warehouses: they are not chosen yet.
    expect((await check({ parentId: chain.retailCentreId, code: 'SNEW' })).json()).toEqual({ issues: [] });
    // A store cannot go under a store.
    expect(issuesOf((await check({ parentId: chain.storeA.id })).json())).toEqual([
      ['parentId', 'ORG_INVALID_PARENT', '门店只能建在公司、总部、零售中心或配送中心之下'],
    ]);
    expect(await counts()).toEqual(before);
  });

  it('answers the warehouse and DC steps: codes in use or repeated, the default warehouse code, a non-DC', async () => {
    const { chain } = getApp();
    const res = await check({
      code: 'SNEW',
      warehouses: [
        { code: 'SA-W1', name: '借用' },
        { code: 'SNEW-W1', name: '主仓' },
        { code: 'SNEW-W1', name: '重复' },
      ],
      supplyingDcs: [{ dcId: chain.dcId }, { dcId: chain.dcId }, { dcId: chain.storeA.id }],
    });
    expect(issuesOf(res.json())).toEqual([
      ['warehouses.0.code', 'taken', '仓库编码 SA-W1 已被使用'],
      ['warehouses.2.code', 'repeated', '仓库编码 SNEW-W1 重复'],
      ['supplyingDcs.1.dcId', 'repeated', '该配送中心已列出'],
      ['supplyingDcs.2.dcId', 'ORG_NOT_A_DC', `${chain.storeA.id} 不是配送中心`],
    ]);
    // No warehouse listed means the default one, named after the store code: SA-W1 is taken.
    expect(issuesOf((await check({ code: 'SA', warehouses: [] })).json())).toContainEqual([
      'warehouses',
      'taken',
      '默认仓库编码 SA-W1 已被使用，请添加一个其他编码的仓库',
    ]);
  });

  it('answers the staff step: a weak password, a login in use, a login twice, in the user’s language', async () => {
    const before = await counts();
    const users = [
      { login: 'sa_admin', name: '店长', password: 'weak', roleCodes: ['store_admin'] },
      { login: 'snew_cashier', name: '收银员', password: 'Cashier-2026', roleCodes: ['cashier'] },
      { login: 'SNEW_Cashier', name: '收银员2', password: 'Cashier-2027', roleCodes: ['cashier'] },
      { login: 'snew_x', name: '某人', password: 'Snew_x-pass1', roleCodes: ['no_such_role'] },
    ];
    const zh = await check({ users });
    expect(issuesOf(zh.json())).toEqual([
      ['users.0.login', 'taken', '登录名 sa_admin 已被使用'],
      ['users.0.password', 'too_short,needs_letters_and_digits', '密码至少 10 位，须同时包含字母和数字，且不能包含登录名'],
      ['users.2.login', 'repeated', '登录名 SNEW_Cashier 在本店员工中重复'],
      ['users.3.password', 'contains_login', '密码至少 10 位，须同时包含字母和数字，且不能包含登录名'],
      ['users.3.roleCodes', 'NOT_FOUND', '角色 no_such_role 不存在'],
    ]);
    const en = await check({ users: users.slice(0, 1) }, 'en');
    expect(issuesOf(en.json())).toEqual([
      ['users.0.login', 'taken', 'Login sa_admin is already taken'],
      [
        'users.0.password',
        'too_short,needs_letters_and_digits',
        'At least 10 characters, letters and digits, not containing the login name',
      ],
    ]);
    expect(await counts()).toEqual(before);
  });

  it('the final submit refuses with the same field issues; a user without org:create is refused the check', async () => {
    const { chain, call } = getApp();
    const before = await counts();
    const submit = await call('admin', {
      method: 'POST',
      url: '/api/stores/open',
      payload: {
        parentId: chain.retailCentreId,
        code: 'SA',
        name: '重复的店',
        storeMode: 'direct',
        users: [{ login: 'sa_cashier', name: '收银员', password: 'weak', roleCodes: ['cashier'] }],
      },
    });
    expect(submit.statusCode).toBe(400);
    expect(submit.json().code).toBe('VALIDATION_FAILED');
    expect(submit.json().errors.map((e: FieldIssue) => e.path)).toEqual([
      'code',
      'warehouses',
      'users.0.login',
      'users.0.password',
    ]);
    expect(await counts()).toEqual(before);
    const cashier = await call('sa_cashier', { method: 'POST', url: '/api/stores/open/validate', payload: { code: 'X' } });
    expect(cashier.statusCode).toBe(403);
  });
});
