import { defineFeature, type PageDef } from '../../shared/feature';
import type { StockDocKind } from './kinds';
import { m } from './messages';

type Key = keyof (typeof m)['zh-CN'];

const list = (k: StockDocKind) => () => import('./StockDocList').then((x) => ({ default: x.lists[k] }));
const page = (k: StockDocKind) => () => import('./StockDocPage').then((x) => ({ default: x.pages[k] }));

/** List, new and detail routes of one stock document type. */
function docPages(k: StockDocKind, path: string, titles: [Key, Key, Key], order: number): PageDef<Key>[] {
  const base = `/inventory/${path}`;
  return [
    { path: base, title: titles[0], grant: `doc.${k}:view`, order, load: list(k) },
    { path: `${base}/new`, title: titles[2], grant: `doc.${k}:create`, menu: false, parent: base, load: page(k) },
    { path: `${base}/:id`, title: titles[1], grant: `doc.${k}:view`, menu: false, parent: base, load: page(k) },
  ];
}

/**
 * Store and warehouse inventory operations (INV-3…8, DOC): loss and overage with HQ finance approval, stocktakes
 * with printable count sheets and scanning, internal adjustments, warehouse moves, other inbound/outbound, the
 * generic inbound/outbound review queue, and the period stock report. Stock queries live in features/stock.
 */
export const feature = defineFeature({
  key: 'inventory',
  messages: m,
  group: 'inventory',
  pages: [
    ...docPages('loss', 'losses', ['page.losses', 'page.loss', 'page.lossNew'], 50),
    ...docPages('overage', 'overages', ['page.overages', 'page.overage', 'page.overageNew'], 60),
    {
      path: '/inventory/stocktakes',
      title: 'page.stocktakes',
      grant: 'doc.stocktake:view',
      order: 70,
      load: () => import('./StocktakesPage'),
    },
    {
      path: '/inventory/stocktakes/:id',
      title: 'page.stocktake',
      grant: 'doc.stocktake:view',
      menu: false,
      parent: '/inventory/stocktakes',
      load: () => import('./StocktakePage'),
    },
    {
      path: '/inventory/stocktakes/:id/print',
      title: 'page.stocktakePrint',
      grant: 'doc.stocktake:view',
      menu: false,
      parent: '/inventory/stocktakes',
      load: () => import('./StocktakePrintPage'),
    },
    ...docPages('internal_adjustment', 'adjustments', ['page.adjustments', 'page.adjustment', 'page.adjustmentNew'], 80),
    ...docPages('warehouse_move', 'moves', ['page.moves', 'page.move', 'page.moveNew'], 90),
    ...docPages('other_inbound', 'other-inbound', ['page.otherIns', 'page.otherIn', 'page.otherInNew'], 100),
    ...docPages('other_outbound', 'other-outbound', ['page.otherOuts', 'page.otherOut', 'page.otherOutNew'], 110),
    {
      path: '/inventory/review',
      title: 'page.review',
      grant: 'stock_review:view',
      order: 120,
      load: () => import('./ReviewPage'),
    },
    {
      path: '/inventory/exceptions',
      title: 'page.exceptions',
      grant: 'stock:view',
      order: 125,
      load: () => import('./StockExceptionsPage'),
    },
    {
      path: '/inventory/period-report',
      title: 'page.periodReport',
      grant: 'stock:view',
      order: 130,
      load: () => import('./PeriodReportPage'),
    },
  ],
});
