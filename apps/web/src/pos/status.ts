import type { TillKey } from './messages';

/**
 * What the till header says about the outbox (POS-9). One pure rule so the header can never say "all uploaded"
 * while a paid sale is still on this device or was refused by the server: refused sales are always shown on
 * their own (red, they need the store manager); otherwise the waiting sales decide between uploading, offline
 * and waiting; "all uploaded" is left only when nothing waits and nothing was refused.
 */

export type OutboxState = 'synced' | 'uploading' | 'offline' | 'waiting' | 'refused';

export interface OutboxFacts {
  /** Paid sales not yet on the server. */
  pending: number;
  /** Paid sales the server answered `queued` for (its upload-error queue). */
  refused: number;
  online: boolean;
  uploading: boolean;
}

export interface OutboxChip {
  state: OutboxState;
  tone: 'ok' | 'warn' | 'err';
  key: TillKey;
  titleKey: TillKey;
  n: number;
}

export interface OutboxSummary {
  /** The worst state, for tests and data attributes. */
  state: OutboxState;
  /** The chips to show, in order: the waiting sales first (if any), then the refused ones (if any). */
  chips: OutboxChip[];
}

function waitingChip(f: OutboxFacts): OutboxChip {
  if (!f.online) return { state: 'offline', tone: 'warn', key: 'outbox.offline', titleKey: 'outbox.waitingTitle', n: f.pending };
  if (f.uploading) {
    return { state: 'uploading', tone: 'warn', key: 'outbox.uploading', titleKey: 'outbox.waitingTitle', n: f.pending };
  }
  return { state: 'waiting', tone: 'warn', key: 'outbox.waiting', titleKey: 'outbox.waitingTitle', n: f.pending };
}

export function summarizeOutbox(f: OutboxFacts): OutboxSummary {
  const chips: OutboxChip[] = [];
  if (f.pending > 0) chips.push(waitingChip(f));
  if (f.refused > 0) {
    chips.push({ state: 'refused', tone: 'err', key: 'outbox.refused', titleKey: 'outbox.refusedTitle', n: f.refused });
  }
  if (!chips.length) {
    chips.push({ state: 'synced', tone: 'ok', key: 'outbox.synced', titleKey: 'outbox.syncedTitle', n: 0 });
  }
  const state = f.refused > 0 ? 'refused' : (chips[0] as OutboxChip).state;
  return { state, chips };
}
