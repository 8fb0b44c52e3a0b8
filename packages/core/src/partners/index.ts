// Public API of the partners module (MD-3): suppliers, wholesale customers, manufacturers, payment methods, reason codes.
export * from './basic-data.js';
export * from './partner.service.js';
