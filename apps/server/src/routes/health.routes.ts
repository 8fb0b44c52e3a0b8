import { ping } from '@erp/db';
import type { FastifyInstance } from 'fastify';
import { defineRoutes, type RouteDeps } from '../http/route.js';

export function healthRoutes(app: FastifyInstance, deps: RouteDeps): void {
  defineRoutes(app, deps, [
    {
      method: 'GET',
      url: '/api/health',
      summary: 'Liveness and database reachability',
      tags: ['ops'],
      auth: 'public',
      handler: async () => {
        await ping(deps.database.db);
        return { ok: true, database: deps.database.kind };
      },
    },
  ]);
}
