import { useEffect, useState } from 'react';
import { useLocale, useT } from '../../shared/i18n';
import { tm } from '../messages';
import { useTill } from '../store';

/** Store, till, cashier, network state and the unsynced-sales counter: always visible (POS-9). */
export function TopBar(props: { onOutboxClick?: () => void }) {
  const t = useT(tm);
  const { locale, setLocale } = useLocale();
  const terminal = useTill((s) => s.terminal);
  const cashier = useTill((s) => s.cashier);
  const online = useTill((s) => s.online);
  const unsynced = useTill((s) => s.unsynced);
  const queued = useTill((s) => s.queued);
  const uploading = useTill((s) => s.uploading);
  const syncing = useTill((s) => s.syncing);
  const progress = useTill((s) => s.syncProgress);
  const catalogSize = useTill((s) => s.catalogSize);
  const syncError = useTill((s) => s.syncError);
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 15_000);
    return () => clearInterval(id);
  }, []);
  return (
    <header className="till-top">
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
          <span className="till-chip till-chip-warn" title={syncError} data-testid="sync-error">
            {t('till.syncFailed')}
          </span>
        )}
        <button
          type="button"
          className={`till-chip ${unsynced ? 'till-chip-warn' : 'till-chip-ok'}`}
          title={t('till.unsyncedTitle')}
          data-testid="unsynced"
          data-count={unsynced}
          onClick={props.onOutboxClick}
        >
          {uploading && unsynced ? t('till.uploading') : unsynced ? t('till.unsynced', { n: unsynced }) : t('till.synced')}
        </button>
        {queued > 0 && (
          <span className="till-chip till-chip-err" title={t('till.queuedTitle')} data-testid="queued">
            {t('till.queued', { n: queued })}
          </span>
        )}
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
