import type { FastifyInstance } from 'fastify';
import { defineRoutes, type RouteDeps } from '../http/route.js';

/** Routes of the inventory module. */
export function inventoryRoutes(app: FastifyInstance, deps: RouteDeps): void {
  defineRoutes(app, deps, []);
}
