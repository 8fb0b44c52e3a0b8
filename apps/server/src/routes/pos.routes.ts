import type { FastifyInstance } from 'fastify';
import { defineRoutes, type RouteDeps } from '../http/route.js';

/** Routes of the pos module. */
export function posRoutes(app: FastifyInstance, deps: RouteDeps): void {
  defineRoutes(app, deps, []);
}
