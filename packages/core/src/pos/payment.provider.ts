import { dec, money } from '@erp/contracts';

/**
 * The payment-provider interface (POS-4): WeChat Pay, Alipay, UnionPay QR… each behind the same four calls.
 * Every call is keyed by OUR ids (the intent id is the provider's out-trade-no, a refund has its own id), so
 * any call can be repeated and the provider answers with the state it already has — that is what makes a
 * timeout recoverable: we ask again (`query`) instead of guessing.
 */
export interface PaymentProvider {
  code: string;
  /** Charges the customer's payment code. Throws ProviderTimeoutError when the answer does not come. */
  pay(req: { intentId: string; amount: string; authCode: string; channel: string }): Promise<ProviderPayResult>;
  /** The provider's view of a payment (after a timeout, or to reconcile). */
  query(intentId: string): Promise<ProviderQueryResult>;
  /** Closes an order: an unpaid one is cancelled, a paid one is reversed (refunded in full). */
  cancel(intentId: string): Promise<{ status: 'cancelled' | 'refunded' }>;
  /** Refunds part or all of a paid order; `refundId` makes it idempotent. */
  refund(req: {
    intentId: string;
    refundId: string;
    amount: string;
  }): Promise<{ status: 'succeeded' | 'failed'; providerRef?: string }>;
}

export type ProviderPayResult =
  | { status: 'succeeded'; providerRef: string }
  | { status: 'failed'; failureCode: string }
  | { status: 'pending' };

export type ProviderQueryResult =
  | { status: 'succeeded'; providerRef: string; refunded: string }
  | { status: 'failed'; failureCode: string }
  | { status: 'pending' }
  | { status: 'refunded'; providerRef: string }
  | { status: 'not_found' };

export class ProviderTimeoutError extends Error {
  constructor(readonly intentId: string) {
    super(`payment provider did not answer for ${intentId}`);
    this.name = 'ProviderTimeoutError';
  }
}

interface SimOrder {
  amount: string;
  status: 'succeeded' | 'failed' | 'pending' | 'cancelled' | 'refunded';
  refunded: string;
  refunds: Map<string, string>;
  failureCode?: string;
  /** Late success: still pending for this many more queries. */
  pendingQueries: number;
}

/**
 * A provider simulator for development, demos and tests. The last four digits of the customer's payment code
 * choose the outcome:
 *   …0001 declined (insufficient funds);
 *   …0002 timeout, and the money was never taken (query: not found);
 *   …0003 timeout with late success (query: pending once, then paid);
 *   …0004 the customer is still confirming (pay answers pending; query: paid);
 *   anything else: paid at once.
 * Its state lives in memory, as a real provider's would live on its side.
 */
export class SimulatorProvider implements PaymentProvider {
  readonly code = 'simulator';
  private orders = new Map<string, SimOrder>();
  /** Counts the calls that reached the "provider", for tests. */
  calls = { pay: 0, query: 0, cancel: 0, refund: 0 };

  async pay(req: { intentId: string; amount: string; authCode: string }): Promise<ProviderPayResult> {
    this.calls.pay++;
    const existing = this.orders.get(req.intentId);
    if (existing) return this.payResult(req.intentId, existing);
    const outcome = req.authCode.slice(-4);
    const order: SimOrder = {
      amount: money(req.amount),
      status: 'succeeded',
      refunded: '0.00',
      refunds: new Map(),
      pendingQueries: 0,
    };
    if (outcome === '0001') {
      order.status = 'failed';
      order.failureCode = 'INSUFFICIENT_FUNDS';
    } else if (outcome === '0002') {
      throw new ProviderTimeoutError(req.intentId); // never recorded: the charge did not happen
    } else if (outcome === '0003') {
      order.status = 'pending';
      order.pendingQueries = 1;
      this.orders.set(req.intentId, order);
      throw new ProviderTimeoutError(req.intentId);
    } else if (outcome === '0004') {
      order.status = 'pending';
      order.pendingQueries = 0;
    }
    this.orders.set(req.intentId, order);
    return this.payResult(req.intentId, order);
  }

  private payResult(intentId: string, o: SimOrder): ProviderPayResult {
    if (o.status === 'succeeded') return { status: 'succeeded', providerRef: `SIM${intentId.slice(0, 8)}` };
    if (o.status === 'failed') return { status: 'failed', failureCode: o.failureCode ?? 'DECLINED' };
    return { status: 'pending' };
  }

  async query(intentId: string): Promise<ProviderQueryResult> {
    this.calls.query++;
    const o = this.orders.get(intentId);
    if (!o) return { status: 'not_found' };
    if (o.status === 'pending') {
      if (o.pendingQueries > 0) {
        o.pendingQueries--;
        return { status: 'pending' };
      }
      o.status = 'succeeded';
    }
    const ref = `SIM${intentId.slice(0, 8)}`;
    if (o.status === 'succeeded') return { status: 'succeeded', providerRef: ref, refunded: o.refunded };
    if (o.status === 'refunded') return { status: 'refunded', providerRef: ref };
    if (o.status === 'cancelled') return { status: 'not_found' };
    return { status: 'failed', failureCode: o.failureCode ?? 'DECLINED' };
  }

  async cancel(intentId: string): Promise<{ status: 'cancelled' | 'refunded' }> {
    this.calls.cancel++;
    const o = this.orders.get(intentId);
    if (!o) {
      this.orders.set(intentId, { amount: '0.00', status: 'cancelled', refunded: '0.00', refunds: new Map(), pendingQueries: 0 });
      return { status: 'cancelled' };
    }
    if (o.status === 'succeeded' || o.status === 'refunded') {
      o.status = 'refunded';
      o.refunded = o.amount;
      return { status: 'refunded' };
    }
    o.status = 'cancelled';
    return { status: 'cancelled' };
  }

  async refund(req: {
    intentId: string;
    refundId: string;
    amount: string;
  }): Promise<{ status: 'succeeded' | 'failed'; providerRef?: string }> {
    this.calls.refund++;
    const o = this.orders.get(req.intentId);
    if (!o || (o.status !== 'succeeded' && o.status !== 'refunded')) return { status: 'failed' };
    if (o.refunds.has(req.refundId)) return { status: 'succeeded', providerRef: `SIMR${req.refundId.slice(0, 8)}` };
    const after = dec(o.refunded).plus(req.amount);
    if (after.greaterThan(o.amount)) return { status: 'failed' };
    o.refunds.set(req.refundId, money(req.amount));
    o.refunded = money(after);
    if (after.equals(o.amount)) o.status = 'refunded';
    return { status: 'succeeded', providerRef: `SIMR${req.refundId.slice(0, 8)}` };
  }

  /** Test helper: what the provider holds for an intent. */
  peek(intentId: string): { status: string; refunded: string } | undefined {
    const o = this.orders.get(intentId);
    return o ? { status: o.status, refunded: o.refunded } : undefined;
  }
}

const providers = new Map<string, PaymentProvider>();
export const simulatorProvider = new SimulatorProvider();
providers.set(simulatorProvider.code, simulatorProvider);
let defaultProvider = process.env.ERP_PAYMENT_PROVIDER ?? 'simulator';

export function registerPaymentProvider(p: PaymentProvider, opts: { default?: boolean } = {}): void {
  providers.set(p.code, p);
  if (opts.default) defaultProvider = p.code;
}

export function paymentProvider(code: string = defaultProvider): PaymentProvider {
  const p = providers.get(code);
  if (!p) throw new Error(`no payment provider "${code}" is registered`);
  return p;
}

export function defaultPaymentProviderCode(): string {
  return defaultProvider;
}
