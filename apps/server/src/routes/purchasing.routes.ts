import type { FastifyInstance } from 'fastify';
import { defineRoutes, type RouteDeps } from '../http/route.js';

/** Routes of the purchasing module. */
export function purchasingRoutes(app: FastifyInstance, deps: RouteDeps): void {
  defineRoutes(app, deps, []);
}
