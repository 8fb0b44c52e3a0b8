import { type AuthorizationPurpose, dec } from '@erp/contracts';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useLocale, useT } from '../../shared/i18n';
import { isReachable, NetworkError, TILL, till } from '../api';
import { type PricedProduct, searchProducts } from '../catalog';
import { type CartLine, db, type HeldSale, type OutboxSale } from '../db';
import { LocalizedError, tillErrorText } from '../errors';
import { tm } from '../messages';
import { verifyPinOffline } from '../pin';
import type { AuthorizationOutcome } from '../sale.rules';
import { type Shortage, shortageText } from '../stock.rules';
import { type ServerSale, useTill } from '../store';
import { Kbd, TillModal } from './Modal';

// Small dialogs of the cashier screen: quantity, discounts, supervisor authorisation (AUTH-4), search,
// held sales, crash-left sales, recent sales.

const qtyPattern = /^\d{1,9}(\.\d{1,3})?$/;

export function QtyDialog(props: { line: CartLine; onClose: () => void; onSave: (qty: string) => void }) {
  const t = useT(tm);
  const [qty, setQty] = useState(dec(props.line.qty).toString());
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!qtyPattern.test(qty.trim()) || dec(qty.trim()).lessThanOrEqualTo(0)) return setError(t('qty.invalid'));
    props.onSave(dec(qty.trim()).toFixed(3));
  };
  return (
    <TillModal title={`${t('qty.title')} · ${props.line.name}`} onClose={props.onClose} testId="qty-dialog">
      <form onSubmit={submit}>
        <label>
          {t('qty.label')}
          <input
            className="till-input till-input-big"
            value={qty}
            onChange={(e) => setQty(e.target.value)}
            inputMode="decimal"
            data-testid="qty-input"
          />
        </label>
        {error && <div className="till-error">{error}</div>}
        <button type="submit" className="till-btn till-btn-primary till-btn-wide">
          {t('common.confirm')} <Kbd>Enter</Kbd>
        </button>
      </form>
    </TillModal>
  );
}

export type DiscountValue = { kind: 'percent' | 'amount' | 'price'; value: string } | null;

export function DiscountDialog(props: {
  scope: 'line' | 'sale';
  title: string;
  current: DiscountValue;
  initialKind?: 'percent' | 'amount' | 'price';
  limit: string;
  onClose: () => void;
  onSave: (d: DiscountValue) => void;
}) {
  const t = useT(tm);
  const kinds = props.scope === 'line' ? (['percent', 'amount', 'price'] as const) : (['percent', 'amount'] as const);
  const [kind, setKind] = useState<'percent' | 'amount' | 'price'>(props.current?.kind ?? props.initialKind ?? 'percent');
  const [value, setValue] = useState(props.current?.value ?? '');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = value.trim();
    const ok =
      kind === 'percent' ? /^\d{1,3}(\.\d{1,2})?$/.test(v) && dec(v).lessThanOrEqualTo(100) : /^\d{1,9}(\.\d{1,4})?$/.test(v);
    if (!ok) return setError(t('disc.value'));
    props.onSave({ kind, value: v });
  };
  return (
    <TillModal title={props.title} onClose={props.onClose} testId="discount-dialog">
      <form onSubmit={submit}>
        <div className="till-row">
          {kinds.map((k) => (
            <button
              key={k}
              type="button"
              className={`till-btn till-btn-small ${kind === k ? 'till-btn-primary' : ''}`}
              onClick={() => setKind(k)}
              data-testid={`discount-kind-${k}`}
            >
              {t(`disc.${k}`)}
            </button>
          ))}
        </div>
        <label>
          {t(`disc.${kind}`)}
          <input
            className="till-input till-input-big"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            inputMode="decimal"
            data-testid="discount-value"
          />
        </label>
        <div className="till-muted">{t('disc.limit', { limit: props.limit })}</div>
        {error && <div className="till-error">{error}</div>}
        <div className="till-row">
          <button type="submit" className="till-btn till-btn-primary">
            {t('common.confirm')} <Kbd>Enter</Kbd>
          </button>
          {props.current && (
            <button type="button" className="till-btn" onClick={() => props.onSave(null)}>
              {t('disc.clear')}
            </button>
          )}
        </div>
      </form>
    </TillModal>
  );
}

