import { isDomainError } from '@erp/contracts';
import { describe, expect, it } from 'vitest';
import {
  acceptanceConclusion,
  baseQtyOf,
  batchNumberFor,
  effectiveSettings,
  maxReceivable,
  openQty,
  overReceipt,
  returnableQty,
  toBaseLine,
} from './purchasing.rules.js';

const none = { requirePurchaseOrder: null, overReceiptTolerancePct: null, selfPurchaseAllowed: null };

describe('purchasing rules', () => {
  it('settings: the closest org that sets a value wins; defaults by org kind', () => {
    expect(effectiveSettings([none, none], 'dc')).toEqual({
      requirePurchaseOrder: true,
      overReceiptTolerancePct: '0.00',
      selfPurchaseAllowed: false,
    });
    expect(effectiveSettings([none], 'store').requirePurchaseOrder).toBe(false);
    const company = { requirePurchaseOrder: false, overReceiptTolerancePct: '5', selfPurchaseAllowed: true };
    const store = { requirePurchaseOrder: true, overReceiptTolerancePct: null, selfPurchaseAllowed: false };
    expect(effectiveSettings([company, none, store], 'store')).toEqual({
      requirePurchaseOrder: true,
      overReceiptTolerancePct: '5.00',
      selfPurchaseAllowed: false,
    });
  });

  it('pack units convert exactly; the amount is what was agreed per pack', () => {
    expect(toBaseLine({ qty: '2', unitPrice: '48', unitId: 7 }, '24')).toEqual({
      qty: '48.000',
      unitPrice: '2.0000',
      amount: '96.00',
      attrs: { unitId: 7, unitQty: '2', unitPrice: '48', factor: '24' },
    });
    // 10 / 3 per bottle is not exact to 4 places; the amount still is the agreed 10.00.
    const odd = toBaseLine({ qty: '1', unitPrice: '10', unitId: 3 }, '3');
    expect(odd.amount).toBe('10.00');
    expect(odd.unitPrice).toBe('3.3333');
    expect(toBaseLine({ qty: '1.5', unitPrice: '3.2' }, null)).toEqual({
      qty: '1.500',
      unitPrice: '3.2000',
      amount: '4.80',
      attrs: {},
    });
    let err: unknown;
    try {
      baseQtyOf('0.001', '1.5');
    } catch (e) {
      err = e;
    }
    expect(isDomainError(err, 'UNIT_CONVERSION_INEXACT')).toBe(true);
  });

  it('open quantity, over-receipt limit and tolerance', () => {
    expect(openQty('100', '30')).toBe('70.000');
    expect(openQty('100', '120')).toBe('0.000');
    expect(maxReceivable('70', '0')).toBe('70.000');
    expect(maxReceivable('70', '10')).toBe('77.000');
    expect(maxReceivable('3.333', '10')).toBe('3.666');
    expect(maxReceivable('0', '50')).toBe('0.000');
    expect(overReceipt('100', '30', '70', '0')).toBeNull();
    expect(overReceipt('100', '30', '70.001', '0')).toEqual({ open: '70.000', qty: '70.001', max: '70.000' });
    expect(overReceipt('100', '30', '77', '10')).toBeNull();
    expect(overReceipt('100', '100', '0.001', '10')).not.toBeNull();
  });

  it('acceptance conclusions, returnable quantities and batch numbers', () => {
    expect(acceptanceConclusion('10', '0')).toBe('accepted');
    expect(acceptanceConclusion('8', '2')).toBe('partly_rejected');
    expect(acceptanceConclusion('0', '5')).toBe('rejected');
    expect(returnableQty('10', '4')).toBe('6.000');
    expect(returnableQty('10', '12')).toBe('0.000');
    expect(batchNumberFor('PRDC1-20260101-0001', 2)).toBe('PRDC1-20260101-0001-002');
  });
});
