import {
  createCounterBody,
  createOrgBody,
  createShelfBody,
  createWarehouseBody,
  distributionRelationBody,
  docTypeConfigBody,
  entity,
  id,
  idParams,
  ORG_KINDS,
  openStoreBody,
  openStoreCheckBody,
  orgParamsBody,
  text,
  updateOrgBody,
} from '@erp/contracts';
import {
  authorize,
  checkOpenStore,
  createCounter,
  createOrg,
  createShelf,
  createWarehouse,
  currentBusinessDay,
  exportOrgs,
  getOrg,
  getOrgParams,
  lastClosedDay,
  listCounters,
  listDistributionRelations,
  listOrgs,
  listShelves,
  listWarehouses,
  openStore,
  registeredDocTypes,
  resolveDocConfig,
  setDistributionRelation,
  setDocConfig,
  updateOrg,
  updateOrgParams,
} from '@erp/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { xlsxDownload } from '../http/download.js';
import { defineRoutes, type RouteDeps } from '../http/route.js';

export function orgRoutes(app: FastifyInstance, deps: RouteDeps): void {
  defineRoutes(app, deps, [
    {
      method: 'GET',
      url: '/api/orgs',
      summary: 'Orgs the user may see, in tree order',
      tags: ['org'],
      querystring: entity('org', z.object({ kind: z.enum(ORG_KINDS).optional(), q: text().max(100).optional() })),
      handler: (ctx, { query }) => listOrgs(ctx, query),
    },
    {
      method: 'GET',
      url: '/api/orgs/export',
      summary: 'Orgs as .xlsx',
      tags: ['org'],
      handler: async (ctx, { reply }) => xlsxDownload(reply, ctx.locale === 'en' ? 'orgs' : '机构', await exportOrgs(ctx)),
    },
    {
      method: 'GET',
      url: '/api/orgs/:id',
      summary: 'One org',
      tags: ['org'],
      params: idParams,
      handler: (ctx, { params }) => getOrg(ctx, params.id),
    },
    {
      method: 'POST',
      url: '/api/orgs',
      summary: 'Create an org under a parent (ORG-1)',
      tags: ['org'],
      status: 201,
      body: createOrgBody,
      handler: (ctx, { body }) => createOrg(ctx, body),
    },
    {
      method: 'PATCH',
      url: '/api/orgs/:id',
      summary: 'Edit an org',
      tags: ['org'],
      params: idParams,
      body: updateOrgBody,
      handler: (ctx, { params, body }) => updateOrg(ctx, params.id, body),
    },
    {
      method: 'POST',
      url: '/api/stores/open',
      summary: 'Open a new store: org, warehouses, supplying DCs, parameters, users in one step (ORG-2)',
      tags: ['org'],
      status: 201,
      body: openStoreBody,
      handler: (ctx, { body }) => openStore(ctx, body),
    },
    {
      method: 'POST',
      url: '/api/stores/open/validate',
      summary: "The open-store wizard's step check: the issues the submit would raise for the part sent; creates nothing",
      tags: ['org'],
      body: openStoreCheckBody,
      handler: (ctx, { body }) => checkOpenStore(ctx, body),
    },
    {
      method: 'GET',
      url: '/api/orgs/:id/params',
      summary: 'Store parameters (ORG-3)',
      tags: ['org'],
      params: idParams,
      handler: (ctx, { params }) => getOrgParams(ctx, params.id),
    },
    {
      method: 'PUT',
      url: '/api/orgs/:id/params',
      summary: 'Change store parameters (ORG-3)',
      tags: ['org'],
      params: idParams,
      body: orgParamsBody,
      handler: (ctx, { params, body }) => updateOrgParams(ctx, params.id, body),
    },
    {
      method: 'GET',
      url: '/api/orgs/:id/business-day',
      summary: 'The current logical business day and the last closed day (ORG-4)',
      tags: ['org'],
      params: idParams,
      handler: async (ctx, { params }) => {
        authorize(ctx, 'org', 'view');
        ctx.scope.assert(params.id, 'org', params.id);
        return {
          orgId: params.id,
          current: await currentBusinessDay(ctx.db, params.id),
          lastClosed: await lastClosedDay(ctx.db, params.id),
        };
      },
    },
    {
      method: 'GET',
      url: '/api/warehouses',
      summary: 'Warehouses of visible orgs',
      tags: ['org'],
      querystring: z.object({ orgId: id.optional() }),
      handler: (ctx, { query }) => listWarehouses(ctx, query.orgId),
    },
    {
      method: 'POST',
      url: '/api/warehouses',
      summary: 'Create a warehouse (保管帐) for a DC or store',
      tags: ['org'],
      status: 201,
      body: createWarehouseBody,
      handler: (ctx, { body }) => createWarehouse(ctx, body),
    },
    {
      method: 'GET',
      url: '/api/orgs/:id/counters',
      summary: 'Counters (柜组) of a store',
      tags: ['org'],
      params: idParams,
      handler: (ctx, { params }) => listCounters(ctx, params.id),
    },
    {
      method: 'POST',
      url: '/api/counters',
      summary: 'Create a counter (柜组) in a store',
      tags: ['org'],
      status: 201,
      body: createCounterBody,
      handler: (ctx, { body }) => createCounter(ctx, body),
    },
    {
      method: 'GET',
      url: '/api/warehouses/:id/shelves',
      summary: 'Shelves (货架) of a warehouse',
      tags: ['org'],
      params: idParams,
      handler: (ctx, { params }) => listShelves(ctx, params.id),
    },
    {
      method: 'POST',
      url: '/api/shelves',
      summary: 'Create a shelf (货架)',
      tags: ['org'],
      status: 201,
      body: createShelfBody,
      handler: (ctx, { body }) => createShelf(ctx, body),
    },
    {
      method: 'GET',
      url: '/api/distribution-relations',
      summary: 'Which DCs supply which stores',
      tags: ['org'],
      querystring: z.object({ storeId: id.optional() }),
      handler: (ctx, { query }) => listDistributionRelations(ctx, query.storeId),
    },
    {
      method: 'PUT',
      url: '/api/distribution-relations',
      summary: 'Set the priority and level at which a DC supplies a store',
      tags: ['org'],
      body: distributionRelationBody,
      handler: (ctx, { body }) => setDistributionRelation(ctx, body),
    },
    {
      method: 'GET',
      url: '/api/doc-config',
      summary: 'Needs-approval and auto-post per document type, as they apply at an org',
      tags: ['documents'],
      querystring: z.object({ orgId: id }),
      handler: async (ctx, { query }) => {
        authorize(ctx, 'doc_config', 'view');
        ctx.scope.assert(query.orgId, 'org', query.orgId);
        const out = [];
        for (const h of registeredDocTypes())
          out.push({
            docType: h.type,
            ...(await resolveDocConfig(ctx, h.type, query.orgId)),
            // What the type's lifecycle allows, so clients show only the transitions that can succeed.
            posts: !!h.onPost,
            rollbackFrom: h.rollback?.from ?? [],
            lineApproval: !!h.lineApproval,
          });
        return out;
      },
    },
    {
      method: 'PUT',
      url: '/api/doc-config',
      summary: 'Set needs-approval and auto-post for a document type at an org and below',
      tags: ['documents'],
      body: docTypeConfigBody,
      handler: (ctx, { body }) => setDocConfig(ctx, body),
    },
  ]);
}
