import { hashToken } from '@erp/core';
import { TEST_PASSWORD } from '@erp/test-kit';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { useTestApp } from '../testing.js';

const getApp = useTestApp();

const login = (login: string, password = TEST_PASSWORD, mode: 'cookie' | 'bearer' = 'bearer') =>
  getApp().app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password, mode } });

describe('sign-in, sessions and lockout (AUTH-3)', () => {
  it('signs in with a bearer token and answers /me from the session', async () => {
    const res = await login('sa_admin');
    expect(res.statusCode).toBe(200);
    const me = await getApp().app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${res.json().token}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().login).toBe('sa_admin');
    expect(me.json().orgs.map((o: { id: number }) => o.id)).toEqual([getApp().chain.storeA.id]);
  });

  it('answers a wrong password with a bilingual problem and locks the account after 5 failures for 15 minutes', async () => {
    const first = await login('sb_admin', 'wrong-password-1');
    expect(first.statusCode).toBe(401);
    expect(first.headers['content-type']).toContain('application/problem+json');
    expect(first.json()).toMatchObject({
      code: 'INVALID_CREDENTIALS',
      messages: { 'zh-CN': '用户名或密码错误', en: 'Wrong login name or password' },
    });
    for (let i = 0; i < 3; i++) await login('sb_admin', 'wrong-password-1');
    const fifth = await login('sb_admin', 'wrong-password-1');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().code).toBe('ACCOUNT_LOCKED');
    // Even the right password is refused while locked.
    expect((await login('sb_admin')).json().code).toBe('ACCOUNT_LOCKED');
    const user = await getApp()
      .database.db.selectFrom('app_user')
      .select('locked_until')
      .where('login', '=', 'sb_admin')
      .executeTakeFirstOrThrow();
    const minutes = ((user.locked_until as Date).getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
    // When the lock has passed, the right password works again.
    await getApp()
      .database.db.updateTable('app_user')
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where('login', '=', 'sb_admin')
      .execute();
    expect((await login('sb_admin')).statusCode).toBe(200);
  });

  it('records logins and failed logins in the audit log, queryable through the API', async () => {
    const res = await getApp().call('admin', { method: 'GET', url: '/api/audit?action=login_failed&pageSize=50' });
    expect(res.statusCode).toBe(200);
    const entries = res.json().items;
    expect(entries.length).toBeGreaterThanOrEqual(5);
    expect(entries[0]).toMatchObject({ action: 'login_failed', login: 'sb_admin', ip: '127.0.0.1' });
  });

  it('stops a disabled user’s sessions at once', async () => {
    const token = (await login('sa_cashier')).json().token;
    const headers = { authorization: `Bearer ${token}` };
    expect((await getApp().app.inject({ method: 'GET', url: '/api/auth/me', headers })).statusCode).toBe(200);
    const disable = await getApp().call('sa_admin', {
      method: 'PATCH',
      url: `/api/users/${getApp().chain.users.storeACashier}`,
      payload: { active: false },
    });
    expect(disable.statusCode).toBe(200);
    const after = await getApp().app.inject({ method: 'GET', url: '/api/auth/me', headers });
    expect(after.statusCode).toBe(401);
    expect((await login('sa_cashier')).json().code).toBe('ACCOUNT_DISABLED');
    await getApp().call('sa_admin', {
      method: 'PATCH',
      url: `/api/users/${getApp().chain.users.storeACashier}`,
      payload: { active: true },
    });
  });

  it('logs out everywhere', async () => {
    const t1 = (await login('sa_cashier')).json().token;
    const t2 = (await login('sa_cashier')).json().token;
    const out = await getApp().app.inject({
      method: 'POST',
      url: '/api/auth/logout-all',
      headers: { authorization: `Bearer ${t1}` },
    });
    expect(out.statusCode).toBe(200);
    for (const t of [t1, t2]) {
      const r = await getApp().app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${t}` } });
      expect(r.statusCode).toBe(401);
    }
  });

  it('expires sessions', async () => {
    const token = (await login('sa_cashier')).json().token;
    await getApp()
      .database.db.updateTable('user_session')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('token_hash', '=', hashToken(token))
      .execute();
    const r = await getApp().app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
    expect(r.statusCode).toBe(401);
    expect(r.json().code).toBe('SESSION_EXPIRED');
  });

  it('puts browser sessions in an HttpOnly SameSite cookie and demands the CSRF token on writes', async () => {
    const res = await login('sa_admin', TEST_PASSWORD, 'cookie');
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/erp_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(res.json().token).toBeUndefined();
    const cookie = setCookie.split(';')[0] as string;
    const csrf = res.json().csrfToken as string;
    const read = await getApp().app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(read.statusCode).toBe(200);
    const payload = { orgId: getApp().chain.storeA.id, code: 'CSRF-C1', name: '柜组' };
    const noToken = await getApp().app.inject({ method: 'POST', url: '/api/counters', headers: { cookie }, payload });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().code).toBe('CSRF_FAILED');
    const wrong = await getApp().app.inject({
      method: 'POST',
      url: '/api/counters',
      headers: { cookie, 'x-csrf-token': 'nope' },
      payload,
    });
    expect(wrong.statusCode).toBe(403);
    const ok = await getApp().app.inject({
      method: 'POST',
      url: '/api/counters',
      headers: { cookie, 'x-csrf-token': csrf },
      payload,
    });
    expect(ok.statusCode).toBe(201);
    // A cookie token is not accepted as a bearer token (it would bypass CSRF).
    const asBearer = await getApp().app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${cookie.split('=')[1]}` },
    });
    expect(asBearer.statusCode).toBe(401);
  });

  it('sends security headers and a Content-Security-Policy', async () => {
    const r = await getApp().app.inject({ method: 'GET', url: '/api/health' });
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['strict-transport-security']).toBeDefined();
  });

  it('rate-limits sign-in attempts per address', async () => {
    const app = await buildApp({ database: getApp().database, webDist: null, loginRateLimit: 3 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'nobody', password: 'x' } });
        codes.push(r.statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 429]);
      const last = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'nobody', password: 'x' } });
      expect(last.json().code).toBe('RATE_LIMITED');
    } finally {
      await app.close();
    }
  });

  it('enforces the password policy with a field-level, bilingual error', async () => {
    const r = await getApp().call('sa_admin', {
      method: 'POST',
      url: '/api/users',
      headers: { 'accept-language': 'en' },
      payload: { login: 'weakling', name: '弱密码', orgId: getApp().chain.storeA.id, password: 'weakling123' },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('PASSWORD_POLICY');
    expect(r.json().errors[0]).toMatchObject({ path: 'password', messageEn: expect.stringContaining('10 characters') });
    expect(r.json().detail).toContain('at least 10 characters');
  });
});

