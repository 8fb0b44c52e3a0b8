import {
  barcodeLookupDto,
  brandBody,
  brandDto,
  catalogChangesQuery,
  categoryBody,
  categoryDto,
  createProductBody,
  DomainError,
  idParams,
  okResponse,
  productDto,
  productListQuery,
  productPage,
  queryBool,
  scaleBarcodeSettingsBody,
  storeCatalogBody,
  storeCatalogDto,
  text,
  unitBody,
  unitDto,
  updateBrandBody,
  updateCategoryBody,
  updateProductBody,
  updateUnitBody,
} from '@erp/contracts';
import {
  assertVisibleStore,
  authorize,
  brandTable,
  catalogChangesSince,
  createCategory,
  createProduct,
  deleteCategory,
  exportCategories,
  exportProducts,
  findProductByBarcode,
  getCategory,
  getProduct,
  getStoreCatalog,
  listCategories,
  listProducts,
  readScaleBarcodeSettings,
  setStoreCatalog,
  unitTable,
  updateCategory,
  updateProduct,
  updateScaleBarcodeSettings,
} from '@erp/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoutes, type RouteDeps, type RouteSpec } from '../http/route.js';
import { catalogImportRoutes } from './catalog-imports.routes.js';
import { catalogPartnerRoutes } from './catalog-partners.routes.js';
import { catalogPricingRoutes } from './catalog-pricing.routes.js';
import { simpleTableRoutes, xlsx } from './catalog-shared.js';

/** Routes of the master-data module (MD-1…MD-4): products, categories, units, brands, prices, partners, imports. */
export function catalogRoutes(app: FastifyInstance, deps: RouteDeps): void {
  defineRoutes(app, deps, [...productRoutes(), ...categoryRoutes(), ...settingsRoutes()]);
  defineRoutes(app, deps, [
    ...simpleTableRoutes({
      path: '/api/units',
      tag: 'catalog',
      what: 'units (计量单位)',
      def: unitTable,
      body: unitBody,
      update: updateUnitBody,
      dto: unitDto,
    }),
    ...simpleTableRoutes({
      path: '/api/brands',
      tag: 'catalog',
      what: 'brands (品牌)',
      def: brandTable,
      body: brandBody,
      update: updateBrandBody,
      dto: brandDto,
    }),
  ]);
  catalogPricingRoutes(app, deps);
  catalogPartnerRoutes(app, deps);
  catalogImportRoutes(app, deps);
}

const exportQuery = productListQuery.omit({ page: true, pageSize: true, sort: true, order: true });

// biome-ignore lint/suspicious/noExplicitAny: each spec is checked where it is written.
function productRoutes(): RouteSpec<any, any, any>[] {
  return [
    {
      method: 'GET',
      url: '/api/products',
      summary: 'Products: paginated, sortable (code, name, pinyin, createdAt, updatedAt, category, brand), filterable (MD-1)',
      tags: ['catalog'],
      querystring: productListQuery,
      response: productPage,
      handler: (ctx, { query }) => listProducts(ctx, query),
    },
    {
      method: 'GET',
      url: '/api/products/export',
      summary: 'Products as .xlsx (same filters as the list)',
      tags: ['catalog'],
      querystring: exportQuery,
      handler: async (ctx, { query, reply }) =>
        xlsx(reply, ctx.locale === 'en' ? 'products' : '商品', await exportProducts(ctx, query)),
    },
    {
      method: 'GET',
      url: '/api/products/by-barcode/:barcode',
      summary: 'The product a scanned code names: a barcode (any unit) or a weighed-goods label with its price/weight',
      tags: ['catalog'],
      params: z.object({ barcode: text().trim().min(1).max(32) }),
      response: barcodeLookupDto,
      handler: async (ctx, { params }) => {
        const hit = await findProductByBarcode(ctx, params.barcode);
        if (!hit) throw new DomainError('NOT_FOUND', { entity: 'barcode', id: params.barcode });
        return hit;
      },
    },
    {
      method: 'GET',
      url: '/api/products/:id',
      summary: 'One product with its barcodes and pack units',
      tags: ['catalog'],
      params: idParams,
      response: productDto,
      handler: (ctx, { params }) => getProduct(ctx, params.id),
    },
    {
      method: 'POST',
      url: '/api/products',
      summary: 'Create a product (barcodes check-digit verified, pack units with exact factors, optional first prices)',
      tags: ['catalog'],
      status: 201,
      body: createProductBody,
      response: productDto,
      handler: (ctx, { body }) => createProduct(ctx, body),
    },
    {
      method: 'PATCH',
      url: '/api/products/:id',
      summary: 'Edit a product (optimistic lock on version; barcodes/units, when sent, replace the sets)',
      tags: ['catalog'],
      params: idParams,
      body: updateProductBody,
      response: productDto,
      handler: (ctx, { params, body }) => updateProduct(ctx, params.id, body),
    },
  ];
}

