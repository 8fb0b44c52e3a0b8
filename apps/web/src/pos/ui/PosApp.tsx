import { useEffect } from 'react';
import { useLocale, useT } from '../../shared/i18n';
import { setTillLocale } from '../api';
import { startTill } from '../controller';
import { tm } from '../messages';
import { tillStore, useTill } from '../store';
import { CashierScreen } from './CashierScreen';
import { CustomerDisplay } from './CustomerDisplay';
import { PairScreen, ShiftOpenScreen, SignInScreen } from './SetupScreens';
import { TopBar } from './TopBar';

let started = false;

/** The till: pairing → cashier sign-in → shift → the cashier screen; /pos/display is the customer display. */
export function PosApp() {
  const t = useT(tm);
  const { locale } = useLocale();
  const ready = useTill((s) => s.ready);
  const terminal = useTill((s) => s.terminal);
  const cashier = useTill((s) => s.cashier);
  const shift = useTill((s) => s.shift);
  const isDisplay = location.pathname.replace(/\/+$/, '').endsWith('/display');

  useEffect(() => {
    setTillLocale(locale);
    document.title = `${t('till.title')} · ${locale === 'en' ? 'Retail ERP' : '零售ERP'}`;
  }, [locale, t]);

  useEffect(() => {
    if (isDisplay || started) return;
    started = true;
    void startTill();
    // POS-9: closing the till with sales not yet on the server asks first.
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      const n = tillStore.get().unsynced;
      if (n > 0) {
        e.preventDefault();
        e.returnValue = t('till.leaveWarning', { n });
        return e.returnValue;
      }
      return undefined;
    };
    window.addEventListener('beforeunload', onBeforeUnload);
  }, [isDisplay, t]);

  if (isDisplay) return <CustomerDisplay />;
  if (!ready) return <div className="till-center till-muted">{t('till.loading')}</div>;
  if (terminal && cashier && shift) return <CashierScreen />;
  return (
    <div className="till-app">
      <TopBar />
      {!terminal ? <PairScreen /> : !cashier ? <SignInScreen /> : <ShiftOpenScreen />}
    </div>
  );
}
