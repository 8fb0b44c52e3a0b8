import { useEffect, useState } from 'react';
import { useT } from '../../shared/i18n';
import { type DisplayMessage, subscribeDisplay } from '../display';
import { tm } from '../messages';

/** The customer-facing window: the lines being rung up, the total, and the change at the end. */
export function CustomerDisplay() {
  const t = useT(tm);
  const [m, setM] = useState<DisplayMessage | null>(null);
  useEffect(() => subscribeDisplay(setM), []);
  return (
    <div className="cd" data-testid="customer-display">
      <div className="cd-head">{m?.store ?? ''}</div>
      {!m || (m.kind === 'sale' && m.lines.length === 0) ? (
        <div className="cd-welcome">{t('display.welcome')}</div>
      ) : m.kind === 'sale' ? (
        <>
          <div className="cd-lines">
            {m.lines.slice(-12).map((l, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the display redraws the whole list each time
              <div key={i} className="cd-line">
                <span>{l.name}</span>
                <span>× {l.qty}</span>
                <span>¥{l.amount}</span>
              </div>
            ))}
          </div>
          <div className="cd-total">
            <span>{t('display.total')}</span>
            <span data-testid="cd-total">¥{m.total}</span>
          </div>
          {Number(m.savings) > 0 && (
            <div className="cd-save">
              {t('totals.savings')} ¥{m.savings}
            </div>
          )}
        </>
      ) : (
        <>
          <div className="cd-total">
            <span>{t('display.total')}</span>
            <span>¥{m.total}</span>
          </div>
          <div className="cd-total cd-change">
            <span>{t('display.change')}</span>
            <span>¥{m.change}</span>
          </div>
          <div className="cd-welcome">{t('display.thanks')}</div>
        </>
      )}
    </div>
  );
}
