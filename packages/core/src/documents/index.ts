export * from './documents.exports.js';
export * from './documents.models.js';
export * from './documents.registry.js';
export * from './documents.service.js';
