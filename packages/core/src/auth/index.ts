export * from './auth.rules.js';
export * from './passwords.js';
export * from './session.service.js';
export * from './user.exports.js';
export * from './user.service.js';
