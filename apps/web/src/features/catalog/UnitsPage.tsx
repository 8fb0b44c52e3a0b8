import { unitBody, updateUnitBody } from '@erp/contracts';
import { CodeTablePage } from '../../shared/CodeTablePage';
import { useT } from '../../shared/i18n';
import { m } from './messages';

export default function UnitsPage() {
  const t = useT(m);
  return (
    <CodeTablePage
      cfg={{ path: '/api/units', fn: 'unit', title: t('page.units'), createSchema: unitBody, updateSchema: updateUnitBody }}
    />
  );
}
