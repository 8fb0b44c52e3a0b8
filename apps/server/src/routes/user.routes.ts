import {
  createRoleBody,
  createUserBody,
  id,
  idParams,
  pageQuery,
  resetPasswordBody,
  text,
  updateRoleBody,
  updateUserBody,
} from '@erp/contracts';
import {
  createRole,
  createUser,
  exportAudit,
  exportUsers,
  getRole,
  getUser,
  listAudit,
  listRoles,
  listUsers,
  logoutEverywhere,
  resetUserPassword,
  updateRole,
  updateUser,
} from '@erp/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { xlsxDownload } from '../http/download.js';
import { defineRoutes, type RouteDeps } from '../http/route.js';

const auditQuery = pageQuery.extend({
  entity: text().max(50).optional(),
  entityId: text().max(50).optional(),
  action: text().max(50).optional(),
  userId: id.optional(),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
});

export function userRoutes(app: FastifyInstance, deps: RouteDeps): void {
  defineRoutes(app, deps, [
    {
      method: 'GET',
      url: '/api/users',
      summary: 'Users of visible orgs',
      tags: ['auth'],
      querystring: pageQuery.extend({ orgId: id.optional() }),
      handler: (ctx, { query }) => listUsers(ctx, query),
    },
    {
      method: 'GET',
      url: '/api/users/export',
      summary: 'Users of visible orgs as .xlsx',
      tags: ['auth'],
      querystring: z.object({ orgId: id.optional(), q: text().max(200).optional() }),
      handler: async (ctx, { query, reply }) =>
        xlsxDownload(reply, ctx.locale === 'en' ? 'users' : '用户', await exportUsers(ctx, query)),
    },
    {
      method: 'GET',
      url: '/api/users/:id',
      summary: 'One user with roles',
      tags: ['auth'],
      params: idParams,
      handler: (ctx, { params }) => getUser(ctx, params.id),
    },
    {
      method: 'POST',
      url: '/api/users',
      summary: 'Create a user (HQ: any org; store admin: own store)',
      tags: ['auth'],
      status: 201,
      body: createUserBody,
      handler: (ctx, { body }) => createUser(ctx, body),
    },
    {
      method: 'PATCH',
      url: '/api/users/:id',
      summary: 'Edit a user: name, language, active, roles',
      tags: ['auth'],
      params: idParams,
      body: updateUserBody,
      handler: (ctx, { params, body }) => updateUser(ctx, params.id, body),
    },
    {
      method: 'POST',
      url: '/api/users/:id/reset-password',
      summary: "Set a user's password (ends their sessions)",
      tags: ['auth'],
      params: idParams,
      body: resetPasswordBody,
      handler: async (ctx, { params, body }) => {
        await resetUserPassword(ctx, params.id, body.newPassword);
        return { ok: true };
      },
    },
    {
      method: 'POST',
      url: '/api/users/:id/logout-all',
      summary: 'End every session of a user',
      tags: ['auth'],
      params: idParams,
      handler: async (ctx, { params }) => ({ ok: true, sessions: await logoutEverywhere(ctx, params.id) }),
    },
    {
      method: 'GET',
      url: '/api/roles',
      summary: 'Roles (built-in and the org’s own) with their grants',
      tags: ['auth'],
      handler: (ctx) => listRoles(ctx),
    },
    {
      method: 'GET',
      url: '/api/roles/:id',
      summary: 'One role',
      tags: ['auth'],
      params: idParams,
      handler: (ctx, { params }) => getRole(ctx, params.id),
    },
    {
      method: 'POST',
      url: '/api/roles',
      summary: 'Create a role with grants (only grants the creator holds)',
      tags: ['auth'],
      status: 201,
      body: createRoleBody,
      handler: (ctx, { body }) => createRole(ctx, body),
    },
    {
      method: 'PATCH',
      url: '/api/roles/:id',
      summary: 'Rename a role or replace its grants',
      tags: ['auth'],
      params: idParams,
      body: updateRoleBody,
      handler: (ctx, { params, body }) => updateRole(ctx, params.id, body),
    },
    {
      method: 'GET',
      url: '/api/audit/export',
      summary: 'Audit log as .xlsx (same filters as the list)',
      tags: ['auth'],
      querystring: auditQuery.omit({ page: true, pageSize: true }),
      handler: async (ctx, { query, reply }) =>
        xlsxDownload(reply, ctx.locale === 'en' ? 'audit' : '审计日志', await exportAudit(ctx, query)),
    },
    {
      method: 'GET',
      url: '/api/audit',
      summary: 'Audit log of visible orgs: logins, data changes, document transitions (AUTH-3)',
      tags: ['auth'],
      querystring: auditQuery,
      handler: (ctx, { query }) => listAudit(ctx, query),
    },
  ]);
}
