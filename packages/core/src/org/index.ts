export * from './org.service.js';
export * from './business-day.service.js';
export { subtreeIds, ancestorIds, findOrgByCode } from './org.repository.js';
export * from './open-store.service.js';
