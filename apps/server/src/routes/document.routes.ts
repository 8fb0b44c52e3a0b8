import {
  createDocumentBody,
  documentListQuery,
  idParams,
  lineDecisionBody,
  transitionBody,
  updateDocumentBody,
  voidLinesBody,
} from '@erp/contracts';
import {
  createDocument,
  decideLines,
  exportDocuments,
  getDocument,
  getDocumentDetails,
  listAudit,
  listDocuments,
  transition,
  updateDocument,
  voidLines,
} from '@erp/core';
import type { FastifyInstance } from 'fastify';
import { xlsxDownload } from '../http/download.js';
import { defineRoutes, type RouteDeps } from '../http/route.js';

export function documentRoutes(app: FastifyInstance, deps: RouteDeps): void {
  defineRoutes(app, deps, [
    {
      method: 'GET',
      url: '/api/documents',
      summary: 'Documents of visible orgs (filter by type, status, date, number)',
      tags: ['documents'],
      querystring: documentListQuery,
      handler: (ctx, { query }) => listDocuments(ctx, query),
    },
    {
      method: 'GET',
      url: '/api/documents/export',
      summary: 'Documents as .xlsx (same filters as the list)',
      tags: ['documents'],
      querystring: documentListQuery.omit({ page: true, pageSize: true }),
      handler: async (ctx, { query, reply }) =>
        xlsxDownload(
          reply,
          ctx.locale === 'en' ? 'documents' : '单据',
          await exportDocuments(ctx, { ...query, page: 1, pageSize: 1 }),
        ),
    },
    {
      method: 'GET',
      url: '/api/documents/:id',
      summary: 'A document with its lines',
      tags: ['documents'],
      params: idParams,
      handler: (ctx, { params }) => getDocument(ctx, params.id),
    },
    {
      method: 'GET',
      url: '/api/documents/:id/details',
      summary: "What the document's type adds to its view (a price change: reach, old → new price per line)",
      tags: ['documents'],
      params: idParams,
      handler: (ctx, { params }) => getDocumentDetails(ctx, params.id),
    },
    {
      method: 'GET',
      url: '/api/documents/:id/history',
      summary: 'Every change and state transition of a document',
      tags: ['documents'],
      params: idParams,
      handler: async (ctx, { params }) => {
        await getDocument(ctx, params.id);
        return listAudit(ctx, { entity: 'document', entityId: String(params.id), page: 1, pageSize: 500, order: 'desc' });
      },
    },
    {
      method: 'POST',
      url: '/api/documents',
      summary: 'Create a draft document (header and lines)',
      tags: ['documents'],
      status: 201,
      body: createDocumentBody,
      handler: (ctx, { body }) => createDocument(ctx, body),
    },
    {
      method: 'PUT',
      url: '/api/documents/:id',
      summary: 'Edit a draft or rejected document (optimistic lock by version)',
      tags: ['documents'],
      params: idParams,
      body: updateDocumentBody,
      handler: (ctx, { params, body }) => updateDocument(ctx, params.id, body),
    },
    {
      method: 'POST',
      url: '/api/documents/:id/transitions',
      summary: 'Submit, approve, reject (comment required), confirm, post, complete, void or roll back',
      tags: ['documents'],
      params: idParams,
      body: transitionBody,
      handler: (ctx, { params, body }) => transition(ctx, params.id, body.action, { comment: body.comment }),
    },
    {
      method: 'POST',
      url: '/api/documents/:id/line-decisions',
      summary: 'Line-level approval',
      tags: ['documents'],
      params: idParams,
      body: lineDecisionBody,
      handler: (ctx, { params, body }) => decideLines(ctx, params.id, body.decisions),
    },
    {
      method: 'POST',
      url: '/api/documents/:id/void-lines',
      summary: 'Void lines of a document not yet posted',
      tags: ['documents'],
      params: idParams,
      body: voidLinesBody,
      handler: (ctx, { params, body }) => voidLines(ctx, params.id, body.lineIds),
    },
  ]);
}
