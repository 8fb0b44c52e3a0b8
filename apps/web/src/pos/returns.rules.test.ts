import { describe, expect, it } from 'vitest';
import { checkReturnQty, refundPreview, returnableLines } from './returns.rules';

const lines = [
  { id: 11, productId: 1, qty: '3.000', amount: '6.00' },
  { id: 12, productId: 2, qty: '1.000', amount: '3.50' },
];

describe('what is still returnable of a receipt', () => {
  it('subtracts what earlier returns took back, line by line', () => {
    const r = returnableLines(lines, [
      { lines: [{ originalLineId: 11, qty: '-1.000', amount: '-2.00' }] },
      {
        lines: [
          { originalLineId: 11, qty: '-1.000', amount: '-2.00' },
          { originalLineId: 12, qty: '-1.000', amount: '-3.50' },
        ],
      },
    ]);
    expect(r.map((l) => [l.id, l.sold, l.returned, l.left])).toEqual([
      [11, '3', '2', '1'],
      [12, '1', '1', '0'],
    ]);
  });

  it("takes the server's count when it sends one", () => {
    const r = returnableLines(
      [{ ...lines[0]!, returnedQty: '2.000' }],
      [{ lines: [{ originalLineId: 11, qty: '-1', amount: '-2' }] }],
    );
    expect(r[0]?.left).toBe('1');
  });

  it('caps the quantity at what is left', () => {
    expect(checkReturnQty('', '1')).toBe('empty');
    expect(checkReturnQty('1', '1')).toBe('ok');
    expect(checkReturnQty('1.5', '1')).toBe('exceeds');
    expect(checkReturnQty('0', '1')).toBe('invalid');
    expect(checkReturnQty('abc', '1')).toBe('invalid');
  });

  it('previews the refund: in proportion, and the rest of the amount on the last return of a line', () => {
    const three = [{ id: 1, productId: 1, qty: '3.000', amount: '10.00' }];
    const first = returnableLines(three, []);
    expect(refundPreview(first, { 1: '1' })).toBe('3.33');
    const after = returnableLines(three, [{ lines: [{ originalLineId: 1, qty: '-2', amount: '-6.66' }] }]);
    expect(refundPreview(after, { 1: '1' })).toBe('3.34');
    expect(refundPreview(after, { 1: '2' })).toBe('0.00');
  });
});
