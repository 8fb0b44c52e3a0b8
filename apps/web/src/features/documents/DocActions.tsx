import { type DocAction, docActionLabels } from '@erp/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Space } from 'antd';
import { useState } from 'react';
import { api, fullError } from '../../shared/api';
import { CommentModal } from '../../shared/CommentModal';
import { capitalize } from '../../shared/format';
import { useLabel, useT } from '../../shared/i18n';
import { useSession } from '../../shared/session';
import { type DocumentWithLines, useDocConfig } from './api';
import { availableActions } from './DocumentDetailPage';
import { m } from './messages';

const PRIMARY: readonly DocAction[] = ['submit', 'approve', 'confirm', 'post'];

/**
 * The lifecycle buttons of a typed document screen (purchase order, receipt, loss…): the same rules as the
 * generic document page (state, the type's settings at its org, the user's grants), with a comment for
 * approval decisions (a rejection needs one) and a confirmation before posting or rolling back.
 */
export function DocActions({
  doc,
  exclude = [],
  labels = {},
  onDone,
  before,
  disabled,
}: {
  doc: DocumentWithLines;
  exclude?: readonly DocAction[];
  /** Own wording for an action (e.g. confirm = "确认收货"). */
  labels?: Partial<Record<DocAction, string>>;
  onDone?: (doc: DocumentWithLines, action: DocAction) => void;
  /** Runs before the transition (e.g. save unsaved edits); false cancels. */
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
  const name = (a: DocAction) => labels[a] ?? capitalize(label(docActionLabels[a]));

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
      message.error({ content: fullError(e), duration: 8 });
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
