import { PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Space } from 'antd';
import dayjs from 'dayjs';
import { useNavigate, useParams } from 'react-router';
import { api } from '../../shared/api';
import { fmtDate, fmtDateTime, fmtDecimal } from '../../shared/format';
import { useT } from '../../shared/i18n';
import { DocLoading } from '../documents/DocParts';
import type { StocktakeSheet } from './api';
import { useStatusLabel } from './common';
import './inventory.css';
import { m } from './messages';

/**
 * The printable A4 count sheet (盘点表): every line in walking order (warehouse, shelf, product) with codes,
 * names, spec, unit, batch/lot and expiry, the book quantity unless the count is blind, and a blank column to
 * write the count in. The browser prints it; the print stylesheet hides the app's menu and header.
 */
export default function StocktakePrintPage() {
  const t = useT(m);
  const { id } = useParams();
  const navigate = useNavigate();
  const status = useStatusLabel();
  const sheet = useQuery({
    queryKey: ['stocktake', Number(id), 'sheet'],
    queryFn: () => api.get<StocktakeSheet>(`/api/stocktakes/${id}/sheet`),
  });
  const s = sheet.data;
  if (!s) return <DocLoading query={sheet} back="/inventory/stocktakes" />;
  const st = s.stocktake;
  const scope = s.shelf
    ? `${t('st.scope.shelf')} ${s.shelf.code} ${s.shelf.name}`
    : s.counter
      ? `${t('st.scope.counter')} ${s.counter.code} ${s.counter.name}`
      : t('st.scope.store');
  const showCounted = st.status !== 'draft' || s.lines.some((l) => l.countedQty !== null);
  return (
    <div>
      <div className="inv-sheet-toolbar">
        <Space>
          <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="sheet-print">
            {t('st.printNow')}
          </Button>
          <Button onClick={() => navigate(`/inventory/stocktakes/${st.id}`)}>{t('common.back')}</Button>
        </Space>
      </div>
      <div className="inv-sheet" data-testid="count-sheet">
        <h1>{t('st.sheetTitle', { org: `${s.org.code} ${s.org.name}` })}</h1>
        <div className="inv-sheet-meta">
          <span>
            {t('doc.number')}：{st.number}
          </span>
          <span>
            {t('doc.warehouse')}：{s.warehouses.map((w) => `${w.code} ${w.name}`).join('、')}
          </span>
          <span>
            {t('st.scopeOf')}：{scope}
          </span>
          <span>
            {t('st.mode')}：{t(`st.modeShort.${st.mode}`)}
            {st.since ? ` ${fmtDate(st.since)}` : ''} / {t(`st.entryShort.${st.entryMode}`)}
          </span>
          <span>
            {t('st.snapshotAt')}：{fmtDateTime(st.snapshotAt)}
          </span>
          <span>
            {t('st.printedAt')}：{dayjs().format('YYYY-MM-DD HH:mm')}
          </span>
          <span>{t('st.pageOf', { n: s.lines.length })}</span>
        </div>
        <table>
          <colgroup>
            <col style={{ width: '5%' }} />
            <col style={{ width: '9%' }} />
            <col style={{ width: '11%' }} />
            <col style={{ width: s.showsBook ? '22%' : '28%' }} />
            <col style={{ width: '10%' }} />
            <col style={{ width: '5%' }} />
            <col style={{ width: '12%' }} />
            <col style={{ width: '9%' }} />
            {s.showsBook && <col style={{ width: '7%' }} />}
            <col style={{ width: '10%' }} />
          </colgroup>
          <thead>
            <tr>
              <th>{t('line.no')}</th>
              <th>{t('line.shelf')}</th>
              <th>{t('common.code')}</th>
              <th>{t('line.product')}</th>
              <th>{t('line.spec')}</th>
              <th>{t('line.unit')}</th>
              <th>
                {t('line.batch')}/{t('line.lot')}
              </th>
              <th>{t('line.expiry')}</th>
              {s.showsBook && <th>{t('st.book')}</th>}
              <th>{t('st.counted')}</th>
            </tr>
          </thead>
          <tbody>
            {s.lines.map((l) => (
              <tr key={l.id}>
                <td className="num">{l.lineNo}</td>
                <td>{l.shelfCode ?? ''}</td>
                <td>{l.productCode}</td>
                <td>
                  {l.productName}
                  {l.status !== 'sellable' ? `（${status(l.status)}）` : ''}
                </td>
                <td>{l.productSpec}</td>
                <td>{l.unitName ?? ''}</td>
                <td>{[l.batchNo, l.lotNo].filter(Boolean).join('/')}</td>
                <td>{fmtDate(l.expiryDate)}</td>
                {s.showsBook && <td className="num">{fmtDecimal(l.bookQty)}</td>}
                <td className="num blank">{showCounted ? fmtDecimal(l.countedQty) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="inv-sheet-sign">{t('st.signature')}</div>
      </div>
    </div>
  );
}
