import { dec, GS1_GS, type HotkeyAction } from '@erp/contracts';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useLocale, useT } from '../../shared/i18n';
import { publishDisplay } from '../display';
import { hotkeyMap, keyFor, keyIntent, takesKey } from '../hotkeys';
import { tm } from '../messages';
import { createSaleScreen, type SaleView, totalsOf } from '../sale';
import { noticeText, saleDisplay, savings, selectedLine } from '../sale.rules';
import { useTill } from '../store';
import { Kbd } from './Modal';
import { PrintArea, printSoon, Receipt } from './Receipt';
import { SaleDialogs } from './SaleDialogs';
import { SaleLines } from './SaleLines';
import { TopBar } from './TopBar';

/**
 * The cashier screen (POS-1): keyboard first. The scan field always has the focus; a keyboard-wedge scanner
 * types the digits and Enter, which resolves the code in the local catalog and adds the line. Hotkeys come
 * from the store's settings. Totals are the shared pricing pipeline's, so they match the server's.
 *
 * This component renders and wires: what the screen does is the sale screen's use cases (sale.ts), their
 * rules are pure (sale.rules.ts, hotkeys.ts). It lends them the scan field and the printer (`SaleView`).
 */

/** The keys on the screen, in this order; card and mobile are picked in the pay dialog, not here. */
const SCREEN_KEYS: HotkeyAction[] = [
  'search',
  'qty',
  'void_line',
  'line_discount',
  'sale_discount',
  'price_override',
  'member',
  'hold',
  'resume',
  'return',
  'reprint',
  'pay',
  'pay_cash',
  'open_drawer',
  'customer_display',
  'sign_out',
];

