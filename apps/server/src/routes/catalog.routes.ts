import type { FastifyInstance } from 'fastify';
import { defineRoutes, type RouteDeps } from '../http/route.js';

/** Routes of the catalog module. */
export function catalogRoutes(app: FastifyInstance, deps: RouteDeps): void {
  defineRoutes(app, deps, []);
}