/**
 * A supervisor authorises at the till with login and till PIN (AUTH-4). Online the server checks and keeps
 * the authorisation (single use, short-lived); offline — if the store allows it — the PIN is checked here
 * against the synced verifier and the authorisation travels with the sale for the server to re-check.
 */
export function AuthorizeDialog(props: {
  purpose: AuthorizationPurpose;
  rate?: string;
  clientSaleId?: string;
  onClose: () => void;
  onGranted: (a: AuthorizationOutcome) => void;
}) {
  const t = useT(tm);
  const { locale } = useLocale();
  const settings = useTill((s) => s.settings);
  const online = useTill((s) => s.online);
  const hasToken = useTill((s) => !!s.cashier?.token);
  const [login, setLogin] = useState('');
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const offlineCheck = async () => {
    if (!settings?.allowOfflineAuthorization) throw new LocalizedError(t('auth.offlineRefused'));
    const row = await db.cashiers.where('login').equalsIgnoreCase(login.trim()).first();
    if (!row?.pin || !(await verifyPinOffline(pin, row.pin))) throw new LocalizedError(t('signin.pin'));
    if (!row.canAuthorize) throw new LocalizedError(t('auth.notSupervisor', { login: row.login }));
    if (props.rate && dec(props.rate).greaterThan(row.maxDiscountRate)) {
      throw new LocalizedError(t('auth.beyondSupervisor', { login: row.login, limit: row.maxDiscountRate, rate: props.rate }));
    }
    props.onGranted({
      kind: 'offline',
      supervisorName: row.name,
      offline: {
        supervisorId: row.id,
        purpose: props.purpose,
        at: new Date().toISOString(),
        ...(props.rate ? { maxDiscountRate: props.rate } : {}),
      },
    });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (online && hasToken && isReachable()) {
        try {
          const r = await till.post<{ id: string; supervisor: { name: string }; maxDiscountRate: string | null }>(
            TILL.authorizations,
            {
              login: login.trim(),
              pin,
              purpose: props.purpose,
              ...(props.clientSaleId ? { clientSaleId: props.clientSaleId } : {}),
              ...(props.rate ? { maxDiscountRate: props.rate } : {}),
            },
            { timeoutMs: 8000 },
          );
          props.onGranted({ kind: 'online', id: r.id, supervisorName: r.supervisor.name, rate: r.maxDiscountRate });
          return;
        } catch (err) {
          if (!(err instanceof NetworkError)) throw err;
        }
      }
      await offlineCheck();
    } catch (err) {
      setError(tillErrorText(err, locale));
      setPin('');
    } finally {
      setBusy(false);
    }
  };
  const purposeText =
    props.purpose === 'discount' ? t('auth.purpose.discount', { rate: props.rate ?? '' }) : t(`auth.purpose.${props.purpose}`);
  return (
    <TillModal title={t('auth.title')} onClose={props.onClose} testId="auth-dialog" locked={busy}>
      <form onSubmit={submit}>
        <div className="till-warn">{purposeText}</div>
        <label>
          {t('auth.login')}
          <input
            className="till-input"
            value={login}
            onChange={(e) => setLogin(e.target.value)}
            autoComplete="off"
            data-testid="auth-login"
          />
        </label>
        <label>
          {t('auth.pin')}
          <input
            className="till-input"
            type="password"
            value={pin}
            onChange={(e) => setPin(e.target.value)}
            autoComplete="off"
            data-testid="auth-pin"
          />
        </label>
        {(!online || !hasToken) && <div className="till-muted till-small">{t('auth.offline')}</div>}
        {error && (
          <div className="till-error" role="alert" data-testid="auth-error">
            {error}
          </div>
        )}
        <button
          type="submit"
          className="till-btn till-btn-primary till-btn-wide"
          disabled={busy || !login || !pin}
          data-testid="auth-submit"
        >
          {t('auth.submit')} <Kbd>Enter</Kbd>
        </button>
      </form>
    </TillModal>
  );
}

