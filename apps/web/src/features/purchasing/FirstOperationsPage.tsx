import { PlusOutlined } from '@ant-design/icons';
import { type FIRST_OPERATION_KINDS, firstOperationKindLabels } from '@erp/contracts';
import { Button, Tag } from 'antd';
import { useNavigate } from 'react-router';
import { useLabel, useT } from '../../shared/i18n';
import { PageHeader } from '../../shared/PageHeader';
import { useSession } from '../../shared/session';
import type { DocumentHeader } from '../documents/api';
import { DocList } from './DocList';
import { m } from './messages';

type Kind = (typeof FIRST_OPERATION_KINDS)[number];

/** 首营申请 (MD-5): stores allowed to buy for themselves apply for a new product, supplier or manufacturer. */
export default function FirstOperationsPage() {
  const t = useT(m);
  const label = useLabel();
  const navigate = useNavigate();
  const { can } = useSession();
  const attr = (r: DocumentHeader) => r.attrs as { kind?: Kind; proposal?: { code?: string; name?: string }; reason?: string };
  return (
    <div>
      <PageHeader title={t('page.firstOps')} />
      <div className="erp-panel">
        <DocList
          docType="first_operation"
          basePath="/purchasing/first-operations"
          extraColumns={[
            {
              title: t('fo.kind'),
              key: 'kind',
              width: 110,
              render: (_: unknown, r) => {
                const k = attr(r).kind;
                return k ? <Tag>{label(firstOperationKindLabels[k])}</Tag> : null;
              },
            },
            { title: t('fo.code'), key: 'code', width: 120, render: (_: unknown, r) => attr(r).proposal?.code },
            { title: t('fo.name'), key: 'name', width: 200, render: (_: unknown, r) => attr(r).proposal?.name },
            { title: t('fo.reason'), key: 'reason', width: 200, ellipsis: true, render: (_: unknown, r) => attr(r).reason },
          ]}
          toolbar={
            can('doc.first_operation:create') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/purchasing/first-operations/new')}>
                {t('page.firstOpNew')}
              </Button>
            )
          }
        />
      </div>
    </div>
  );
}
