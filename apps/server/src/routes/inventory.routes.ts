import {
  createStocktakeBody,
  idParams,
  reviewPostBody,
  reviewQueueQuery,
  stocktakeCountBody,
  stocktakeLinesQuery,
  stocktakeListQuery,
  text,
} from '@erp/contracts';
import {
  createStocktake,
  enterStocktakeCounts,
  exportReviewQueue,
  exportStocktakeSheet,
  exportStocktakeVariance,
  generateStocktakeAdjustments,
  getDocumentCosts,
  getStocktake,
  getStocktakeSheet,
  getStocktakeVariance,
  listReviewQueue,
  listStocktakeLines,
  listStocktakes,
  postReviewedDocuments,
  postStocktake,
  unpostStocktake,
} from '@erp/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoutes, type RouteDeps } from '../http/route.js';
import { sendXlsx } from './stock.routes.js';

/**
 * Routes of the inventory module: stocktakes (INV-5) and the generic inbound/outbound review (DOC).
 * Loss/overage, internal adjustment, warehouse move and other in/out are documents: they are created and
 * moved through /api/documents with their docType; /api/inventory/documents/:id/costs values them.
 */
export function inventoryRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const tags = ['inventory'];
  defineRoutes(app, deps, [
    {
      method: 'GET',
      url: '/api/stocktakes',
      summary: 'Stocktakes (盘点单) of visible orgs with their surplus/shortage totals',
      tags,
      querystring: stocktakeListQuery,
      handler: (ctx, { query }) => listStocktakes(ctx, query),
    },
    {
      method: 'POST',
      url: '/api/stocktakes',
      summary: 'Generate a count sheet (生成盘点表): static or dynamic, for a store, warehouse, counter or shelf',
      tags,
      status: 201,
      body: createStocktakeBody,
      handler: (ctx, { body }) => createStocktake(ctx, body),
    },
    {
      method: 'GET',
      url: '/api/stocktakes/:id',
      summary: 'A stocktake: scope, snapshot mark, progress and, once posted, surplus and shortage totals',
      tags,
      params: idParams,
      handler: (ctx, { params }) => getStocktake(ctx, params.id),
    },
    {
      method: 'GET',
      url: '/api/stocktakes/:id/lines',
      summary: 'Count lines, paged; filter by shelf, product, counted/uncounted, surplus/shortage',
      tags,
      params: idParams,
      querystring: stocktakeLinesQuery,
      handler: (ctx, { params, query }) => listStocktakeLines(ctx, params.id, query),
    },
    {
      method: 'GET',
      url: '/api/stocktakes/:id/sheet',
      summary: 'The printable count sheet: every line in shelf order with product codes and names',
      tags,
      params: idParams,
      handler: (ctx, { params }) => getStocktakeSheet(ctx, params.id),
    },
    {
      method: 'GET',
      url: '/api/stocktakes/:id/sheet/export',
      summary: 'The count sheet as .xlsx',
      tags,
      params: idParams,
      handler: async (ctx, { params, reply }) => sendXlsx(reply, await exportStocktakeSheet(ctx, params.id)),
    },
    {
      method: 'POST',
      url: '/api/stocktakes/:id/counts',
      summary: 'Enter counts (实盘录入): per sheet line, or manual lines for goods not on the sheet',
      tags,
      params: idParams,
      body: stocktakeCountBody,
      handler: (ctx, { params, body }) => enterStocktakeCounts(ctx, params.id, body),
    },
    {
      method: 'POST',
      url: '/api/stocktakes/:id/post',
      summary: 'Post the stocktake (盘点表过账): close counting and compare counted with book at count time',
      tags,
      params: idParams,
      handler: (ctx, { params }) => postStocktake(ctx, params.id),
    },
    {
      method: 'POST',
      url: '/api/stocktakes/:id/unpost',
      summary: 'Roll the posting back (回退过账) to recount; refused once loss/overage documents exist',
      tags,
      params: idParams,
      body: z.object({ comment: text().trim().max(1000).optional() }).default({}),
      handler: (ctx, { params, body }) => unpostStocktake(ctx, params.id, body.comment),
    },
    {
      method: 'GET',
      url: '/api/stocktakes/:id/variance',
      summary: 'Surplus (盘盈) and shortage (盘亏) lines of a posted stocktake, with totals',
      tags,
      params: idParams,
      handler: (ctx, { params }) => getStocktakeVariance(ctx, params.id),
    },
    {
      method: 'GET',
      url: '/api/stocktakes/:id/variance/export',
      summary: 'The variance as .xlsx',
      tags,
      params: idParams,
      handler: async (ctx, { params, reply }) => sendXlsx(reply, await exportStocktakeVariance(ctx, params.id)),
    },
    {
      method: 'POST',
      url: '/api/stocktakes/:id/generate',
      summary: 'Generate the loss/overage documents (生成损益) of a posted stocktake and submit them for approval',
      tags,
      params: idParams,
      handler: (ctx, { params }) => generateStocktakeAdjustments(ctx, params.id),
    },
    {
      method: 'GET',
      url: '/api/inventory/review-queue',
      summary: 'Generic inbound/outbound review (通用出入库复核): confirmed stock documents not yet posted',
      tags,
      querystring: reviewQueueQuery,
      handler: (ctx, { query }) => listReviewQueue(ctx, query),
    },
    {
      method: 'GET',
      url: '/api/inventory/review-queue/export',
      summary: 'The review queue as .xlsx',
      tags,
      querystring: reviewQueueQuery,
      handler: async (ctx, { query, reply }) => sendXlsx(reply, await exportReviewQueue(ctx, query)),
    },
    {
      method: 'POST',
      url: '/api/inventory/review-queue/post',
      summary: 'Post reviewed documents (记账), one or many; all or nothing',
      tags,
      body: reviewPostBody,
      handler: (ctx, { body }) => postReviewedDocuments(ctx, body.ids),
    },
    {
      method: 'GET',
      url: '/api/inventory/documents/:id/costs',
      summary: 'Value of a stock document: estimated per line before posting, the ledger’s costs after',
      tags,
      params: idParams,
      handler: (ctx, { params }) => getDocumentCosts(ctx, params.id),
    },
  ]);
}
