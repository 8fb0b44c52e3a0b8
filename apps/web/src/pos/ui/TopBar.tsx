import { useEffect, useState } from 'react';
import { useLocale, useT } from '../../shared/i18n';
import { tm } from '../messages';
import { summarizeOutbox } from '../status';
import { useTill } from '../store';

/**
 * Store, till, cashier, network state and the truth about the outbox (POS-9): waiting / uploading / offline
 * sales and, on their own, sales the server refused — never "all uploaded" while any of them exist.
 */
export function TopBar(props: { onOutboxClick?: () => void; onRefusedClick?: () => void }) {
  const t = useT(tm);
  const { locale, setLocale } = useLocale();
  const terminal = useTill((s) => s.terminal);
  const cashier = useTill((s) => s.cashier);
  const online = useTill((s) => s.online);
  const unsynced = useTill((s) => s.unsynced);
  const refused = useTill((s) => s.refused);
  const uploading = useTill((s) => s.uploading);
  const syncing = useTill((s) => s.syncing);
  const progress = useTill((s) => s.syncProgress);
  const catalogSize = useTill((s) => s.catalogSize);
  const syncError = useTill((s) => s.syncError);
  const summary = summarizeOutbox({ pending: unsynced, refused, online, uploading });
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 15_000);
    return () => clearInterval(id);
  }, []);
  return (
    <header className="till-top" data-outbox={summary.state}>
      <div className="till-top-left">
        <span className="till-brand">{t('till.title')}</span>
        {terminal && (
          <span data-testid="till-store">
            {terminal.store.code} {terminal.store.name} · {terminal.terminalCode}
          </span>
        )}
        {cashier && (
          <span data-testid="till-cashier">
            {t('till.cashier')} {cashier.name}
            {cashier.offline ? ` (${t('till.offline')})` : ''}
          </span>
        )}
      </div>
      <div className="till-top-right">
        {syncing ? (
          <span className="till-chip">{progress ? t('till.syncingCount', { n: progress.products }) : t('till.syncing')}</span>
        ) : (
          catalogSize > 0 && <span className="till-chip till-chip-dim">{t('till.catalogSize', { n: catalogSize })}</span>
        )}
        {syncError && !syncing && (
          <span className="till-chip till-chip-warn" title={syncError[locale]} data-testid="sync-error">
            {t('till.syncFailed')}
          </span>
        )}
        {summary.chips.map((c) => (
          <button
            key={c.state}
            type="button"
            className={`till-chip till-chip-${c.tone}`}
            title={t(c.titleKey)}
            data-testid={c.state === 'refused' ? 'refused' : 'unsynced'}
            data-state={c.state}
            data-count={c.state === 'refused' ? refused : unsynced}
            onClick={c.state === 'refused' ? props.onRefusedClick : props.onOutboxClick}
          >
            {t(c.key, { n: c.n })}
          </button>
        ))}
        <span className={`till-chip ${online ? 'till-chip-ok' : 'till-chip-err'}`} data-testid="net-state" data-online={online}>
          {online ? t('till.online') : t('till.offline')}
        </span>
        <button
          type="button"
          className="till-chip"
          onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}
          data-testid="till-lang"
        >
          {t('till.lang')}
        </button>
        <span className="till-clock">
          {now.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', hour12: false })}
        </span>
      </div>
    </header>
  );
}
