import { priceListQuery, priceRowPage, resolvePricesQuery, setPricesBody } from '@erp/contracts';
import { exportPrices, listPrices, resolvePricesForStore, setPrices } from '@erp/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoutes, type RouteDeps } from '../http/route.js';
import { xlsx } from './catalog-shared.js';

/** Prices (MD-2). Price-change documents (调价单, docType 'price_change') go through /api/documents. */
export function catalogPricingRoutes(app: FastifyInstance, deps: RouteDeps): void {
  defineRoutes(app, deps, [
    {
      method: 'GET',
      url: '/api/prices',
      summary: 'Price rows (history and schedule): by product, type, scope, store, region, in effect at a time',
      tags: ['pricing'],
      querystring: priceListQuery,
      response: priceRowPage,
      handler: (ctx, { query }) => listPrices(ctx, query),
    },
    {
      method: 'GET',
      url: '/api/prices/export',
      summary: 'Price rows as .xlsx',
      tags: ['pricing'],
      querystring: priceListQuery.omit({ page: true, pageSize: true, sort: true, order: true }),
      handler: async (ctx, { query, reply }) =>
        xlsx(reply, ctx.locale === 'en' ? 'prices' : '商品价格', await exportPrices(ctx, query)),
    },
    {
      method: 'GET',
      url: '/api/prices/resolve',
      summary: 'The price of products P… for store S, types T…, at time t (store > region > base; latest effective)',
      tags: ['pricing'],
      querystring: resolvePricesQuery,
      response: z.object({
        storeId: z.number(),
        at: z.string(),
        items: z.array(z.object({ productId: z.number(), prices: z.record(z.string(), z.string()) })),
      }),
      handler: (ctx, { query }) => resolvePricesForStore(ctx, query),
    },
    {
      method: 'POST',
      url: '/api/prices',
      summary: 'Set prices directly (from now or a future time; never in the past). Routine changes: price-change documents',
      tags: ['pricing'],
      status: 201,
      body: setPricesBody,
      handler: (ctx, { body }) => setPrices(ctx, body),
    },
  ]);
}
