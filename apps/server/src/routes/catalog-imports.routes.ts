import {
  type ImportKind,
  idParams,
  importBody,
  importJobDto,
  importJobListQuery,
  importJobPage,
  importKindLabels,
  importKindParams,
} from '@erp/contracts';
import { exportImportJobs, getImportJob, importReportXlsx, importTemplate, listImportJobs, runImport } from '@erp/core';
import type { FastifyInstance } from 'fastify';
import { defineRoutes, type RouteDeps } from '../http/route.js';
import { xlsx } from './catalog-shared.js';

/** Imports (MD-4): upload, templates, job history and reports. */
export function catalogImportRoutes(app: FastifyInstance, deps: RouteDeps): void {
  defineRoutes(app, deps, [
    {
      method: 'GET',
      url: '/api/imports/templates/:kind',
      summary: 'The .xlsx template of an import kind (products, barcodes, prices, suppliers, customers)',
      tags: ['imports'],
      params: importKindParams,
      handler: async (ctx, { params, reply }) => {
        const kind = params.kind as ImportKind;
        return xlsx(reply, `${ctx.locale === 'en' ? kind : importKindLabels[kind].zh}-template`, await importTemplate(ctx, kind));
      },
    },
    {
      method: 'POST',
      url: '/api/imports',
      summary:
        'Import a file sent as base64 JSON: any bad row refuses the whole file unless goodRowsOnly; answers the job with its row-by-row report (zh-CN/en)',
      tags: ['imports'],
      status: 201,
      body: importBody,
      response: importJobDto,
      handler: (ctx, { body }) => runImport(ctx, body),
    },
    {
      method: 'GET',
      url: '/api/imports',
      summary: 'Import history: who imported what, when, with what outcome',
      tags: ['imports'],
      querystring: importJobListQuery,
      response: importJobPage,
      handler: (ctx, { query }) => listImportJobs(ctx, query),
    },
    {
      method: 'GET',
      url: '/api/imports/export',
      summary: 'Import history as .xlsx',
      tags: ['imports'],
      querystring: importJobListQuery.omit({ page: true, pageSize: true, sort: true, order: true }),
      handler: async (ctx, { query, reply }) =>
        xlsx(reply, ctx.locale === 'en' ? 'imports' : '导入记录', await exportImportJobs(ctx, query)),
    },
    {
      method: 'GET',
      url: '/api/imports/:id',
      summary: 'One import job with its full report',
      tags: ['imports'],
      params: idParams,
      response: importJobDto,
      handler: (ctx, { params }) => getImportJob(ctx, params.id),
    },
    {
      method: 'GET',
      url: '/api/imports/:id/report',
      summary: "An import job's report as .xlsx",
      tags: ['imports'],
      params: idParams,
      handler: async (ctx, { params, reply }) =>
        xlsx(reply, `${ctx.locale === 'en' ? 'import-report' : '导入报告'}-${params.id}`, await importReportXlsx(ctx, params.id)),
    },
  ]);
}
