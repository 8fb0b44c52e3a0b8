import type { Database } from '@erp/db';
import type { TestChain } from '@erp/test-kit';
/**
 * Scope probes (AUTH-2): for every route, a request a store-A user (holding every grant) sends for store B's
 * data. `denied` must answer 403/404; `filtered` must answer 200 without store B's data; `self` routes touch
 * only the caller. Each module keeps its probes in its own file here; scope.test.ts walks them all.
 */
export interface Fixture {
  storeB: number;
  storeBWarehouse: number;
  storeBAdmin: number;
  storeBDoc: number;
  storeBRole: number;
  retailCentre: number;
  dc: number;
  products: { apple: number };
  /** Ids of store-B data each module's probe setup created (see ModuleProbes.setup). */
  m: Record<string, number>;
}

/** A module's probes, and the store-B data they need, created through the module's services. */
export interface ModuleProbes {
  setup?: (database: Database, chain: TestChain) => Promise<Record<string, number>>;
  probes: Record<string, Probe[]>;
}

export type Req = { params?: Record<string, number | string>; query?: Record<string, string | number>; body?: unknown };
export type Probe =
  | { kind: 'denied'; request: (f: Fixture) => Req }
  | { kind: 'filtered'; request: (f: Fixture) => Req; leaks: (body: any, f: Fixture) => boolean }
  | { kind: 'self'; why: string };

export const denied = (request: (f: Fixture) => Req): Probe => ({ kind: 'denied', request });
export const filtered = (request: (f: Fixture) => Req, leaks: (body: any, f: Fixture) => boolean): Probe => ({
  kind: 'filtered',
  request,
  leaks,
});
export const self = (why: string): Probe => ({ kind: 'self', why });
/** Rows of an .xlsx export (see scope.test.ts): does any cell mention `text`? */
export const xlsxMentions = (rows: any, text: string): boolean =>
  (rows as string[][]).some((r) => r.some((c) => c.includes(text)));
export const itemsOf = (body: any): any[] => (Array.isArray(body) ? body : (body.items ?? []));
