import { PlusOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useNavigate } from 'react-router';
import { useT } from '../../shared/i18n';
import { PageHeader } from '../../shared/PageHeader';
import { useSession } from '../../shared/session';
import { DocList } from './DocList';
import { m } from './messages';

/** 进货退货单 (PUR-3): returns to suppliers, each referencing the receipt its goods came in on. */
export default function ReturnsPage() {
  const t = useT(m);
  const navigate = useNavigate();
  const { can } = useSession();
  return (
    <div>
      <PageHeader title={t('page.returns')} />
      <div className="erp-panel">
        <DocList
          docType="purchase_return"
          basePath="/purchasing/returns"
          supplier
          toolbar={
            can('doc.purchase_return:create') && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => navigate('/purchasing/returns/new')}
                data-testid="return-new"
              >
                {t('page.returnNew')}
              </Button>
            )
          }
        />
      </div>
    </div>
  );
}
