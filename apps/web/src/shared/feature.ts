import type { ComponentType, ReactNode } from 'react';
import type { Catalog } from './catalog';

/** A screen of a feature: where it lives, who may open it, and how to load it (lazily, one chunk per page). */
export interface PageDef<K extends string = string> {
  /** Absolute path, e.g. '/org/orgs' or '/documents/:id'. */
  path: string;
  /** Title key in the feature's catalog: menu entry, breadcrumb and browser tab title. */
  title: K;
  /** The user needs ANY of these "function:action" grants; omitted = every signed-in user. */
  grant?: string | readonly string[];
  /** Menu group key (see menuGroups); default the feature's own group. `false` keeps it out of the menu. */
  menu?: string | false;
  /** Order inside the menu group (smaller first). */
  order?: number;
  /** Path of the page this one sits under in the breadcrumb trail (a detail page under its list). */
  parent?: string;
  load: () => Promise<{ default: ComponentType }>;
}

/** A menu group: several features may put pages in one group (e.g. catalog and partners in 基础资料). */
export interface MenuGroupDef<K extends string = string> {
  key: string;
  title: K;
  icon?: ReactNode;
  order: number;
}

/**
 * What a module adds to the web app. Put it in `src/features/<module>/feature.tsx` as `export const feature`;
 * the shell discovers every such file, so adding a module's screens never edits the shell.
 */
export interface FeatureDef<K extends string = string> {
  key: string;
  messages: Catalog<K>;
  /** Groups this feature introduces (titles from its catalog). */
  groups?: MenuGroupDef<K>[];
  /** Default menu group of its pages. */
  group: string;
  pages: PageDef<K>[];
}

export function defineFeature<K extends string>(f: FeatureDef<K>): FeatureDef<K> {
  return f;
}