describe('users and roles (AUTH-1)', () => {
  it('a store admin creates staff in their own store with a role they hold', async () => {
    const { chain, call } = getApp();
    const roles = (await call('sa_admin', { method: 'GET', url: '/api/roles' })).json() as { id: number; code: string }[];
    const cashierRole = roles.find((r) => r.code === 'cashier')!;
    const r = await call('sa_admin', {
      method: 'POST',
      url: '/api/users',
      payload: {
        login: 'sa_cash2',
        name: '新收银员',
        orgId: chain.storeA.id,
        password: 'Cashier-2026',
        roles: [{ roleId: cashierRole.id, orgId: chain.storeA.id }],
      },
    });
    expect(r.statusCode).toBe(201);
    expect(r.json().roles[0]).toMatchObject({ roleCode: 'cashier', orgId: chain.storeA.id });
    // The new user can sign in and sees only store A.
    const t = await login('sa_cash2', 'Cashier-2026');
    expect(t.statusCode).toBe(200);
  });

  it('a store admin cannot create users in another store or hand out HQ powers', async () => {
    const { chain, call } = getApp();
    const roles = (await call('admin', { method: 'GET', url: '/api/roles' })).json() as { id: number; code: string }[];
    const hqAdmin = roles.find((r) => r.code === 'hq_admin')!;
    const other = await call('sa_admin', {
      method: 'POST',
      url: '/api/users',
      payload: { login: 'sb_spy', name: '越权', orgId: chain.storeB.id, password: 'Cashier-2026' },
    });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('CANNOT_MANAGE_USER');
    const escalate = await call('sa_admin', {
      method: 'POST',
      url: '/api/users',
      payload: {
        login: 'sa_boss',
        name: '越权',
        orgId: chain.storeA.id,
        password: 'Cashier-2026',
        roles: [{ roleId: hqAdmin.id, orgId: chain.storeA.id }],
      },
    });
    expect(escalate.statusCode).toBe(403);
    expect(escalate.json().code).toBe('ROLE_GRANT_BEYOND_OWN');
    const count = await getApp()
      .database.db.selectFrom('app_user')
      .select('id')
      .where('login', 'in', ['sb_spy', 'sa_boss'])
      .execute();
    expect(count).toEqual([]);
  });

  it('HQ admin creates a role with grants; an unknown grant is refused', async () => {
    const ok = await getApp().call('admin', {
      method: 'POST',
      url: '/api/roles',
      payload: { code: 'auditor', name: '审计员', grants: [{ function: 'audit', action: 'view' }] },
    });
    expect(ok.statusCode).toBe(201);
    const bad = await getApp().call('admin', {
      method: 'POST',
      url: '/api/roles',
      payload: { code: 'bad_role', name: '坏角色', grants: [{ function: 'audit', action: 'post' }] },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('takes identity from the session, never from the body', async () => {
    const { chain, call, database } = getApp();
    const r = await call('sa_admin', {
      method: 'POST',
      url: '/api/documents',
      payload: {
        docType: 'other_inbound',
        orgId: chain.storeA.id,
        createdBy: chain.users.hqAdmin,
        userId: chain.users.hqAdmin,
        lines: [],
      },
    });
    expect(r.statusCode).toBe(201);
    const doc = await database.db
      .selectFrom('document')
      .select('created_by')
      .where('id', '=', r.json().id)
      .executeTakeFirstOrThrow();
    expect(doc.created_by).toBe(chain.users.storeAAdmin);
  });
});
