import { dec, money, sum } from '@erp/contracts';

/**
 * What is still returnable on each line of an original sale (POS-6): sold less what earlier (formal) returns of
 * that receipt took back. The server may send `returnedQty` per line; otherwise the till adds up the returns'
 * lines that point at the line (`originalLineId`, quantities negative on a return).
 */

export interface SoldLine {
  id: number;
  productId: number;
  qty: string;
  amount: string;
  /** Sent by a server that counts returns itself. */
  returnedQty?: string | null;
}

export interface ReturnLine {
  originalLineId: number | null;
  qty: string;
  amount: string;
}

export interface ReturnableLine {
  id: number;
  productId: number;
  sold: string;
  returned: string;
  left: string;
  amount: string;
  returnedAmount: string;
}

const shown = (v: ReturnType<typeof dec>) => v.toString();

export function returnableLines(
  lines: readonly SoldLine[],
  returns: readonly { lines: readonly ReturnLine[] }[],
): ReturnableLine[] {
  const qtyBy = new Map<number, ReturnType<typeof dec>>();
  const amountBy = new Map<number, ReturnType<typeof dec>>();
  for (const r of returns) {
    for (const l of r.lines) {
      if (l.originalLineId === null) continue;
      qtyBy.set(l.originalLineId, (qtyBy.get(l.originalLineId) ?? dec(0)).plus(dec(l.qty).abs()));
      amountBy.set(l.originalLineId, (amountBy.get(l.originalLineId) ?? dec(0)).plus(dec(l.amount).abs()));
    }
  }
  return lines.map((l) => {
    const returned = l.returnedQty != null ? dec(l.returnedQty).abs() : (qtyBy.get(l.id) ?? dec(0));
    const left = dec(l.qty).minus(returned);
    return {
      id: l.id,
      productId: l.productId,
      sold: shown(dec(l.qty)),
      returned: shown(returned),
      left: shown(left.lessThan(0) ? dec(0) : left),
      amount: l.amount,
      returnedAmount: money(amountBy.get(l.id) ?? 0),
    };
  });
}

export type ReturnQtyCheck = 'empty' | 'ok' | 'invalid' | 'exceeds';

/** A quantity typed for a line: empty (not returned), a positive number up to what is left, or why not. */
export function checkReturnQty(input: string | undefined, left: string): ReturnQtyCheck {
  const v = (input ?? '').trim();
  if (!v) return 'empty';
  if (!/^\d{1,9}(\.\d{1,3})?$/.test(v) || dec(v).lessThanOrEqualTo(0)) return 'invalid';
  return dec(v).greaterThan(left) ? 'exceeds' : 'ok';
}

/**
 * The refund preview of the typed quantities: in proportion to each line's amount, and the whole remaining
 * amount when a line is returned to the end (what the server refunds, POS-6).
 */
export function refundPreview(lines: readonly ReturnableLine[], qtys: Readonly<Record<number, string>>): string {
  return money(
    sum(
      lines.map((l) => {
        const q = qtys[l.id];
        if (checkReturnQty(q, l.left) !== 'ok') return '0';
        if (
          dec(l.returned)
            .plus(q as string)
            .greaterThanOrEqualTo(l.sold)
        )
          return money(dec(l.amount).minus(l.returnedAmount));
        return money(
          dec(l.amount)
            .times(q as string)
            .dividedBy(l.sold),
        );
      }),
    ),
  );
}
