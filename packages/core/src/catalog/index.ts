export * from './product.service.js';
