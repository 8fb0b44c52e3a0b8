import { defineFeature } from '../../shared/feature';
import { m } from './messages';

/** Business partners and small code tables (MD-3). */
export const feature = defineFeature({
  key: 'partners',
  messages: m,
  groups: [{ key: 'partners', title: 'group.partners', order: 25 }],
  group: 'partners',
  pages: [
    {
      path: '/partners/suppliers',
      title: 'page.suppliers',
      grant: 'supplier:view',
      order: 70,
      load: () => import('./SuppliersPage'),
    },
    {
      path: '/partners/customers',
      title: 'page.customers',
      grant: 'customer:view',
      order: 71,
      load: () => import('./CustomersPage'),
    },
    {
      path: '/partners/manufacturers',
      title: 'page.manufacturers',
      grant: 'manufacturer:view',
      order: 72,
      load: () => import('./ManufacturersPage'),
    },
    {
      path: '/partners/payment-methods',
      title: 'page.paymentMethods',
      grant: 'payment_method:view',
      order: 80,
      load: () => import('./PaymentMethodsPage'),
    },
    {
      path: '/partners/reason-codes',
      title: 'page.reasonCodes',
      grant: 'reason_code:view',
      order: 81,
      load: () => import('./ReasonCodesPage'),
    },
  ],
});
