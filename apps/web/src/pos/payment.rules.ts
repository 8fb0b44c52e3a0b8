import { dec, money } from '@erp/contracts';
import type { TenderEntry } from './db';
import type { TillKey } from './messages';

/**
 * The rules of the pay dialog (POS-4) as pure functions: what a typed tender may be, when a mobile payment
 * may be asked for, what an intent's state means for the sale, which keys pick a tender. Mobile payments are
 * intents on the server: the dialog shows their states as they are (waiting, unknown, failed), never guessed.
 * Unit-tested in payment.rules.test.ts.
 */

export type TenderMethod = TenderEntry['method'];

/** A mobile payment intent as the server answers it. */
export interface PaymentIntent {
  id: string;
  status: 'pending' | 'succeeded' | 'failed' | 'unknown' | 'cancelled' | 'refunded';
  amount: string;
  failureCode: string | null;
}

type Checked<T> = ({ ok: true } & T) | { ok: false; error: TillKey };

/** A cash or card tender as typed: above zero with at most two decimals; a card never more than what is left. */
export function typedTender(
  method: 'cash' | 'bank_card',
  amount: string,
  reference: string,
  remaining: string,
): Checked<{ tender: TenderEntry }> {
  const a = amount.trim();
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(a) || dec(a).lessThanOrEqualTo(0)) return { ok: false, error: 'pay.amount' };
  if (method === 'bank_card' && dec(a).greaterThan(remaining)) return { ok: false, error: 'pay.overCard' };
  return { ok: true, tender: { method, amount: money(a), ...(reference.trim() ? { reference: reference.trim() } : {}) } };
}

/**
 * Whether a mobile payment may be asked for: only with the server reachable (the intent lives there), for
 * at most what is left, with the customer's payment code scanned.
 */
export function mobileRequest(
  amount: string,
  remaining: string,
  authCode: string,
  reachable: boolean,
): Checked<{ amount: string; authCode: string }> {
  if (!reachable) return { ok: false, error: 'pay.mobileOffline' };
  const amt = dec(amount || '0');
  if (amt.lessThanOrEqualTo(0) || amt.greaterThan(remaining)) return { ok: false, error: 'pay.overCard' };
  if (authCode.trim().length < 6) return { ok: false, error: 'pay.scanCode' };
  return { ok: true, amount: money(amt), authCode: authCode.trim() };
}

/**
 * What an intent's state means for the sale: succeeded is a tender; failed, cancelled and refunded end it
 * (the customer was not charged, or was given the money back); pending and unknown wait for the provider.
 */
export function intentOutcome(
  r: PaymentIntent,
  channel: string,
):
  | { kind: 'tender'; tender: TenderEntry }
  | { kind: 'declined'; failureCode: string | null }
  | { kind: 'cancelled' }
  | {
      kind: 'waiting';
    } {
  if (r.status === 'succeeded') {
    return { kind: 'tender', tender: { method: 'mobile', amount: r.amount, paymentIntentId: r.id, channel } };
  }
  if (r.status === 'failed') return { kind: 'declined', failureCode: r.failureCode };
  if (r.status === 'cancelled' || r.status === 'refunded') return { kind: 'cancelled' };
  return { kind: 'waiting' };
}

/** The provider's failure code in words (its codes are English identifiers, not for the cashier). */
export function declineReason(code: string | null): { key: TillKey; params?: Record<string, string> } {
  if (code === 'INSUFFICIENT_FUNDS' || code === 'DECLINED') return { key: `pay.reason.${code}` };
  return { key: 'pay.reason.other', params: { code: code ?? '-' } };
}

/** The tender a key picks in the pay dialog: F2/F3/F4, or Ctrl+1/2/3. */
export function tenderForKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey'>): TenderMethod | undefined {
  const byKey: Record<string, TenderMethod> = { F2: 'cash', F3: 'bank_card', F4: 'mobile' };
  const byCtrl: Record<string, TenderMethod> = { '1': 'cash', '2': 'bank_card', '3': 'mobile' };
  return byKey[e.key] ?? (e.ctrlKey ? byCtrl[e.key] : undefined);
}

/** Leaving the payment is refused while money was asked for by mobile: cancel those first (it gives it back). */
export function mayLeavePayment(pending: PaymentIntent | null, tenders: readonly TenderEntry[]): boolean {
  return !pending && !tenders.some((x) => x.paymentIntentId);
}
