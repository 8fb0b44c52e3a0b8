import { Select, type SelectProps } from 'antd';
import { useT } from '../../shared/i18n';
import { STOCK_STATUSES, type StockStatus } from './api';

import { m } from './messages';
import './inventory.css';

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
