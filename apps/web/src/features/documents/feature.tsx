import { DOC_TYPES } from '@erp/contracts';
import { defineFeature } from '../../shared/feature';
import { m } from './messages';

const anyDocView = DOC_TYPES.map((t) => `doc.${t}:view`);

/** The generic document list and detail (every type shares one lifecycle), and per-org document settings (DOC, ORG-3). */
export const feature = defineFeature({
  key: 'documents',
  messages: m,
  group: 'documents',
  pages: [
    { path: '/documents', title: 'page.documents', grant: anyDocView, order: 10, load: () => import('./DocumentsPage') },
    {
      path: '/documents/:id',
      title: 'page.document',
      grant: anyDocView,
      menu: false,
      parent: '/documents',
      load: () => import('./DocumentDetailPage'),
    },
    {
      path: '/documents/settings',
      title: 'page.settings',
      grant: 'doc_config:view',
      order: 20,
      load: () => import('./DocSettingsPage'),
    },
  ],
});
