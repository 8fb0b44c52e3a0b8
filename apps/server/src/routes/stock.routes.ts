import { id, ledgerDetailQuery, nearExpiryQuery, stockBalanceQuery, stockLedgerQuery, stockMovementQuery } from '@erp/contracts';
import {
  type ExportFile,
  exportLedgerDetail,
  exportNearExpiry,
  exportStockBalances,
  exportStockLedger,
  exportStockMovements,
  getLedgerDetail,
  listNearExpiry,
  listStockBalances,
  listStockLedger,
  listStockMovements,
  recalculateStock,
} from '@erp/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { xlsxDownload } from '../http/download.js';
import { defineRoutes, type RouteDeps } from '../http/route.js';

export function sendXlsx(reply: FastifyReply, file: ExportFile): Buffer {
  return xlsxDownload(reply, file.filename, file.content);
}

/** Stock queries (INV-3), each with an .xlsx export taking the same filters, and recalculation (INV-1). */
export function stockRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const tags = ['inventory'];
  defineRoutes(app, deps, [
    {
      method: 'GET',
      url: '/api/stock/balances',
      summary: 'Stock by warehouse and product, by batch/lot/shelf/status as grouped (库存查询, INV-3)',
      tags,
      querystring: stockBalanceQuery,
      handler: (ctx, { query }) => listStockBalances(ctx, query),
    },
    {
      method: 'GET',
      url: '/api/stock/balances/export',
      summary: 'Stock as .xlsx',
      tags,
      querystring: stockBalanceQuery,
      handler: async (ctx, { query, reply }) => sendXlsx(reply, await exportStockBalances(ctx, query)),
    },
    {
      method: 'GET',
      url: '/api/stock/ledger',
      summary: 'Stock ledger entries, newest first',
      tags,
      querystring: stockLedgerQuery,
      handler: (ctx, { query }) => listStockLedger(ctx, query),
    },
    {
      method: 'GET',
      url: '/api/stock/ledger/export',
      summary: 'Stock ledger entries as .xlsx',
      tags,
      querystring: stockLedgerQuery,
      handler: async (ctx, { query, reply }) => sendXlsx(reply, await exportStockLedger(ctx, query)),
    },
    {
      method: 'GET',
      url: '/api/stock/ledger-detail',
      summary: 'Ledger detail for a period (保管明细账): opening, entries with running balance, closing',
      tags,
      querystring: ledgerDetailQuery,
      handler: (ctx, { query }) => getLedgerDetail(ctx, query),
    },
    {
      method: 'GET',
      url: '/api/stock/ledger-detail/export',
      summary: 'Ledger detail as .xlsx',
      tags,
      querystring: ledgerDetailQuery,
      handler: async (ctx, { query, reply }) => sendXlsx(reply, await exportLedgerDetail(ctx, query)),
    },
    {
      method: 'GET',
      url: '/api/stock/near-expiry',
      summary: 'Stock expiring within N days (近效期库存), expired included unless told',
      tags,
      querystring: nearExpiryQuery,
      handler: (ctx, { query }) => listNearExpiry(ctx, query),
    },
    {
      method: 'GET',
      url: '/api/stock/near-expiry/export',
      summary: 'Near-expiry stock as .xlsx',
      tags,
      querystring: nearExpiryQuery,
      handler: async (ctx, { query, reply }) => sendXlsx(reply, await exportNearExpiry(ctx, query)),
    },
    {
      method: 'GET',
      url: '/api/stock/movements',
      summary: 'Inbound/outbound document detail (出入库单明细) for a period',
      tags,
      querystring: stockMovementQuery,
      handler: (ctx, { query }) => listStockMovements(ctx, query),
    },
    {
      method: 'GET',
      url: '/api/stock/movements/export',
      summary: 'Inbound/outbound document detail as .xlsx',
      tags,
      querystring: stockMovementQuery,
      handler: async (ctx, { query, reply }) => sendXlsx(reply, await exportStockMovements(ctx, query)),
    },
    {
      method: 'POST',
      url: '/api/stock/recalculate',
      summary: 'Recalculate stock from the ledger (重算库存); report differences, optionally repair',
      tags,
      body: z.object({ warehouseIds: z.array(id).optional(), fix: z.boolean().default(false) }),
      handler: (ctx, { body }) => recalculateStock(ctx, body),
    },
  ]);
}
