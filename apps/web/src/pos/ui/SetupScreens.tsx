import { dec } from '@erp/contracts';
import { type FormEvent, useState } from 'react';
import { useLocale, useT } from '../../shared/i18n';
import { isReachable } from '../api';
import { openShift, pairTill, signIn, signOut } from '../controller';
import { tillErrorText } from '../errors';
import { tm } from '../messages';
import { useTill } from '../store';

/** The till's forms start with the first field focused: the cashier never needs the mouse. */
function focusOnMount(el: HTMLInputElement | null) {
  if (el && !el.dataset.focused) {
    el.dataset.focused = '1';
    el.focus();
  }
}

/** First run (ORG-5): the device redeems the pairing code (传输密码) for its terminal token. */
export function PairScreen() {
  const t = useT(tm);
  const { locale } = useLocale();
  const [code, setCode] = useState('');
  const [device, setDevice] = useState(() => `${navigator.platform || 'till'}`.slice(0, 60));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const online = useTill((s) => s.online);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await pairTill(code.trim(), device.trim());
    } catch (err) {
      setError(tillErrorText(err, locale));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="till-center">
      <form className="till-card" onSubmit={submit} data-testid="pair-form">
        <h1>{t('pair.title')}</h1>
        <p className="till-muted">{t('pair.intro')}</p>
        <label>
          {t('pair.code')}
          <input
            className="till-input till-input-big"
            value={code}
            onChange={(e) => setCode(e.target.value.toUpperCase())}
            placeholder="XXXX-XXXX"
            ref={focusOnMount}
            autoComplete="off"
            data-testid="pair-code"
          />
        </label>
        <label>
          {t('pair.device')}
          <input className="till-input" value={device} onChange={(e) => setDevice(e.target.value)} data-testid="pair-device" />
        </label>
        {!online && <div className="till-warn">{t('pair.offline')}</div>}
        {error && (
          <div className="till-error" role="alert">
            {error}
          </div>
        )}
        <button
          type="submit"
          className="till-btn till-btn-primary"
          disabled={busy || code.trim().length < 6}
          data-testid="pair-submit"
        >
          {t('pair.submit')}
        </button>
      </form>
    </div>
  );
}

/** Cashier sign-in with login and till PIN: online by the server, offline against the synced verifiers. */
export function SignInScreen() {
  const t = useT(tm);
  const { locale } = useLocale();
  const terminal = useTill((s) => s.terminal);
  const online = useTill((s) => s.online);
  const catalogSize = useTill((s) => s.catalogSize);
  const [login, setLogin] = useState('');
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(login.trim(), pin, locale);
    } catch (err) {
      setError(tillErrorText(err, locale));
      setPin('');
    } finally {
      setBusy(false);
    }
  };
  const offline = !online || !isReachable();
  return (
    <div className="till-center">
      <form className="till-card" onSubmit={submit} data-testid="signin-form">
        <h1>{t('signin.title')}</h1>
        {terminal && (
          <p className="till-muted">
            {terminal.store.code} {terminal.store.name} · {t('till.terminal')} {terminal.terminalCode}
          </p>
        )}
        <label>
          {t('signin.login')}
          <input
            className="till-input till-input-big"
            value={login}
            onChange={(e) => setLogin(e.target.value)}
            ref={focusOnMount}
            autoComplete="username"
            data-testid="signin-login"
          />
        </label>
        <label>
          {t('signin.pin')}
          <input
            className="till-input till-input-big"
            type="password"
            inputMode="numeric"
            value={pin}
            onChange={(e) => setPin(e.target.value)}
            autoComplete="current-password"
            data-testid="signin-pin"
          />
        </label>
        {offline && <div className="till-warn">{catalogSize ? t('signin.offlineHint') : t('signin.noCatalog')}</div>}
        {error && (
          <div className="till-error" role="alert" data-testid="signin-error">
            {error}
          </div>
        )}
        <button type="submit" className="till-btn till-btn-primary" disabled={busy || !login || !pin} data-testid="signin-submit">
          {t('signin.submit')}
        </button>
      </form>
    </div>
  );
}

/** POS-7: a shift opens with the float counted into the drawer. */
export function ShiftOpenScreen() {
  const t = useT(tm);
  const { locale } = useLocale();
  const cashier = useTill((s) => s.cashier);
  const online = useTill((s) => s.online);
  const [float, setFloat] = useState('500.00');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const valid = /^\d{1,9}(\.\d{1,2})?$/.test(float.trim()) && dec(float.trim()).greaterThanOrEqualTo(0);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!valid) return;
    setBusy(true);
    setError(null);
    try {
      await openShift(dec(float.trim()).toFixed(2));
    } catch (err) {
      setError(tillErrorText(err, locale));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="till-center">
      <form className="till-card" onSubmit={submit} data-testid="shift-form">
        <h1>{t('shift.openTitle')}</h1>
        <p className="till-muted">
          {cashier?.name} · {t('shift.intro')}
        </p>
        <label>
          {t('shift.float')}
          <input
            className="till-input till-input-big"
            value={float}
            onChange={(e) => setFloat(e.target.value)}
            inputMode="decimal"
            ref={focusOnMount}
            onFocus={(e) => e.target.select()}
            data-testid="shift-float"
          />
        </label>
        {!online && <div className="till-warn">{t('shift.offlineNote')}</div>}
        {error && (
          <div className="till-error" role="alert">
            {error}
          </div>
        )}
        <div className="till-row">
          <button type="submit" className="till-btn till-btn-primary" disabled={busy || !valid} data-testid="shift-open">
            {t('shift.open')}
          </button>
          <button type="button" className="till-btn" onClick={() => void signOut()}>
            {t('shift.signOut')}
          </button>
        </div>
      </form>
    </div>
  );
}
