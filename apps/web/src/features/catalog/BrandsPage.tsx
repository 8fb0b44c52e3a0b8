import { brandBody, updateBrandBody } from '@erp/contracts';
import { CodeTablePage } from '../../shared/CodeTablePage';
import { useT } from '../../shared/i18n';
import { m } from './messages';

export default function BrandsPage() {
  const t = useT(m);
  return (
    <CodeTablePage
      cfg={{ path: '/api/brands', fn: 'brand', title: t('page.brands'), createSchema: brandBody, updateSchema: updateBrandBody }}
    />
  );
}
