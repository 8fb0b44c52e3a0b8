import { defineFeature } from '../../shared/feature';
import { m } from './messages';

/** Master data (MD-1, MD-2, MD-4): products, categories, brands, units, prices, price changes, imports. */
export const feature = defineFeature({
  key: 'catalog',
  messages: m,
  group: 'masterData',
  pages: [
    { path: '/catalog/products', title: 'page.products', grant: 'product:view', order: 10, load: () => import('./ProductsPage') },
    {
      path: '/catalog/products/new',
      title: 'page.productNew',
      grant: 'product:create',
      menu: false,
      parent: '/catalog/products',
      load: () => import('./ProductEditPage'),
    },
    {
      path: '/catalog/products/:id',
      title: 'page.product',
      grant: 'product:view',
      menu: false,
      parent: '/catalog/products',
      load: () => import('./ProductEditPage'),
    },
    {
      path: '/catalog/categories',
      title: 'page.categories',
      grant: 'category:view',
      order: 20,
      load: () => import('./CategoriesPage'),
    },
    { path: '/catalog/brands', title: 'page.brands', grant: 'brand:view', order: 30, load: () => import('./BrandsPage') },
    { path: '/catalog/units', title: 'page.units', grant: 'unit:view', order: 40, load: () => import('./UnitsPage') },
    { path: '/catalog/prices', title: 'page.prices', grant: 'price:view', order: 50, load: () => import('./PricesPage') },
    {
      path: '/catalog/price-changes',
      title: 'page.priceChanges',
      grant: 'doc.price_change:view',
      order: 60,
      load: () => import('./PriceChangesPage'),
    },
    {
      path: '/catalog/price-changes/new',
      title: 'page.priceChangeNew',
      grant: 'doc.price_change:create',
      menu: false,
      parent: '/catalog/price-changes',
      load: () => import('./PriceChangeNewPage'),
    },
    {
      path: '/catalog/imports',
      title: 'page.imports',
      grant: ['import_job:view', 'product:import', 'price:import', 'supplier:import', 'customer:import'],
      order: 90,
      load: () => import('./ImportsPage'),
    },
    {
      path: '/catalog/settings',
      title: 'page.settings',
      grant: 'catalog_settings:view',
      order: 95,
      load: () => import('./SettingsPage'),
    },
  ],
});
