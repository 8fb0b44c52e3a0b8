import { z } from 'zod';
import { id } from './common.js';
import { ACTIONS } from './permissions.js';

export const loginBody = z.object({
  login: z.string().trim().min(1).max(50),
  password: z.string().min(1).max(200),
  /** 'bearer' returns a token for API clients; the browser uses the cookie. */
  mode: z.enum(['cookie', 'bearer']).default('cookie'),
});
export type LoginCommand = z.infer<typeof loginBody>;

export const changePasswordBody = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(1).max(200),
});

export const roleAssignment = z.object({ roleId: id, orgId: id });

export const createUserBody = z.object({
  login: z
    .string()
    .trim()
    .min(2)
    .max(50)
    .regex(/^[A-Za-z0-9_.@-]+$/),
  name: z.string().trim().min(1).max(50),
  orgId: id,
  password: z.string().min(1).max(200),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
  roles: z.array(roleAssignment).default([]),
});
export type CreateUserCommand = z.input<typeof createUserBody>;

export const updateUserBody = z.object({
  name: z.string().trim().min(1).max(50).optional(),
  locale: z.enum(['zh-CN', 'en']).optional(),
  active: z.boolean().optional(),
  roles: z.array(roleAssignment).optional(),
});
export type UpdateUserCommand = z.infer<typeof updateUserBody>;

export const resetPasswordBody = z.object({ newPassword: z.string().min(1).max(200) });

export const grantSchema = z.object({ function: z.string(), action: z.enum(ACTIONS) });

export const createRoleBody = z.object({
  code: z
    .string()
    .trim()
    .min(2)
    .max(50)
    .regex(/^[a-z0-9_]+$/),
  name: z.string().trim().min(1).max(50),
  nameEn: z.string().trim().max(50).optional(),
  orgId: id.optional(),
  grants: z.array(grantSchema).default([]),
});
export type CreateRoleCommand = z.input<typeof createRoleBody>;

export const updateRoleBody = z.object({
  name: z.string().trim().min(1).max(50).optional(),
  nameEn: z.string().trim().max(50).nullable().optional(),
  grants: z.array(grantSchema).optional(),
});
export type UpdateRoleCommand = z.infer<typeof updateRoleBody>;
