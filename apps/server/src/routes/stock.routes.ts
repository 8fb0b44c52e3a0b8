import { id, pageQuery } from '@erp/contracts';
import { listStockBalances, listStockLedger, recalculateStock } from '@erp/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoutes, type RouteDeps } from '../http/route.js';

export function stockRoutes(app: FastifyInstance, deps: RouteDeps): void {
  defineRoutes(app, deps, [
    {
      method: 'GET',
      url: '/api/stock/balances',
      summary: 'Stock by warehouse, product, batch, lot, shelf and status (INV-3)',
      tags: ['inventory'],
      querystring: pageQuery.extend({
        orgId: id.optional(),
        warehouseId: id.optional(),
        productId: id.optional(),
        batchNo: z.string().max(50).optional(),
        lotNo: z.string().max(50).optional(),
        shelfId: z.coerce.number().int().min(0).optional(),
        status: z.enum(['sellable', 'unsellable', 'pending_check']).optional(),
        includeZero: z.coerce.boolean().optional(),
      }),
      handler: (ctx, { query }) => listStockBalances(ctx, query),
    },
    {
      method: 'GET',
      url: '/api/stock/ledger',
      summary: 'Stock ledger entries (保管明细账)',
      tags: ['inventory'],
      querystring: pageQuery.extend({
        orgId: id.optional(),
        warehouseId: id.optional(),
        productId: id.optional(),
        from: z.iso.date().optional(),
        to: z.iso.date().optional(),
        sourceType: z.string().max(30).optional(),
        sourceId: id.optional(),
      }),
      handler: (ctx, { query }) => listStockLedger(ctx, query),
    },
    {
      method: 'POST',
      url: '/api/stock/recalculate',
      summary: 'Recalculate stock from the ledger (重算库存); report differences, optionally repair',
      tags: ['inventory'],
      body: z.object({ warehouseIds: z.array(id).optional(), fix: z.boolean().default(false) }),
      handler: (ctx, { body }) => recalculateStock(ctx, body),
    },
  ]);
}
