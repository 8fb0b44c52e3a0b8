import { MOBILE_CHANNELS, type MobileChannel } from '@erp/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLocale, useT } from '../../shared/i18n';
import { isReachable, NetworkError, TILL, TillApiError, till } from '../api';
import { quickCash, tenderState } from '../cart';
import type { TenderEntry } from '../db';
import { tillErrorText } from '../errors';
import { tm } from '../messages';
import {
  declineReason,
  intentOutcome,
  mayLeavePayment,
  mobileRequest,
  type PaymentIntent,
  type TenderMethod,
  tenderForKey,
  typedTender,
} from '../payment.rules';
import { useTill } from '../store';
import { Kbd, TillModal } from './Modal';

/**
 * Tenders (POS-4): several per sale; cash gives change; card and mobile never exceed what is left. Mobile
 * payments go through the server's payment intents: the intent id is made here, so a retry never charges
 * twice, and the states the provider can be in are shown as they are — waiting, unknown (timeout: query
 * again or cancel), failed — never guessed. The sale completes only when the tenders cover the total.
 */

export function PayDialog(props: {
  total: string;
  clientSaleId: string;
  initialMethod?: TenderMethod;
  onCancel: () => void;
  onComplete: (tenders: TenderEntry[]) => Promise<void>;
}) {
  const t = useT(tm);
  const { locale } = useLocale();
  const online = useTill((s) => s.online);
  const hasToken = useTill((s) => !!s.cashier?.token);
  const [tenders, setTenders] = useState<TenderEntry[]>([]);
  const [method, setMethod] = useState<TenderMethod>(props.initialMethod ?? 'cash');
  const state = tenderState(props.total, tenders);
  const [amount, setAmount] = useState(state.remaining);
  const [reference, setReference] = useState('');
  const [authCode, setAuthCode] = useState('');
  const [channel, setChannel] = useState<MobileChannel>('wechat');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<PaymentIntent | null>(null);
  const [busy, setBusy] = useState(false);
  const amountRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const completing = useRef(false);

  const remaining = state.remaining;
  useEffect(() => {
    setAmount(remaining);
  }, [remaining]);

  useEffect(() => {
    if (method === 'mobile') codeRef.current?.focus();
    else {
      amountRef.current?.focus();
      amountRef.current?.select();
    }
  }, [method]);

  const finish = useCallback(
    async (list: TenderEntry[]) => {
      if (completing.current) return;
      completing.current = true;
      setBusy(true);
      try {
        await props.onComplete(list);
      } catch (e) {
        completing.current = false;
        setError(tillErrorText(e, locale));
      } finally {
        setBusy(false);
      }
    },
    [props.onComplete, locale],
  );

  const addTender = (entry: TenderEntry) => {
    const next = [...tenders, entry];
    setTenders(next);
    setReference('');
    setError(null);
    if (tenderState(props.total, next).settled) void finish(next);
  };

  const takeMobile = async () => {
    const asked = mobileRequest(amount, remaining, authCode, online && hasToken && isReachable());
    if (!asked.ok) {
      setError(t(asked.error));
      if (asked.error === 'pay.scanCode') codeRef.current?.focus();
      return;
    }
    const intentId = crypto.randomUUID();
    setBusy(true);
    setError(null);
    setPending({ id: intentId, status: 'pending', amount: asked.amount, failureCode: null });
    try {
      const r = await till.post<PaymentIntent>(
        TILL.payments,
        { intentId, clientSaleId: props.clientSaleId, channel, amount: asked.amount, authCode: asked.authCode },
        { idempotencyKey: intentId, timeoutMs: 20_000 },
      );
      onIntent(r);
    } catch (e) {
      // No answer from our server either: the intent may exist; treat it as unknown and let the cashier query.
      if (e instanceof NetworkError) setPending({ id: intentId, status: 'unknown', amount: asked.amount, failureCode: null });
      else {
        setPending(null);
        setError(tillErrorText(e, locale));
      }
    } finally {
      setBusy(false);
      setAuthCode('');
    }
  };

  const onIntent = (r: PaymentIntent) => {
    const outcome = intentOutcome(r, channel);
    if (outcome.kind === 'waiting') return setPending(r);
    setPending(null);
    if (outcome.kind === 'tender') return addTender(outcome.tender);
    if (outcome.kind === 'cancelled') return setError(t('pay.cancelled'));
    const reason = declineReason(outcome.failureCode);
    setError(t('pay.declined', { reason: t(reason.key, reason.params) }));
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: onIntent only reads setters and t
  const queryIntent = useCallback(async () => {
    if (!pending) return;
    setBusy(true);
    try {
      const r = await till.post<PaymentIntent>(TILL.paymentQuery(pending.id), {}, { timeoutMs: 15_000 });
      onIntent(r);
    } catch (e) {
      if (e instanceof TillApiError && e.status === 404) {
        // The request never reached our server: no money was taken.
        setPending(null);
        setError(t('pay.cancelled'));
      } else setError(tillErrorText(e, locale));
    } finally {
      setBusy(false);
    }
  }, [pending, locale, t]);

  const cancelIntent = async (id: string) => {
    setBusy(true);
    try {
      await till.post<PaymentIntent>(TILL.paymentCancel(id), {}, { timeoutMs: 15_000 });
      setPending((p) => (p?.id === id ? null : p));
      setTenders((ts) => ts.filter((x) => x.paymentIntentId !== id));
      setError(t('pay.cancelled'));
    } catch (e) {
      if (e instanceof TillApiError && e.status === 404) {
        setPending((p) => (p?.id === id ? null : p));
        setError(t('pay.cancelled'));
      } else setError(tillErrorText(e, locale));
    } finally {
      setBusy(false);
    }
  };

  // A pending intent (the customer is confirming on their phone) is polled a few times by itself.
  useEffect(() => {
    if (pending?.status !== 'pending') return;
    const id = setTimeout(() => void queryIntent(), 2000);
    return () => clearTimeout(id);
  }, [pending, queryIntent]);

  const take = () => {
    setError(null);
    if (method === 'mobile') return void takeMobile();
    const typed = typedTender(method, amount, reference, remaining);
    if (!typed.ok) return setError(t(typed.error));
    addTender(typed.tender);
  };

  const removeTender = (i: number) => {
    const tn = tenders[i];
    if (!tn) return;
    if (tn.paymentIntentId) return void cancelIntent(tn.paymentIntentId);
    setTenders(tenders.filter((_, j) => j !== i));
  };

  const cancel = () => {
    if (!mayLeavePayment(pending, tenders)) return setError(t('pay.cancelFirst'));
    props.onCancel();
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    const m = tenderForKey(e);
    if (m) {
      e.preventDefault();
      setMethod(m);
    }
  };

  const methods: { m: TenderMethod; label: string; key: string }[] = [
    { m: 'cash', label: t('pay.cash'), key: 'F2' },
    { m: 'bank_card', label: t('pay.card'), key: 'F3' },
    { m: 'mobile', label: t('pay.mobile'), key: 'F4' },
  ];
  const mobileDisabled = !online || !hasToken;

  return (
    <TillModal title={t('pay.title')} onClose={cancel} width={640} testId="pay-dialog" locked={busy}>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the dialog's own key handling (tender keys) */}
      <div onKeyDown={onKeyDown}>
        <div className="pay-summary">
          <div>
            <div className="till-muted">{t('pay.due')}</div>
            <div className="pay-due" data-testid="pay-due">
              ¥{props.total}
            </div>
          </div>
          <div>
            <div className="till-muted">{t('pay.paid')}</div>
            <div className="pay-figure">¥{state.paid}</div>
          </div>
          <div>
            <div className="till-muted">{state.settled ? t('pay.change') : t('pay.remaining')}</div>
            <div className={`pay-figure ${state.settled ? 'pay-change' : 'pay-left'}`} data-testid="pay-remaining">
              ¥{state.settled ? state.change : state.remaining}
            </div>
          </div>
        </div>
        <div className="pay-methods">
          {methods.map((x) => (
            <button
              key={x.m}
              type="button"
              className={`till-btn ${method === x.m ? 'till-btn-primary' : ''}`}
              onClick={() => setMethod(x.m)}
              disabled={x.m === 'mobile' && mobileDisabled}
              data-testid={`pay-method-${x.m}`}
            >
              {x.label} <Kbd>{x.key}</Kbd>
            </button>
          ))}
        </div>
        {method === 'mobile' && mobileDisabled && <div className="till-warn">{t('pay.mobileOffline')}</div>}
        <form
          className="pay-form"
          onSubmit={(e) => {
            e.preventDefault();
            take();
          }}
        >
          <label>
            {t('pay.amount')}
            <input
              ref={amountRef}
              className="till-input till-input-big"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              inputMode="decimal"
              disabled={busy || !!pending}
              data-testid="pay-amount"
            />
          </label>
          {method === 'bank_card' && (
            <label>
              {t('pay.reference')}
              <input
                className="till-input"
                value={reference}
                onChange={(e) => setReference(e.target.value)}
                data-testid="pay-reference"
              />
            </label>
          )}
          {method === 'mobile' && (
            <>
              <div className="till-row">
                {MOBILE_CHANNELS.map((c) => (
                  <button
                    key={c}
                    type="button"
                    className={`till-btn till-btn-small ${channel === c ? 'till-btn-primary' : ''}`}
                    onClick={() => setChannel(c)}
                  >
                    {t(`pay.channel.${c}`)}
                  </button>
                ))}
              </div>
              <label>
                {t('pay.authCode')}
                <input
                  ref={codeRef}
                  className="till-input till-input-big"
                  value={authCode}
                  onChange={(e) => setAuthCode(e.target.value)}
                  placeholder={t('pay.scanCode')}
                  disabled={busy || !!pending || mobileDisabled}
                  autoComplete="off"
                  data-testid="pay-authcode"
                />
              </label>
            </>
          )}
          {method === 'cash' && (
            <div className="till-row pay-quick">
              <span className="till-muted">{t('pay.quick')}</span>
              {quickCash(remaining).map((q) => (
                <button
                  key={q}
                  type="button"
                  className="till-btn till-btn-small"
                  onClick={() => addTender({ method: 'cash', amount: q })}
                >
                  ¥{q}
                </button>
              ))}
            </div>
          )}
          <button
            type="submit"
            className="till-btn till-btn-primary till-btn-wide"
            disabled={busy || !!pending}
            data-testid="pay-take"
          >
            {methods.find((x) => x.m === method)?.label} <Kbd>Enter</Kbd>
          </button>
        </form>
        {pending && (
          <div className={`pay-pending ${pending.status === 'unknown' ? 'pay-unknown' : ''}`} data-testid="pay-pending">
            <div>{pending.status === 'pending' ? t('pay.waiting') : t('pay.unknown')}</div>
            <div className="till-row">
              <button
                type="button"
                className="till-btn"
                onClick={() => void queryIntent()}
                disabled={busy}
                data-testid="pay-query"
              >
                {t('pay.query')}
              </button>
              <button
                type="button"
                className="till-btn till-btn-danger"
                onClick={() => void cancelIntent(pending.id)}
                disabled={busy}
                data-testid="pay-cancel-intent"
              >
                {t('pay.cancelPayment')}
              </button>
            </div>
          </div>
        )}
        {tenders.length > 0 && (
          <div className="pay-tenders" data-testid="pay-tenders">
            <div className="till-muted">{t('pay.tenders')}</div>
            {tenders.map((x, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: tenders are only appended or removed as a whole list
              <div key={i} className="till-row pay-tender">
                <span>
                  {x.method === 'cash' ? t('pay.cash') : x.method === 'bank_card' ? t('pay.card') : t('pay.mobile')}
                  {x.reference ? ` · ${x.reference}` : ''}
                </span>
                <span>¥{x.amount}</span>
                <button type="button" className="till-btn till-btn-small" onClick={() => removeTender(i)} disabled={busy}>
                  {x.paymentIntentId ? t('pay.cancelPayment') : t('pay.remove')}
                </button>
              </div>
            ))}
          </div>
        )}
        {error && (
          <div className="till-error" role="alert" data-testid="pay-error">
            {error}
          </div>
        )}
        <div className="till-muted till-small till-keyhint">{t('pay.keysHint')}</div>
      </div>
    </TillModal>
  );
}
