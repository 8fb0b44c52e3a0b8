import { describe, expect, it } from 'vitest';
import { declineReason, intentOutcome, mayLeavePayment, mobileRequest, tenderForKey, typedTender } from './payment.rules';

describe('tenders as typed (POS-4)', () => {
  it('takes cash above zero with at most two decimals, card never beyond what is left', () => {
    expect(typedTender('cash', ' 50 ', '', '12.50')).toEqual({ ok: true, tender: { method: 'cash', amount: '50.00' } });
    expect(typedTender('bank_card', '12.50', ' 8812 ', '12.50')).toEqual({
      ok: true,
      tender: { method: 'bank_card', amount: '12.50', reference: '8812' },
    });
    expect(typedTender('bank_card', '13', '', '12.50')).toEqual({ ok: false, error: 'pay.overCard' });
    for (const bad of ['0', '-1', '1.234', 'abc', ''])
      expect(typedTender('cash', bad, '', '5')).toEqual({ ok: false, error: 'pay.amount' });
  });

  it('asks for a mobile payment only online, within what is left, with the payment code scanned', () => {
    expect(mobileRequest('12.5', '12.50', ' 134567890123456789 ', true)).toEqual({
      ok: true,
      amount: '12.50',
      authCode: '134567890123456789',
    });
    expect(mobileRequest('12.5', '12.50', '134567890123456789', false)).toEqual({ ok: false, error: 'pay.mobileOffline' });
    expect(mobileRequest('13', '12.50', '134567890123456789', true)).toEqual({ ok: false, error: 'pay.overCard' });
    expect(mobileRequest('', '12.50', '134567890123456789', true)).toEqual({ ok: false, error: 'pay.overCard' });
    expect(mobileRequest('12.5', '12.50', '12345', true)).toEqual({ ok: false, error: 'pay.scanCode' });
  });
});

describe("a mobile payment's states, as the server says them", () => {
  const intent = { id: 'i-1', amount: '12.50', failureCode: null };

  it('succeeded is a tender of the intent; failed, cancelled and refunded end it; the rest wait', () => {
    expect(intentOutcome({ ...intent, status: 'succeeded' }, 'alipay')).toEqual({
      kind: 'tender',
      tender: { method: 'mobile', amount: '12.50', paymentIntentId: 'i-1', channel: 'alipay' },
    });
    expect(intentOutcome({ ...intent, status: 'failed', failureCode: 'DECLINED' }, 'wechat')).toEqual({
      kind: 'declined',
      failureCode: 'DECLINED',
    });
    expect(intentOutcome({ ...intent, status: 'cancelled' }, 'wechat')).toEqual({ kind: 'cancelled' });
    expect(intentOutcome({ ...intent, status: 'refunded' }, 'wechat')).toEqual({ kind: 'cancelled' });
    expect(intentOutcome({ ...intent, status: 'pending' }, 'wechat')).toEqual({ kind: 'waiting' });
    expect(intentOutcome({ ...intent, status: 'unknown' }, 'wechat')).toEqual({ kind: 'waiting' });
  });

  it("words the provider's failure codes it knows, and names the others", () => {
    expect(declineReason('INSUFFICIENT_FUNDS')).toEqual({ key: 'pay.reason.INSUFFICIENT_FUNDS' });
    expect(declineReason('RISK_CONTROL')).toEqual({ key: 'pay.reason.other', params: { code: 'RISK_CONTROL' } });
    expect(declineReason(null)).toEqual({ key: 'pay.reason.other', params: { code: '-' } });
  });

  it('is not left behind: the payment stays open while a mobile payment is pending or taken', () => {
    expect(mayLeavePayment(null, [{ method: 'cash', amount: '5.00' }])).toBe(true);
    expect(mayLeavePayment({ ...intent, status: 'pending' }, [])).toBe(false);
    expect(mayLeavePayment(null, [{ method: 'mobile', amount: '5.00', paymentIntentId: 'i-1' }])).toBe(false);
  });
});

describe('tender keys in the pay dialog', () => {
  it('F2/F3/F4 and Ctrl+1/2/3 pick cash, card and mobile', () => {
    expect(['F2', 'F3', 'F4'].map((k) => tenderForKey({ key: k, ctrlKey: false }))).toEqual(['cash', 'bank_card', 'mobile']);
    expect(['1', '2', '3'].map((k) => tenderForKey({ key: k, ctrlKey: true }))).toEqual(['cash', 'bank_card', 'mobile']);
    expect(tenderForKey({ key: '1', ctrlKey: false })).toBeUndefined();
  });
});
