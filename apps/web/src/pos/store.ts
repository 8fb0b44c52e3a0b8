import { useSyncExternalStore } from 'react';
import type { BilingualText, LocalShift, TerminalIdentity, TillSettings } from './db';

/** The till's app state outside the sale itself: who is signed in, the shift, the network, the outbox. */

export interface SignedInCashier {
  id: number;
  login: string;
  name: string;
  maxDiscountRate: string;
  canAuthorize: boolean;
  /** The till session's bearer token; null while signed in offline (PIN checked on the till). */
  token: string | null;
  offline: boolean;
}

/** A sale as the server returns it (SaleDto). */
export interface ServerSale {
  id: number;
  clientId: string;
  receiptNo: string;
  kind: 'sale' | 'return';
  status: 'temporary' | 'formal' | 'held' | 'void';
  cashierId: number;
  soldAt: string;
  businessDay?: string;
  gross: string;
  total: string;
  paid: string;
  change: string;
  saleDiscount: string;
  lines: {
    id: number;
    lineNo: number;
    productId: number;
    qty: string;
    basePrice: string;
    amount: string;
    gross: string;
    originalLineId?: number | null;
    /** What returns took back of this line, if the server counts it (else the till adds up the returns). */
    returnedQty?: string | null;
  }[];
  tenders: { seq: number; method: string; amount: string; tendered: string; change: string; paymentIntentId: string | null }[];
}

export interface TillState {
  ready: boolean;
  terminal: TerminalIdentity | null;
  settings: TillSettings | null;
  cashier: SignedInCashier | null;
  shift: LocalShift | null;
  online: boolean;
  /** Finished sales not yet on the server. */
  unsynced: number;
  /** Paid sales the server refused (its upload-error queue: the store manager resolves them there). */
  refused: number;
  /** The latest sales refused by an upload, to tell the cashier at once. */
  lastRefused: { receiptNo: string; messages: BilingualText; count: number; at: number } | null;
  uploading: boolean;
  lastUploadError: BilingualText | null;
  syncing: boolean;
  syncProgress: { products: number; pages: number } | null;
  lastSync: string | null;
  syncError: BilingualText | null;
  catalogSize: number;
  receiptsLeft: number | null;
  /** Temporary sales the signed-in cashier left on the server (crash mid-payment), to resume or clear. */
  crashLeft: ServerSale[];
}

type Listener = () => void;

/** A small external store React subscribes to with useSyncExternalStore (the till state, a sale screen). */
export function createStore<S>(initial: S) {
  let state = initial;
  const listeners = new Set<Listener>();
  return {
    get: () => state,
    set(patch: Partial<S> | ((s: S) => Partial<S>)) {
      const p = typeof patch === 'function' ? patch(state) : patch;
      let changed = false;
      for (const k of Object.keys(p) as (keyof S)[]) {
        if (!Object.is(state[k], p[k])) changed = true;
      }
      if (!changed) return;
      state = { ...state, ...p };
      for (const l of listeners) l();
    },
    subscribe(l: Listener) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

export const tillStore = createStore<TillState>({
  ready: false,
  terminal: null,
  settings: null,
  cashier: null,
  shift: null,
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  unsynced: 0,
  refused: 0,
  lastRefused: null,
  uploading: false,
  lastUploadError: null,
  syncing: false,
  syncProgress: null,
  lastSync: null,
  syncError: null,
  catalogSize: 0,
  receiptsLeft: null,
  crashLeft: [],
});

/** Subscribes a component to one slice of the till state (re-renders only when that slice changes). */
export function useTill<T>(select: (s: TillState) => T): T {
  return useSyncExternalStore(tillStore.subscribe, () => select(tillStore.get()));
}
