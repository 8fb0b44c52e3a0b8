import { dec, money } from '@erp/contracts';
import { memo, useEffect, useRef } from 'react';
import { useT } from '../../shared/i18n';
import type { CartTotals } from '../cart';
import type { Cart, CartLine } from '../db';
import { tm } from '../messages';
import { discountTag, lineAmount, lineReduction } from '../sale.rules';

/** The lines of the sale being rung up; the selected one is kept in view. */
export function SaleLines(props: { cart: Cart; totals: CartTotals; selected: number | null; onSelect: (k: number) => void }) {
  const t = useT(tm);
  const bodyRef = useRef<HTMLDivElement>(null);
  const priced = props.totals.result?.lines;
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run when the selection or the lines change
  useEffect(() => {
    const el = bodyRef.current?.querySelector('tr.sel');
    el?.scrollIntoView({ block: 'nearest' });
  }, [props.selected, props.cart.lines.length]);
  return (
    <div className="till-lines" ref={bodyRef}>
      <table className="till-table till-table-fixed">
        <colgroup>
          <col className="c-no" />
          <col className="c-code" />
          <col />
          <col className="c-qty" />
          <col className="c-price" />
          <col className="c-disc" />
          <col className="c-amount" />
        </colgroup>
        <thead>
          <tr>
            <th className="num">{t('lines.no')}</th>
            <th>{t('lines.code')}</th>
            <th>{t('lines.name')}</th>
            <th className="num">{t('lines.qty')}</th>
            <th className="num">{t('lines.price')}</th>
            <th className="num">{t('lines.discount')}</th>
            <th className="num">{t('lines.amount')}</th>
          </tr>
        </thead>
        <tbody>
          {props.cart.lines.map((l, i) => (
            <LineRow
              key={l.key}
              line={l}
              index={i}
              amount={lineAmount(l, priced?.[i])}
              discount={lineReduction(priced?.[i])}
              selected={props.selected === l.key}
              onSelect={props.onSelect}
            />
          ))}
        </tbody>
      </table>
      {props.cart.lines.length === 0 && <div className="till-empty">{t('lines.empty')}</div>}
    </div>
  );
}

const LineRow = memo(function LineRow(props: {
  line: CartLine;
  index: number;
  amount: string;
  discount: string;
  selected: boolean;
  onSelect: (key: number) => void;
}) {
  const { line: l } = props;
  return (
    <tr
      className={props.selected ? 'sel' : undefined}
      onClick={() => props.onSelect(l.key)}
      data-testid="cart-line"
      data-product={l.code}
    >
      <td className="num">{props.index + 1}</td>
      <td className="mono">{l.code}</td>
      <td>
        {l.name} <span className="till-muted">{l.spec}</span>
        {l.lotNo && <LotTag lotNo={l.lotNo} expiry={l.expiry} />}
        {l.discount && <span className="till-tag">{discountTag(l.discount)}</span>}
      </td>
      <td className="num" data-testid="line-qty">
        {dec(l.qty).toString()}
        {l.unit ? <span className="till-muted"> {l.unit}</span> : null}
      </td>
      <td className="num">{money(l.unitPrice)}</td>
      <td className="num till-muted">{dec(props.discount).isZero() ? '' : `-${props.discount}`}</td>
      <td className="num strong" data-testid="line-amount">
        {props.amount}
      </td>
    </tr>
  );
});

function LotTag(props: { lotNo: string; expiry: string | undefined }) {
  const t = useT(tm);
  return (
    <span className="till-tag till-tag-lot" data-testid="line-lot">
      {t('lines.lot', { lot: props.lotNo })}
      {props.expiry ? ` · ${t('lines.expiry', { expiry: props.expiry })}` : ''}
    </span>
  );
}
