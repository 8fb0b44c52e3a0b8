export * from './business-day.service.js';
export * from './open-store.service.js';
export * from './org.exports.js';
export { ancestorIds, findOrgByCode, subtreeIds } from './org.repository.js';
export * from './org.service.js';
