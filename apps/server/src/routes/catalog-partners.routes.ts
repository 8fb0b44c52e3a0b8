import {
  createPartnerBody,
  entity,
  idParams,
  okResponse,
  type PartnerKind,
  partnerDto,
  partnerKindLabels,
  partnerListQuery,
  partnerPage,
  paymentMethodBody,
  paymentMethodDto,
  reasonCodeBody,
  reasonCodeDto,
  reasonCodeListQuery,
  updatePartnerBody,
  updatePaymentMethodBody,
  updateReasonCodeBody,
} from '@erp/contracts';
import {
  createPartner,
  deletePartner,
  exportPartners,
  getPartner,
  listPartners,
  paymentMethodTable,
  reasonCodeTable,
  updatePartner,
} from '@erp/core';
import type { FastifyInstance } from 'fastify';
import { defineRoutes, type RouteDeps, type RouteSpec } from '../http/route.js';
import { simpleTableRoutes, xlsx } from './catalog-shared.js';

const partnerPaths: Record<PartnerKind, string> = {
  supplier: '/api/suppliers',
  customer: '/api/customers',
  manufacturer: '/api/manufacturers',
};

// biome-ignore lint/suspicious/noExplicitAny: each spec is checked where it is written.
function partnerRoutes(kind: PartnerKind): RouteSpec<any, any, any>[] {
  const path = partnerPaths[kind];
  const label = `${partnerKindLabels[kind].en.toLowerCase()}s (${partnerKindLabels[kind].zh})`;
  return [
    {
      method: 'GET',
      url: path,
      summary: `List ${label}: the company's and those of orgs in scope; search by code, name, pinyin`,
      tags: ['partners'],
      querystring: partnerListQuery,
      response: partnerPage,
      handler: (ctx, { query }) => listPartners(ctx, kind, query),
    },
    {
      method: 'GET',
      url: `${path}/export`,
      summary: `Export ${label} as .xlsx`,
      tags: ['partners'],
      querystring: partnerListQuery.omit({ page: true, pageSize: true, sort: true, order: true }),
      handler: async (ctx, { query, reply }) =>
        xlsx(reply, ctx.locale === 'en' ? `${kind}s` : partnerKindLabels[kind].zh, await exportPartners(ctx, kind, query)),
    },
    {
      method: 'GET',
      url: `${path}/:id`,
      summary: `One of ${label}`,
      tags: ['partners'],
      params: idParams,
      response: partnerDto,
      handler: (ctx, { params }) => getPartner(ctx, kind, params.id),
    },
    {
      method: 'POST',
      url: path,
      summary: `Create one of ${label} (owned by the company unless orgId names an org in scope)`,
      tags: ['partners'],
      status: 201,
      body: entity(kind, createPartnerBody),
      response: partnerDto,
      handler: (ctx, { body }) => createPartner(ctx, kind, body),
    },
    {
      method: 'PATCH',
      url: `${path}/:id`,
      summary: `Edit one of ${label} (optimistic lock on version)`,
      tags: ['partners'],
      params: idParams,
      body: entity(kind, updatePartnerBody),
      response: partnerDto,
      handler: (ctx, { params, body }) => updatePartner(ctx, kind, params.id, body),
    },
    {
      method: 'DELETE',
      url: `${path}/:id`,
      summary: `Delete one of ${label} nothing refers to`,
      tags: ['partners'],
      params: idParams,
      response: okResponse,
      handler: (ctx, { params }) => deletePartner(ctx, kind, params.id),
    },
  ];
}

/** Partners and the small code tables of MD-3. */
export function catalogPartnerRoutes(app: FastifyInstance, deps: RouteDeps): void {
  defineRoutes(app, deps, [
    ...partnerRoutes('supplier'),
    ...partnerRoutes('customer'),
    ...partnerRoutes('manufacturer'),
    ...simpleTableRoutes({
      path: '/api/payment-methods',
      tag: 'partners',
      what: 'payment methods (付款方式)',
      def: paymentMethodTable,
      body: paymentMethodBody,
      update: updatePaymentMethodBody,
      dto: paymentMethodDto,
    }),
    ...simpleTableRoutes({
      path: '/api/reason-codes',
      tag: 'partners',
      what: 'reason codes (原因代码: loss, overage, return…)',
      def: reasonCodeTable,
      body: reasonCodeBody,
      update: updateReasonCodeBody,
      dto: reasonCodeDto,
      listQuery: reasonCodeListQuery,
      filterKeys: ['usage'],
    }),
  ]);
}
