export * from './platform/index.js';
export * from './audit/index.js';
export * from './org/index.js';
export * from './auth/index.js';
export * from './documents/index.js';
export * from './inventory/index.js';
export * from './setup/bootstrap.js';
export { builtinRoles } from './auth/builtin-roles.js';
export * from './catalog/index.js';
