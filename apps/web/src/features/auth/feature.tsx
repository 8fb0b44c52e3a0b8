import { defineFeature } from '../../shared/feature';
import { m } from './messages';

/** Users, roles and grants, audit log (AUTH-1, AUTH-3). */
export const feature = defineFeature({
  key: 'auth',
  messages: m,
  group: 'system',
  pages: [
    { path: '/system/users', title: 'page.users', grant: 'user:view', order: 10, load: () => import('./UsersPage') },
    { path: '/system/roles', title: 'page.roles', grant: 'role:view', order: 20, load: () => import('./RolesPage') },
    { path: '/system/audit', title: 'page.audit', grant: 'audit:view', order: 30, load: () => import('./AuditPage') },
  ],
});