export function SearchDialog(props: {
  initial: string;
  env: { storeId: number; region: string | null };
  onClose: () => void;
  onPick: (p: PricedProduct) => void;
}) {
  const t = useT(tm);
  const [q, setQ] = useState(props.initial);
  const [hits, setHits] = useState<PricedProduct[]>([]);
  const [sel, setSel] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    const n = ++seq.current;
    const id = setTimeout(async () => {
      const r = await searchProducts(q, props.env);
      if (n === seq.current) {
        setHits(r);
        setSel(0);
      }
    }, 80);
    return () => clearTimeout(id);
  }, [q, props.env]);
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setSel((s) => Math.min(hits.length - 1, s + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setSel((s) => Math.max(0, s - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const h = hits[sel];
      if (h) props.onPick(h);
    }
  };
  return (
    <TillModal title={t('search.title')} onClose={props.onClose} width={760} testId="search-dialog">
      <input
        className="till-input till-input-big"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={onKey}
        placeholder={t('search.placeholder')}
        data-testid="search-input"
      />
      <div className="till-list">
        {hits.length === 0 && q.trim() && <div className="till-muted">{t('search.none')}</div>}
        {hits.map((h, i) => (
          <button
            type="button"
            key={h.product.id}
            className={`till-list-row ${i === sel ? 'sel' : ''}`}
            onClick={() => props.onPick(h)}
            data-testid="search-hit"
          >
            <span className="mono">{h.product.code}</span>
            <span className="grow">
              {h.product.name} {h.product.spec}
            </span>
            <span className="mono">{h.price ?? '—'}</span>
          </button>
        ))}
      </div>
      <div className="till-muted till-small">{t('search.hint')}</div>
    </TillModal>
  );
}

export function HeldDialog(props: {
  cashierId: number;
  onClose: () => void;
  onResume: (h: HeldSale) => void;
  onDiscard: (h: HeldSale) => void;
}) {
  const t = useT(tm);
  const [list, setList] = useState<HeldSale[] | null>(null);
  const [sel, setSel] = useState(0);
  useEffect(() => {
    void db.held.toArray().then((l) => setList(l.sort((a, b) => b.heldAt.localeCompare(a.heldAt))));
  }, []);
  const onKey = (e: React.KeyboardEvent) => {
    if (!list?.length) return;
    if (e.key === 'ArrowDown') setSel((s) => Math.min(list.length - 1, s + 1));
    else if (e.key === 'ArrowUp') setSel((s) => Math.max(0, s - 1));
    else if (e.key === 'Enter') {
      e.preventDefault();
      const h = list[sel];
      if (h) props.onResume(h);
    }
  };
  return (
    <TillModal title={t('held.title')} onClose={props.onClose} width={640} testId="held-dialog">
      {/* biome-ignore lint/a11y/noStaticElementInteractions: list keyboard navigation */}
      <div className="till-list" tabIndex={-1} onKeyDown={onKey} data-autofocus>
        {list?.length === 0 && <div className="till-muted">{t('held.none')}</div>}
        {list?.map((h, i) => (
          <div key={h.clientId} className={`till-list-row ${i === sel ? 'sel' : ''}`}>
            <span className="mono">{h.cart.receiptNo}</span>
            <span className="grow">
              {new Date(h.heldAt).toLocaleTimeString()} · {t('held.lines', { n: h.cart.lines.length })}
            </span>
            <span className="mono">¥{h.total}</span>
            <button type="button" className="till-btn till-btn-small till-btn-primary" onClick={() => props.onResume(h)}>
              {t('action.resume')}
            </button>
            <button type="button" className="till-btn till-btn-small" onClick={() => props.onDiscard(h)}>
              {t('held.discard')}
            </button>
          </div>
        ))}
      </div>
    </TillModal>
  );
}

export function CrashDialog(props: {
  sales: ServerSale[];
  onClose: () => void;
  onResume: (s: ServerSale) => void;
  onDiscard: (s: ServerSale) => Promise<void>;
}) {
  const t = useT(tm);
  const { locale } = useLocale();
  const [error, setError] = useState<string | null>(null);
  return (
    <TillModal title={t('crash.title')} onClose={props.onClose} width={680} testId="crash-dialog">
      <p>{t('crash.intro')}</p>
      <div className="till-list">
        {props.sales.map((s) => (
          <div key={s.clientId} className="till-list-row">
            <span className="mono">{s.receiptNo}</span>
            <span className="grow">
              {new Date(s.soldAt).toLocaleString()} · {t('held.lines', { n: s.lines.length })}
            </span>
            <span className="mono">¥{s.total}</span>
            <button type="button" className="till-btn till-btn-small till-btn-primary" onClick={() => props.onResume(s)}>
              {t('crash.resume')}
            </button>
            <button
              type="button"
              className="till-btn till-btn-small"
              onClick={() => props.onDiscard(s).catch((e) => setError(tillErrorText(e, locale)))}
            >
              {t('crash.discard')}
            </button>
          </div>
        ))}
      </div>
      {error && <div className="till-error">{error}</div>}
      <button type="button" className="till-btn" onClick={props.onClose}>
        {t('crash.later')}
      </button>
    </TillModal>
  );
}

export function RecentDialog(props: { onClose: () => void; onReprint: (s: OutboxSale) => void; onUpload: () => void }) {
  const t = useT(tm);
  const { locale } = useLocale();
  const [list, setList] = useState<OutboxSale[] | null>(null);
  const [sel, setSel] = useState(0);
  useEffect(() => {
    void db.outbox.orderBy('seq').reverse().limit(100).toArray().then(setList);
  }, []);
  const onKey = (e: React.KeyboardEvent) => {
    if (!list?.length) return;
    if (e.key === 'ArrowDown') setSel((s) => Math.min(list.length - 1, s + 1));
    else if (e.key === 'ArrowUp') setSel((s) => Math.max(0, s - 1));
    else if (e.key === 'Enter') {
      e.preventDefault();
      const s = list[sel];
      if (s) props.onReprint(s);
    }
  };
  return (
    <TillModal title={t('recent.title')} onClose={props.onClose} width={760} testId="recent-dialog">
      {/* biome-ignore lint/a11y/noStaticElementInteractions: list keyboard navigation */}
      <div className="till-list" tabIndex={-1} onKeyDown={onKey} data-autofocus>
        {list?.length === 0 && <div className="till-muted">{t('recent.none')}</div>}
        {list?.map((s, i) => (
          <div key={s.clientId} className={`till-list-row ${i === sel ? 'sel' : ''}`} data-testid="recent-row">
            <span className="mono">{s.receiptNo}</span>
            <span className="grow">
              {new Date(s.createdAt).toLocaleTimeString()} · {s.cashierName}
              {s.status === 'synced' && s.late && s.businessDay ? (
                <span className="till-small till-muted"> · {t('recent.late', { day: s.businessDay })}</span>
              ) : null}
              {s.status !== 'synced' && (s.refusal ?? s.lastError) ? (
                <span className="till-small till-muted"> · {(s.refusal?.messages ?? s.lastError)?.[locale]}</span>
              ) : null}
            </span>
            <span className="mono">¥{s.receipt.total}</span>
            <span
              className={`till-chip ${s.status === 'synced' ? 'till-chip-ok' : s.status === 'refused' ? 'till-chip-err' : 'till-chip-warn'}`}
            >
              {t(`recent.status.${s.status}`)}
            </span>
            <button type="button" className="till-btn till-btn-small" onClick={() => props.onReprint(s)}>
              {t('recent.reprint')}
            </button>
          </div>
        ))}
      </div>
      <button type="button" className="till-btn" onClick={props.onUpload}>
        {t('recent.uploadNow')}
      </button>
    </TillModal>
  );
}

/**
 * Paid sales the server refused (upload result `queued`): receipt, time, amount, the server's reason in the
 * cashier's language, and what to do — the store manager resolves them in the back office; the customer is not
 * charged again. A sale leaves the list once the server reports it booked (re-checked on upload ticks, or now).
 */
export function RefusedDialog(props: { onClose: () => void; onRecheck: () => Promise<void> }) {
  const t = useT(tm);
  const { locale } = useLocale();
  const refusedCount = useTill((s) => s.refused);
  const [list, setList] = useState<OutboxSale[] | null>(null);
  const [busy, setBusy] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the count of refused sales changes
  useEffect(() => {
    void db.outbox.where('status').equals('refused').sortBy('seq').then(setList);
  }, [refusedCount]);
  const recheck = async () => {
    setBusy(true);
    try {
      await props.onRecheck();
      setList(await db.outbox.where('status').equals('refused').sortBy('seq'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <TillModal title={t('refused.title')} onClose={props.onClose} width={820} testId="refused-dialog">
      <div className="till-warn" data-testid="refused-intro">
        {t('refused.intro')}
      </div>
      {list?.length === 0 && <div className="till-muted">{t('refused.none')}</div>}
      {!!list?.length && (
        <div className="till-table-wrap">
          <table className="till-table" data-testid="refused-list">
            <thead>
              <tr>
                <th>{t('refused.receipt')}</th>
                <th>{t('refused.time')}</th>
                <th className="num">{t('refused.amount')}</th>
                <th>{t('refused.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.clientId} data-testid="refused-row" data-receipt={s.receiptNo}>
                  <td className="mono">{s.receiptNo}</td>
                  <td>{new Date(s.createdAt).toLocaleString(locale, { hour12: false })}</td>
                  <td className="num">¥{s.receipt.total}</td>
                  <td className="till-wrap" data-testid="refused-reason">
                    {s.refusal?.messages[locale] ?? ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="till-row">
        <button type="button" className="till-btn" onClick={() => void recheck()} disabled={busy} data-testid="refused-recheck">
          {t('refused.recheck')}
        </button>
        <button type="button" className="till-btn till-btn-primary" onClick={props.onClose}>
          {t('common.close')}
        </button>
      </div>
    </TillModal>
  );
}

/**
 * The stock check before payment. Online (mode `online`) a short product blocks payment: the cashier reduces or
 * removes it. Offline the till's copy may be stale: the cashier is warned and may sell anyway (the sale is
 * booked as negative stock for the store manager).
 */
export function StockDialog(props: {
  mode: 'online' | 'offline';
  shortages: Shortage[];
  onClose: () => void;
  onSellAnyway: () => void;
}) {
  const t = useT(tm);
  const { locale } = useLocale();
  const online = props.mode === 'online';
  return (
    <TillModal
      title={online ? t('stock.blockedTitle') : t('stock.offlineTitle')}
      onClose={props.onClose}
      width={640}
      testId="stock-dialog"
    >
      <div className={online ? 'till-error' : 'till-warn'}>{online ? t('stock.blockedIntro') : t('stock.offlineIntro')}</div>
      <ul className="till-shortages" data-testid="stock-shortages">
        {props.shortages.map((x) => (
          <li key={`${x.productId}-${x.lotNo ?? ''}`} data-testid="stock-shortage">
            {shortageText(x, props.mode, locale)}
          </li>
        ))}
      </ul>
      <div className="till-row">
        <button
          type="button"
          className="till-btn till-btn-primary"
          onClick={props.onClose}
          data-testid="stock-back"
          data-autofocus
        >
          {t('stock.back')}
        </button>
        {!online && (
          <button type="button" className="till-btn till-btn-danger" onClick={props.onSellAnyway} data-testid="stock-sell-anyway">
            {t('stock.sellAnyway')}
          </button>
        )}
      </div>
    </TillModal>
  );
}