export function CashierScreen() {
  const t = useT(tm);
  const { locale } = useLocale();
  const terminal = useTill((s) => s.terminal)!;
  const settings = useTill((s) => s.settings);
  const lastRefused = useTill((s) => s.lastRefused);
  const scanRef = useRef<HTMLInputElement>(null);

  // Not while a dialog is open: this runs a frame later, and the dialog may have opened in between.
  const focusScan = useCallback(
    () =>
      requestAnimationFrame(() => {
        if (!document.querySelector('.till-modal')) scanRef.current?.focus();
      }),
    [],
  );
  const [screen] = useState(() => {
    const view: SaleView = {
      focusScan,
      scanText: () => scanRef.current?.value ?? '',
      clearScan: () => {
        if (scanRef.current) scanRef.current.value = '';
      },
      print: printSoon,
      openCustomerDisplay: () => void window.open('/pos/display', 'erp-till-display', 'popup,width=900,height=600'),
    };
    return createSaleScreen(view);
  });
  const state = useSyncExternalStore(screen.subscribe, screen.get);
  const { cart, dialog, notice, done, printed } = state;

  const rounding = settings?.rounding;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the totals follow the cart and the store's rounding
  const totals = useMemo(() => totalsOf(cart), [cart, rounding, terminal.store.id]);
  const hotkeys = useMemo(() => hotkeyMap(settings?.hotkeys), [settings?.hotkeys]);
  const selected = selectedLine(cart, state.selected);
  const width = settings?.terminal.settings.printerWidth ?? 80;
  const template = settings?.receiptTemplates[String(width) as '58' | '80'];

  // biome-ignore lint/correctness/useExhaustiveDependencies: once, on mount
  useEffect(() => {
    void screen.restore();
    focusScan();
  }, []);

  useEffect(() => screen.tellRefused(lastRefused), [screen, lastRefused]);

  // The customer display follows the sale.
  useEffect(() => {
    publishDisplay(saleDisplay(cart, totals, terminal.store.name));
  }, [cart, totals, terminal.store.name]);

  // Scan → line shown, measured after the browser painted the new line.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after each committed change of the sale
  useLayoutEffect(() => {
    const t0 = screen.takeScanStart();
    if (t0 === null) return;
    requestAnimationFrame(() =>
      setTimeout(() => {
        window.__tillPerf ??= [];
        window.__tillPerf.push(performance.now() - t0);
      }, 0),
    );
  }, [cart]);

  // Hotkeys and "type anywhere goes to the scan field", while no dialog is open.
  useEffect(() => {
    if (dialog) return;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      const scan = scanRef.current;
      const intent = keyIntent(e, hotkeys, {
        inField: target.tagName === 'INPUT' || target.tagName === 'TEXTAREA',
        inEmptyScanField: !!scan && document.activeElement === scan && !scan.value,
      });
      if (takesKey(intent)) e.preventDefault();
      screen.key(intent);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialog, hotkeys, screen]);

  useEffect(() => {
    if (!dialog) focusScan();
  }, [dialog, focusScan]);

  const keys = settings?.hotkeys;

  return (
    <div className="till-app">
      <TopBar onOutboxClick={() => screen.run('recent')} onRefusedClick={() => screen.showRefused()} />
      <main className="till-main">
        <section className="till-left">
          <div className="till-scan">
            <input
              ref={scanRef}
              className="till-input till-scan-input"
              placeholder={t('scan.placeholder')}
              autoComplete="off"
              spellCheck={false}
              data-testid="scan-input"
              onKeyDown={(e) => {
                // A wedge scanner sends GS1's FNC1 (ASCII 29) as Ctrl+]: keep it as the separator it is.
                if (e.ctrlKey && e.key === ']') {
                  e.preventDefault();
                  e.currentTarget.value += GS1_GS;
                  return;
                }
                if (e.key !== 'Enter') return;
                e.preventDefault();
                const v = e.currentTarget.value;
                e.currentTarget.value = '';
                void screen.scan(v, e.timeStamp);
              }}
            />
          </div>
          <SaleLines cart={cart} totals={totals} selected={selected?.key ?? null} onSelect={screen.select} />
          <div className={`till-status till-status-${notice?.tone ?? 'info'}`} data-testid="till-status" role="status">
            {notice ? noticeText(notice, locale) : ''}
          </div>
        </section>
        <aside className="till-right">
          <div className="till-totals" data-testid="totals">
            <div className="row">
              <span>{t('totals.items')}</span>
              <span data-testid="total-items">{totals.itemCount}</span>
            </div>
            <div className="row">
              <span>{t('totals.gross')}</span>
              <span data-testid="total-gross">¥{totals.gross}</span>
            </div>
            <div className="row">
              <span>{t('totals.savings')}</span>
              <span className="save">¥{savings(totals)}</span>
            </div>
            {!dec(totals.rounding).isZero() && (
              <div className="row">
                <span>{t('totals.rounding')}</span>
                <span>¥{totals.rounding}</span>
              </div>
            )}
            <div className="row big">
              <span>{t('totals.total')}</span>
              <span data-testid="total-due">¥{totals.total}</span>
            </div>
          </div>
          {done && (
            <div className="till-done" data-testid="sale-done">
              <div className="till-muted">
                {done.refund ? t('return.doneTitle') : t('done.title')} · <span data-testid="done-receipt">{done.receiptNo}</span>
              </div>
              <div className="row big">
                <span>{done.refund ? t('return.amount') : t('done.change')}</span>
                <span data-testid="done-change">¥{done.refund ?? done.change}</span>
              </div>
              <div className="till-muted till-small">{t('done.next')}</div>
            </div>
          )}
          <div className="till-keys">
            {SCREEN_KEYS.map((a) => {
              const k = keyFor(keys, a);
              return (
                <button key={a} type="button" className="till-key" onClick={() => screen.run(a)} data-testid={`key-${a}`}>
                  <span>{t(`action.${a}`)}</span>
                  {k && <Kbd>{k}</Kbd>}
                </button>
              );
            })}
            <button type="button" className="till-key" onClick={() => screen.run('void_sale')} data-testid="key-void_sale">
              <span>{t('action.void_sale')}</span>
            </button>
            <button type="button" className="till-key" onClick={() => screen.run('recent')} data-testid="key-recent">
              <span>{t('action.recent')}</span>
            </button>
            <button type="button" className="till-key" onClick={() => screen.run('handover')} data-testid="key-handover">
              <span>{t('action.handover')}</span>
            </button>
          </div>
        </aside>
      </main>
      <div className="till-phone-pay" data-testid="phone-pay">
        <span className="due">¥{totals.total}</span>
        <button
          type="button"
          className="till-btn till-btn-primary"
          onClick={() => screen.run('pay')}
          data-testid="phone-pay-button"
        >
          {t('action.pay')}
        </button>
      </div>

      <SaleDialogs screen={screen} state={state} total={totals.total} />

      {printed && template && (
        <PrintArea>
          <Receipt
            receipt={printed.receipt}
            template={template}
            width={width}
            store={{ name: terminal.store.name, code: terminal.store.code }}
            reprint={printed.reprint}
          />
        </PrintArea>
      )}
    </div>
  );
}
