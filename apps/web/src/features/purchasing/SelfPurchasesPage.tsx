import { PlusOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useNavigate } from 'react-router';
import { useT } from '../../shared/i18n';
import { PageHeader } from '../../shared/PageHeader';
import { useSession } from '../../shared/session';
import { DocList } from './DocList';
import { m } from './messages';

/** 门店自行采购单 (PUR-4): what stores with HQ's grant bought for themselves. */
export default function SelfPurchasesPage() {
  const t = useT(m);
  const navigate = useNavigate();
  const { can } = useSession();
  return (
    <div>
      <PageHeader title={t('page.selfPurchases')} />
      <div className="erp-panel">
        <DocList
          docType="self_purchase"
          basePath="/purchasing/self-purchases"
          supplier
          toolbar={
            can('doc.self_purchase:create') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/purchasing/self-purchases/new')}>
                {t('page.selfPurchaseNew')}
              </Button>
            )
          }
        />
      </div>
    </div>
  );
}
