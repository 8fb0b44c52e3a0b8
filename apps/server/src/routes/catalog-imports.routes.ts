import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../http/route.js';

/** Imports (MD-4): upload, templates, job history and reports. */
export function catalogImportRoutes(_app: FastifyInstance, _deps: RouteDeps): void {}
