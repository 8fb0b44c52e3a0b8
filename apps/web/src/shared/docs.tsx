import { type DocStatus, type DocType, docStatusLabels, docTypes } from '@erp/contracts';
import { Tag } from 'antd';
import { useLabel } from './i18n';

const statusColor: Record<DocStatus, string> = {
  draft: 'default',
  pending_approval: 'gold',
  approved: 'cyan',
  rejected: 'red',
  confirmed: 'blue',
  posted: 'green',
  completed: 'purple',
  void: 'default',
};

/** A document's status as every screen shows it (临时, 待审核, 已记账 …). */
export function DocStatusTag({ status }: { status: DocStatus }) {
  const label = useLabel();
  return (
    <Tag color={statusColor[status]} variant={status === 'void' ? 'outlined' : 'filled'} data-status={status}>
      {label(docStatusLabels[status])}
    </Tag>
  );
}

export function useDocTypeLabel() {
  const label = useLabel();
  return (t: DocType | string) => (t in docTypes ? label(docTypes[t as DocType]) : t);
}
