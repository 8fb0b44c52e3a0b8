import type { DocType } from '@erp/contracts';
import type { m } from './messages';

type Key = keyof (typeof m)['zh-CN'];

/** The stock documents edited on one screen each: loss, overage, other in/out, internal adjustment, move. */
export type StockDocKind = 'loss' | 'overage' | 'other_inbound' | 'other_outbound' | 'internal_adjustment' | 'warehouse_move';

export interface KindDef {
  docType: StockDocKind & DocType;
  base: string;
  list: Key;
  one: Key;
  fresh: Key;
  /** Loss/overage: automatic or entered cost. */
  costMode: boolean;
  /** Goods come in (a cost may be entered). */
  inbound: boolean;
  /** Lines name existing stock (pick batch/lot/shelf/status from the balances). */
  picksStock: boolean;
  /** Internal adjustment: each line says what the stock becomes. */
  adjusts: boolean;
  /** Warehouse move: a target warehouse (and shelf per line). */
  moves: boolean;
  /** Reason-code usages of master data that fit this type. */
  reasonUsages: readonly string[];
}

export const KINDS: Record<StockDocKind, KindDef> = {
  loss: {
    docType: 'loss',
    base: '/inventory/losses',
    list: 'page.losses',
    one: 'page.loss',
    fresh: 'page.lossNew',
    costMode: true,
    inbound: false,
    picksStock: true,
    adjusts: false,
    moves: false,
    reasonUsages: ['loss', 'other'],
  },
  overage: {
    docType: 'overage',
    base: '/inventory/overages',
    list: 'page.overages',
    one: 'page.overage',
    fresh: 'page.overageNew',
    costMode: true,
    inbound: true,
    picksStock: false,
    adjusts: false,
    moves: false,
    reasonUsages: ['overage', 'other'],
  },
  other_inbound: {
    docType: 'other_inbound',
    base: '/inventory/other-inbound',
    list: 'page.otherIns',
    one: 'page.otherIn',
    fresh: 'page.otherInNew',
    costMode: false,
    inbound: true,
    picksStock: false,
    adjusts: false,
    moves: false,
    reasonUsages: ['other', 'adjustment'],
  },
  other_outbound: {
    docType: 'other_outbound',
    base: '/inventory/other-outbound',
    list: 'page.otherOuts',
    one: 'page.otherOut',
    fresh: 'page.otherOutNew',
    costMode: false,
    inbound: false,
    picksStock: true,
    adjusts: false,
    moves: false,
    reasonUsages: ['other', 'adjustment'],
  },
  internal_adjustment: {
    docType: 'internal_adjustment',
    base: '/inventory/adjustments',
    list: 'page.adjustments',
    one: 'page.adjustment',
    fresh: 'page.adjustmentNew',
    costMode: false,
    inbound: false,
    picksStock: true,
    adjusts: true,
    moves: false,
    reasonUsages: ['adjustment', 'other'],
  },
  warehouse_move: {
    docType: 'warehouse_move',
    base: '/inventory/moves',
    list: 'page.moves',
    one: 'page.move',
    fresh: 'page.moveNew',
    costMode: false,
    inbound: false,
    picksStock: true,
    adjusts: false,
    moves: true,
    reasonUsages: ['adjustment', 'other'],
  },
};

/** The screen of a document type of this feature, for links from lists and other screens. */
export function pathOfDoc(docType: string, id: number): string {
  if (docType === 'stocktake') return `/inventory/stocktakes/${id}`;
  const k = KINDS[docType as StockDocKind];
  return k ? `${k.base}/${id}` : `/documents/${id}`;
}