// biome-ignore lint/suspicious/noExplicitAny: each spec is checked where it is written.
function categoryRoutes(): RouteSpec<any, any, any>[] {
  const listQuery = z.object({ q: text().max(100).optional(), active: queryBool.optional() });
  return [
    {
      method: 'GET',
      url: '/api/categories',
      summary: 'The category tree (类别), depth-first, with product counts',
      tags: ['catalog'],
      querystring: listQuery,
      response: z.array(categoryDto),
      handler: (ctx, { query }) => listCategories(ctx, query),
    },
    {
      method: 'GET',
      url: '/api/categories/export',
      summary: 'Categories as .xlsx',
      tags: ['catalog'],
      handler: async (ctx, { reply }) =>
        xlsx(reply, ctx.locale === 'en' ? 'categories' : '商品类别', await exportCategories(ctx)),
    },
    {
      method: 'GET',
      url: '/api/categories/:id',
      summary: 'One category',
      tags: ['catalog'],
      params: idParams,
      response: categoryDto,
      handler: (ctx, { params }) => getCategory(ctx, params.id),
    },
    {
      method: 'POST',
      url: '/api/categories',
      summary: 'Create a category under a parent (any depth)',
      tags: ['catalog'],
      status: 201,
      body: categoryBody,
      response: categoryDto,
      handler: (ctx, { body }) => createCategory(ctx, body),
    },
    {
      method: 'PATCH',
      url: '/api/categories/:id',
      summary: 'Edit or move a category (its subtree moves with it)',
      tags: ['catalog'],
      params: idParams,
      body: updateCategoryBody,
      response: categoryDto,
      handler: (ctx, { params, body }) => updateCategory(ctx, params.id, body),
    },
    {
      method: 'DELETE',
      url: '/api/categories/:id',
      summary: 'Delete an unused category (no products, no children)',
      tags: ['catalog'],
      params: idParams,
      response: okResponse,
      handler: (ctx, { params }) => deleteCategory(ctx, params.id),
    },
  ];
}

// biome-ignore lint/suspicious/noExplicitAny: each spec is checked where it is written.
function settingsRoutes(): RouteSpec<any, any, any>[] {
  return [
    {
      method: 'GET',
      url: '/api/catalog/settings/scale-barcode',
      summary: 'Weighed-goods label layout (prefix, item-code length, value length, price or weight, decimals)',
      tags: ['catalog'],
      response: scaleBarcodeSettingsBody,
      handler: (ctx) => readScaleBarcodeSettings(ctx),
    },
    {
      method: 'PUT',
      url: '/api/catalog/settings/scale-barcode',
      summary: 'Change the weighed-goods label layout (company-wide)',
      tags: ['catalog'],
      body: scaleBarcodeSettingsBody,
      response: scaleBarcodeSettingsBody,
      handler: (ctx, { body }) => updateScaleBarcodeSettings(ctx, body),
    },
    {
      method: 'GET',
      url: '/api/stores/:id/catalog',
      summary: "A store's assortment (门店基础资料): the categories it may see; empty = whole catalog",
      tags: ['catalog'],
      params: idParams,
      response: storeCatalogDto,
      handler: (ctx, { params }) => getStoreCatalog(ctx, params.id),
    },
    {
      method: 'PUT',
      url: '/api/stores/:id/catalog',
      summary: "Set a store's assortment (门店基础资料)",
      tags: ['catalog'],
      params: idParams,
      body: storeCatalogBody,
      response: storeCatalogDto,
      handler: (ctx, { params, body }) => setStoreCatalog(ctx, params.id, body),
    },
    {
      method: 'GET',
      url: '/api/catalog/changes',
      summary: 'Till delta sync: products, barcodes and applicable price rows changed after a cursor',
      tags: ['catalog'],
      querystring: catalogChangesQuery,
      handler: async (ctx, { query }) => {
        authorize(ctx, 'product', 'view');
        await assertVisibleStore(ctx, query.storeId);
        return catalogChangesSince(ctx.db, query);
      },
    },
  ];
}
