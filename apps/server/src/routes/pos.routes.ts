import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../http/route.js';
import { posOfficeRoutes } from './pos-office.routes.js';
import { posTillRoutes } from './pos-till.routes.js';

/**
 * Routes of the pos module, in two files by who calls them: the till with its terminal token and a till
 * session (pos-till.routes.ts), and the back office (pos-office.routes.ts). Both are tagged `pos` in OpenAPI.
 */
export function posRoutes(app: FastifyInstance, deps: RouteDeps): void {
  posTillRoutes(app, deps);
  posOfficeRoutes(app, deps);
}
