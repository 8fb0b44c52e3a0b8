export * from './audit.exports.js';
export * from './audit.service.js';
