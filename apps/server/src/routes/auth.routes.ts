import { actionLabels, changePasswordBody, FUNCTION_CODES, functionCatalog, loginBody } from '@erp/contracts';
import { changeOwnPassword, login, loginError, logoutEverywhere, revokeSession } from '@erp/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoutes, type RouteDeps } from '../http/route.js';
import { requireSession, SESSION_COOKIE } from '../http/session.js';

const secureCookies = process.env.ERP_SECURE_COOKIES === '1';

export function authRoutes(app: FastifyInstance, deps: RouteDeps): void {
  defineRoutes(app, deps, [
    {
      method: 'POST',
      url: '/api/auth/login',
      summary: 'Sign in (cookie session for the browser, or a bearer token for API clients)',
      tags: ['auth'],
      auth: 'public',
      rateLimit: deps.loginRateLimit,
      body: loginBody,
      response: z.object({
        userId: z.number(),
        csrfToken: z.string().nullable(),
        token: z.string().optional(),
        expiresAt: z.string(),
      }),
      handler: async (_ctx, { body, req, reply }) => {
        const result = await deps.database.db
          .transaction()
          .execute((trx) => login(trx, body, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null, requestId: req.id }));
        if (!result.ok) throw loginError(result);
        if (body.mode === 'cookie') {
          reply.setCookie(SESSION_COOKIE, result.token, {
            path: '/',
            httpOnly: true,
            sameSite: 'strict',
            secure: secureCookies,
          });
          return { userId: result.userId, csrfToken: result.csrfToken, expiresAt: result.expiresAt.toISOString() };
        }
        return { userId: result.userId, csrfToken: null, token: result.token, expiresAt: result.expiresAt.toISOString() };
      },
    },
    {
      method: 'POST',
      url: '/api/auth/logout',
      summary: 'End this session',
      tags: ['auth'],
      handler: async (ctx, { req, reply }) => {
        const session = requireSession(req);
        await revokeSession(ctx.db, session.sessionId);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return { ok: true };
      },
    },
    {
      method: 'POST',
      url: '/api/auth/logout-all',
      summary: 'End every session of the signed-in user (logout everywhere)',
      tags: ['auth'],
      handler: async (ctx, { reply }) => {
        const sessions = await logoutEverywhere(ctx, ctx.actor.userId);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return { ok: true, sessions };
      },
    },
    {
      method: 'GET',
      url: '/api/auth/me',
      summary: 'The signed-in user: grants, visible orgs, CSRF token',
      tags: ['auth'],
      handler: async (ctx, { req }) => {
        const session = requireSession(req);
        const orgs = await ctx.db
          .selectFrom('org')
          .select([
            'id',
            'parent_id as parentId',
            'code',
            'name',
            'name_en as nameEn',
            'kind',
            'store_mode as storeMode',
            'active',
          ])
          .where('id', 'in', [...ctx.scope.ids, -1])
          .orderBy('path')
          .execute();
        return {
          userId: ctx.actor.userId,
          login: ctx.actor.login,
          name: ctx.actor.name,
          orgId: ctx.actor.orgId,
          locale: session.locale,
          csrfToken: session.csrfToken,
          expiresAt: session.expiresAt.toISOString(),
          grants: [...ctx.actor.grants].sort(),
          orgs,
        };
      },
    },
    {
      method: 'POST',
      url: '/api/auth/password',
      summary: 'Change my password',
      tags: ['auth'],
      body: changePasswordBody,
      handler: async (ctx, { body }) => {
        await changeOwnPassword(ctx, body.currentPassword, body.newPassword);
        return { ok: true };
      },
    },
    {
      method: 'GET',
      url: '/api/permissions',
      summary: 'The grantable functions and actions (AUTH-1)',
      tags: ['auth'],
      handler: async () => ({
        functions: FUNCTION_CODES.map((code) => ({
          code,
          name: functionCatalog[code].zh,
          nameEn: functionCatalog[code].en,
          module: functionCatalog[code].module,
          actions: functionCatalog[code].actions,
        })),
        actions: actionLabels,
      }),
    },
  ]);
}
