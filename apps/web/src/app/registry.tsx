import {
  AccountBookOutlined,
  ApartmentOutlined,
  AppstoreOutlined,
  BarChartOutlined,
  DatabaseOutlined,
  FileTextOutlined,
  GiftOutlined,
  SettingOutlined,
  ShopOutlined,
  ShoppingCartOutlined,
  TruckOutlined,
} from '@ant-design/icons';
import type { Locale } from '@erp/contracts';
import type { ReactNode } from 'react';
import type { FeatureDef, PageDef } from '../shared/feature';
import { commonMessages } from '../shared/messages';

/**
 * Every feature of the web app, discovered from `src/features/<module>/feature.tsx`. A module adds its screens by
 * adding that file: its pages become routes (lazily loaded), menu entries and breadcrumbs, filtered by grants.
 */
const found = import.meta.glob<{ feature: FeatureDef }>('../features/*/feature.tsx', { eager: true });
export const features: FeatureDef[] = Object.values(found)
  .map((m) => m.feature)
  .sort((a, b) => a.key.localeCompare(b.key));

export interface ResolvedPage extends PageDef {
  feature: FeatureDef;
  /** Resolved menu group key, or null when the page is not in the menu. */
  group: string | null;
  label(locale: Locale): string;
}

export interface ResolvedGroup {
  key: string;
  order: number;
  icon: ReactNode;
  label(locale: Locale): string;
}

function common(key: keyof (typeof commonMessages)['zh-CN']) {
  return (l: Locale) => commonMessages[l][key];
}

/** The shell's standard groups, in the order of a retailer's day; features may add their own. */
const standardGroups: ResolvedGroup[] = [
  { key: 'org', order: 10, icon: <ApartmentOutlined />, label: common('menu.org') },
  { key: 'masterData', order: 20, icon: <AppstoreOutlined />, label: common('menu.masterData') },
  { key: 'purchasing', order: 30, icon: <ShoppingCartOutlined />, label: common('menu.purchasing') },
  { key: 'distribution', order: 40, icon: <TruckOutlined />, label: common('menu.distribution') },
  { key: 'inventory', order: 50, icon: <DatabaseOutlined />, label: common('menu.inventory') },
  { key: 'pos', order: 60, icon: <ShopOutlined />, label: common('menu.pos') },
  { key: 'member', order: 70, icon: <GiftOutlined />, label: common('menu.member') },
  { key: 'finance', order: 80, icon: <AccountBookOutlined />, label: common('menu.finance') },
  { key: 'reports', order: 90, icon: <BarChartOutlined />, label: common('menu.reports') },
  { key: 'documents', order: 100, icon: <FileTextOutlined />, label: common('menu.documents') },
  { key: 'system', order: 110, icon: <SettingOutlined />, label: common('menu.system') },
];

export const menuGroups: ResolvedGroup[] = [
  ...standardGroups,
  ...features.flatMap((f) =>
    (f.groups ?? []).map((g) => ({
      key: g.key,
      order: g.order,
      icon: g.icon ?? <AppstoreOutlined />,
      label: (l: Locale) => (f.messages[l] as Record<string, string>)[g.title] ?? g.title,
    })),
  ),
].sort((a, b) => a.order - b.order);

export const pages: ResolvedPage[] = features.flatMap((f) =>
  f.pages.map((p) => ({
    ...p,
    feature: f,
    group: p.menu === false ? null : (p.menu ?? f.group),
    label: (l: Locale) => (f.messages[l] as Record<string, string>)[p.title] ?? p.title,
  })),
);

export function grantsOf(page: PageDef): readonly string[] {
  if (!page.grant) return [];
  return typeof page.grant === 'string' ? [page.grant] : page.grant;
}

export function pageByPath(path: string): ResolvedPage | undefined {
  return pages.find((p) => p.path === path);
}
