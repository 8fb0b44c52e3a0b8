import { z } from 'zod';
import { id } from './common.js';
import { entity } from './fields.js';
import { ACTIONS } from './permissions.js';
import { pattern, text } from './validation.js';

export const loginBody = entity(
  'login',
  z.object({
    login: text().trim().min(1).max(50),
    password: text().min(1).max(200),
    /** 'bearer' returns a token for API clients; the browser uses the cookie. */
    mode: z.enum(['cookie', 'bearer']).default('cookie'),
  }),
);
export type LoginCommand = z.infer<typeof loginBody>;

export const changePasswordBody = z.object({
  currentPassword: text().min(1).max(200),
  newPassword: text().min(1).max(200),
});

export const roleAssignment = z.object({ roleId: id, orgId: id });

export const loginName = text()
  .trim()
  .min(2)
  .max(50)
  .check(pattern(/^[A-Za-z0-9_.@-]+$/, 'login_chars'));

export const createUserBody = entity(
  'user',
  z.object({
    login: loginName,
    name: text().trim().min(1).max(50),
    orgId: id,
    password: text().min(1).max(200),
    locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
    roles: z.array(roleAssignment).default([]),
  }),
);
export type CreateUserCommand = z.input<typeof createUserBody>;

export const updateUserBody = entity(
  'user',
  z.object({
    name: text().trim().min(1).max(50).optional(),
    locale: z.enum(['zh-CN', 'en']).optional(),
    active: z.boolean().optional(),
    roles: z.array(roleAssignment).optional(),
  }),
);
export type UpdateUserCommand = z.infer<typeof updateUserBody>;

export const resetPasswordBody = z.object({ newPassword: text().min(1).max(200) });

export const grantSchema = z.object({ function: text().max(64), action: z.enum(ACTIONS) });

export const createRoleBody = entity(
  'role',
  z.object({
    code: text()
      .trim()
      .min(2)
      .max(50)
      .check(pattern(/^[a-z0-9_]+$/, 'role_code_chars')),
    name: text().trim().min(1).max(50),
    nameEn: text().trim().max(50).optional(),
    orgId: id.optional(),
    grants: z.array(grantSchema).default([]),
  }),
);
export type CreateRoleCommand = z.input<typeof createRoleBody>;

export const updateRoleBody = entity(
  'role',
  z.object({
    name: text().trim().min(1).max(50).optional(),
    nameEn: text().trim().max(50).nullable().optional(),
    grants: z.array(grantSchema).optional(),
  }),
);
export type UpdateRoleCommand = z.infer<typeof updateRoleBody>;
