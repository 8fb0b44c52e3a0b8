import { idParams, okResponse, pageOf, simpleListQuery } from '@erp/contracts';
import { createSimple, deleteSimple, exportSimple, listSimple, type SimpleTable, updateSimple } from '@erp/core';
import type { z } from 'zod';
import { xlsxDownload as xlsx } from '../http/download.js';
import type { RouteSpec } from '../http/route.js';

export { xlsxDownload as xlsx } from '../http/download.js';

interface SimpleRoutesOptions<Dto> {
  path: string;
  tag: string;
  what: string;
  def: SimpleTable<Dto>;
  body: z.ZodType;
  update: z.ZodType;
  dto: z.ZodType;
  /** Extra list filters (reason codes: usage). */
  listQuery?: typeof simpleListQuery;
  filterKeys?: string[];
}

/** List, export, create, edit and delete routes of one small code table (units, brands, payment methods…). */
// biome-ignore lint/suspicious/noExplicitAny: each spec is checked where it is written.
export function simpleTableRoutes<Dto>(o: SimpleRoutesOptions<Dto>): RouteSpec<any, any, any>[] {
  const listQuery = o.listQuery ?? simpleListQuery;
  const filters = (q: Record<string, unknown>) =>
    Object.fromEntries((o.filterKeys ?? []).map((k) => [k, q[k] as string | undefined]));
  return [
    {
      method: 'GET',
      url: o.path,
      summary: `List ${o.what}: paginated, searchable by code and name`,
      tags: [o.tag],
      querystring: listQuery,
      response: pageOf(o.dto),
      handler: (ctx, { query }) => listSimple(ctx, o.def, { ...query, filters: filters(query) }),
    },
    {
      method: 'GET',
      url: `${o.path}/export`,
      summary: `Export ${o.what} as .xlsx`,
      tags: [o.tag],
      querystring: listQuery.omit({ page: true, pageSize: true }),
      handler: async (ctx, { query, reply }) =>
        xlsx(
          reply,
          ctx.locale === 'en' ? o.def.label.en : o.def.label.zh,
          await exportSimple(ctx, o.def, { ...query, filters: filters(query) }),
        ),
    },
    {
      method: 'POST',
      url: o.path,
      summary: `Create one of ${o.what}`,
      tags: [o.tag],
      status: 201,
      body: o.body,
      response: o.dto,
      handler: (ctx, { body }) => createSimple(ctx, o.def, body),
    },
    {
      method: 'PATCH',
      url: `${o.path}/:id`,
      summary: `Edit or deactivate one of ${o.what}`,
      tags: [o.tag],
      params: idParams,
      body: o.update,
      response: o.dto,
      handler: (ctx, { params, body }) => updateSimple(ctx, o.def, params.id, body),
    },
    {
      method: 'DELETE',
      url: `${o.path}/:id`,
      summary: `Delete one of ${o.what} that nothing uses`,
      tags: [o.tag],
      params: idParams,
      response: okResponse,
      handler: (ctx, { params }) => deleteSimple(ctx, o.def, params.id),
    },
  ];
}
