import { defineFeature } from '../../shared/feature';
import { m } from './messages';

const order = () => import('./OrderPage');
const receipt = () => import('./ReceiptPage');
const ret = () => import('./ReturnPage');
const self = () => import('./SelfPurchasePage');
const firstOp = () => import('./FirstOperationPage');

/**
 * Purchasing (PUR-1…4, MD-5, GSP-1): purchase orders, receiving with acceptance records, returns, store
 * self-purchase, first-operation applications and the purchasing queries. Every line grid scans (INV-8).
 */
export const feature = defineFeature({
  key: 'purchasing',
  messages: m,
  group: 'purchasing',
  pages: [
    {
      path: '/purchasing/orders',
      title: 'page.orders',
      grant: 'doc.purchase_order:view',
      order: 10,
      load: () => import('./OrdersPage'),
    },
    {
      path: '/purchasing/orders/new',
      title: 'page.orderNew',
      grant: 'doc.purchase_order:create',
      menu: false,
      parent: '/purchasing/orders',
      load: order,
    },
    {
      path: '/purchasing/orders/:id',
      title: 'page.order',
      grant: 'doc.purchase_order:view',
      menu: false,
      parent: '/purchasing/orders',
      load: order,
    },
    {
      path: '/purchasing/receipts',
      title: 'page.receipts',
      grant: 'doc.purchase_receipt:view',
      order: 20,
      load: () => import('./ReceiptsPage'),
    },
    {
      path: '/purchasing/receipts/new',
      title: 'page.receipt',
      grant: 'doc.purchase_receipt:create',
      menu: false,
      parent: '/purchasing/receipts',
      load: receipt,
    },
    {
      path: '/purchasing/receipts/:id',
      title: 'page.receipt',
      grant: 'doc.purchase_receipt:view',
      menu: false,
      parent: '/purchasing/receipts',
      load: receipt,
    },
    {
      path: '/purchasing/returns',
      title: 'page.returns',
      grant: 'doc.purchase_return:view',
      order: 30,
      load: () => import('./ReturnsPage'),
    },
    {
      path: '/purchasing/returns/new',
      title: 'page.returnNew',
      grant: 'doc.purchase_return:create',
      menu: false,
      parent: '/purchasing/returns',
      load: ret,
    },
    {
      path: '/purchasing/returns/:id',
      title: 'page.return',
      grant: 'doc.purchase_return:view',
      menu: false,
      parent: '/purchasing/returns',
      load: ret,
    },
    {
      path: '/purchasing/self-purchases',
      title: 'page.selfPurchases',
      grant: 'doc.self_purchase:view',
      order: 40,
      load: () => import('./SelfPurchasesPage'),
    },
    {
      path: '/purchasing/self-purchases/new',
      title: 'page.selfPurchaseNew',
      grant: 'doc.self_purchase:create',
      menu: false,
      parent: '/purchasing/self-purchases',
      load: self,
    },
    {
      path: '/purchasing/self-purchases/:id',
      title: 'page.selfPurchase',
      grant: 'doc.self_purchase:view',
      menu: false,
      parent: '/purchasing/self-purchases',
      load: self,
    },
    {
      path: '/purchasing/first-operations',
      title: 'page.firstOps',
      grant: 'doc.first_operation:view',
      order: 50,
      load: () => import('./FirstOperationsPage'),
    },
    {
      path: '/purchasing/first-operations/new',
      title: 'page.firstOpNew',
      grant: 'doc.first_operation:create',
      menu: false,
      parent: '/purchasing/first-operations',
      load: firstOp,
    },
    {
      path: '/purchasing/first-operations/:id',
      title: 'page.firstOp',
      grant: 'doc.first_operation:view',
      menu: false,
      parent: '/purchasing/first-operations',
      load: firstOp,
    },
    {
      path: '/purchasing/acceptance',
      title: 'page.acceptance',
      grant: 'acceptance_record:view',
      order: 60,
      load: () => import('./AcceptancePage'),
    },
    {
      path: '/purchasing/details',
      title: 'page.details',
      grant: 'purchase_query:view',
      order: 70,
      load: () => import('./DetailsPage'),
    },
    {
      path: '/purchasing/payables',
      title: 'page.payables',
      grant: 'purchase_payable:view',
      order: 80,
      load: () => import('./PayablesPage'),
    },
  ],
});
