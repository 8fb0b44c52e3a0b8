import { type DocAction, type DocStatus, docActionLabels } from '@erp/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Result, Select, type SelectProps, Space, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { ApiError, api, errorText } from '../../shared/api';
import { capitalize } from '../../shared/format';
import { useLabel, useT } from '../../shared/i18n';
import { useSession } from '../../shared/session';
import { type DocumentWithLines, useDocConfig } from '../documents/api';
import { availableActions } from '../documents/DocumentDetailPage';
import { STOCK_STATUSES, type StockStatus } from './api';
import { m } from './messages';
import './inventory.css';
import { CommentModal } from '../../shared/CommentModal';

const PRIMARY: readonly DocAction[] = ['submit', 'approve', 'confirm', 'post'];

/** The server's error with its field messages ("lines.2.qty: …" → "第 3 行 …"), for a message or an alert. */
export function fullError(e: unknown, lineWord: (n: number) => string): string {
  if (!(e instanceof ApiError)) return errorText(e);
  const detail = e.problem?.detail ?? e.message;
  const fields = e.fieldErrors.map((f) => {
    const line = /^(?:body\.)?lines\.(\d+)\./.exec(f.path);
    return line ? `${lineWord(Number(line[1]) + 1)}：${f.message}` : f.message;
  });
  const extra = fields.filter((x) => x && x !== detail);
  return extra.length ? `${detail}：${extra.join('；')}` : detail;
}

/**
 * The lifecycle buttons of an inventory document (same rules as the generic document page: state, the type's
 * settings at its org, the user's grants). Approval decisions take a comment, which a rejection requires;
 * posting and rollback ask first.
 */
export function DocActions({
  doc,
  exclude = [],
  onDone,
  before,
  disabled,
}: {
  doc: DocumentWithLines;
  exclude?: readonly DocAction[];
  onDone?: (doc: DocumentWithLines, action: DocAction) => void;
  before?: (action: DocAction) => Promise<boolean>;
  disabled?: boolean;
}) {
  const t = useT(m);
  const label = useLabel();
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const { can } = useSession();
  const config = useDocConfig(doc.orgId, can('doc_config:view'));
  const cfg = config.data?.find((c) => c.docType === doc.docType);
  const actions = availableActions(doc, cfg, can).filter((a) => !exclude.includes(a));
  const [busy, setBusy] = useState<DocAction | null>(null);
  const [asking, setAsking] = useState<DocAction | null>(null);
  const name = (a: DocAction) => capitalize(label(docActionLabels[a]));

  const run = async (action: DocAction, comment?: string) => {
    setBusy(action);
    try {
      if (before && !(await before(action))) return;
      const res = await api.post<DocumentWithLines>(`/api/documents/${doc.id}/transitions`, { action, comment });
      message.success(t('act.done', { number: doc.number, action: name(action) }));
      setAsking(null);
      await qc.invalidateQueries({ queryKey: ['list'] });
      await qc.invalidateQueries({ queryKey: ['documents', doc.id] });
      onDone?.(res, action);
    } catch (e) {
      message.error({ content: fullError(e, (n) => `#${n}`), duration: 8 });
    } finally {
      setBusy(null);
    }
  };

  const onClick = (a: DocAction) => {
    if (a === 'reject' || a === 'void' || a === 'approve') return setAsking(a);
    if (a === 'post' || a === 'rollback')
      return modal.confirm({
        title: name(a),
        content: t(a === 'post' ? 'act.post.confirm' : 'act.rollback.confirm', { number: doc.number }),
        onOk: () => run(a),
      });
    return run(a);
  };

  if (!actions.length) return null;
  return (
    <>
      <Space wrap data-testid="doc-actions">
        {actions.map((a) => (
          <Button
            key={a}
            type={PRIMARY.includes(a) ? 'primary' : 'default'}
            danger={a === 'reject' || a === 'void'}
            loading={busy === a}
            disabled={disabled || (busy !== null && busy !== a)}
            onClick={() => onClick(a)}
            data-action={a}
          >
            {name(a)}
          </Button>
        ))}
      </Space>
      {asking && (
        <CommentModal
          title={`${name(asking)} ${doc.number}`}
          warning={asking === 'void' ? t('act.void.confirm', { number: doc.number }) : undefined}
          required={asking === 'reject'}
          danger={asking !== 'approve'}
          onClose={() => setAsking(null)}
          onOk={(comment) => run(asking, comment)}
        />
      )}
    </>
  );
}

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

export function useStatusLabel() {
  const t = useT(m);
  return (s: string | null | undefined) => (s ? t(`status.${s}` as 'status.sellable') : '');
}

export function StockStatusSelect(props: SelectProps<StockStatus>) {
  const status = useStatusLabel();
  return (
    <Select<StockStatus> style={{ width: 96 }} options={STOCK_STATUSES.map((s) => ({ value: s, label: status(s) }))} {...props} />
  );
}

/** A link button to the generic document page (full history of the engine). */
export function HistoryLink({ id }: { id: number }) {
  const t = useT(m);
  return (
    <Link to={`/documents/${id}`}>
      <Button>{t('doc.openGeneric')}</Button>
    </Link>
  );
}
