import type { DocStatus } from '@erp/contracts';
import { Alert, Button, Result, Spin } from 'antd';
import { useEffect } from 'react';
import { Link } from 'react-router';
import { ApiError, errorText } from '../../shared/api';
import { useT } from '../../shared/i18n';
import { m } from './messages';

// Pieces every typed document screen (purchase order, receipt, loss, stocktake…) shares.

/** Loading and not-found states of a document screen. */
export function DocLoading({ query, back }: { query: { isLoading: boolean; error: unknown }; back: string }) {
  const t = useT(m);
  if (query.isLoading) return <Spin style={{ margin: 48 }} />;
  const notFound = query.error instanceof ApiError && query.error.status === 404;
  return (
    <Result
      status={notFound ? '404' : 'error'}
      title={notFound ? t('doc.notFound') : t('common.loadFailed')}
      subTitle={errorText(query.error)}
      extra={<Link to={back}>{t('common.back')}</Link>}
    />
  );
}

/** The rejection comment of a document sent back by its reviewer. */
export function RejectNote({ status, comment }: { status: DocStatus; comment: string | null }) {
  const t = useT(m);
  if (status !== 'rejected' || !comment) return null;
  return (
    <Alert
      type="error"
      showIcon
      title={`${t('doc.rejectComment')}：${comment}`}
      style={{ marginBottom: 12 }}
      data-testid="reject-note"
    />
  );
}

/** Ctrl+S saves the page's form (a browser would save the web page instead). */
export function useSaveHotkey(save: () => void, enabled = true) {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
        e.preventDefault();
        save();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save, enabled]);
}

/** A link button to the generic document page (the engine's full history). */
export function HistoryLink({ id }: { id: number }) {
  const t = useT(m);
  return (
    <Link to={`/documents/${id}`}>
      <Button>{t('doc.openGeneric')}</Button>
    </Link>
  );
}
