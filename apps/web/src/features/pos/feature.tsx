import { defineFeature } from '../../shared/feature';
import { m } from './messages';

/**
 * Back office of the till and the store day (POS-1…11, ORG-5, AUTH-4): tills and pairing codes, till settings
 * (hotkeys, receipt templates, rounding, discount limits, PINs), shifts and reconciliation, daily close and
 * reopen, the retail journal, the offline upload-error queue, price tags. The till itself is /pos/ (pos.html).
 * Paths are under /retail/ because /pos/ belongs to the till's own app shell.
 */
export const feature = defineFeature({
  key: 'pos',
  messages: m,
  group: 'pos',
  pages: [
    { path: '/retail/journal', title: 'page.journal', grant: 'pos.sale:view', order: 10, load: () => import('./JournalPage') },
    {
      path: '/retail/days',
      title: 'page.days',
      grant: 'pos.daily_close:view',
      order: 20,
      load: () => import('./DailyClosePage'),
    },
    { path: '/retail/shifts', title: 'page.shifts', grant: 'pos.shift:view', order: 30, load: () => import('./ShiftsPage') },
    {
      path: '/retail/upload-errors',
      title: 'page.uploadErrors',
      grant: 'pos.upload:view',
      order: 40,
      load: () => import('./UploadErrorsPage'),
    },
    {
      path: '/retail/terminals',
      title: 'page.terminals',
      grant: 'pos.terminal:view',
      order: 50,
      load: () => import('./TerminalsPage'),
    },
    {
      path: '/retail/settings',
      title: 'page.settings',
      grant: 'pos.settings:view',
      order: 60,
      load: () => import('./SettingsPage'),
    },
    {
      path: '/retail/price-tags',
      title: 'page.priceTags',
      grant: 'product:view',
      order: 70,
      load: () => import('./PriceTagsPage'),
    },
  ],
});
