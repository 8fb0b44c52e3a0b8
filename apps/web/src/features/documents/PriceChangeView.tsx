import {
  dec,
  type NamedOrg,
  type PriceChangeDetails,
  type PriceChangeLineDetail,
  priceScopeLabels,
  priceTypeLabels,
  type Wire,
} from '@erp/contracts';
import { Card, Descriptions, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { fmtDateTime, fmtMoney } from '../../shared/format';
import { useLabel, useT } from '../../shared/i18n';
import { m } from './messages';

type Details = Wire<PriceChangeDetails>;
type Line = Wire<PriceChangeLineDetail>;

/** old → new as an exact change: "+0.60 (+20.0%)"; nothing when there was no old price. */
function change(oldPrice: string | null, newPrice: string): { text: string; up: boolean } | null {
  if (oldPrice === null) return null;
  const diff = dec(newPrice).minus(oldPrice);
  const sign = diff.greaterThan(0) ? '+' : '';
  const pct = dec(oldPrice).greaterThan(0) ? ` (${sign}${diff.dividedBy(oldPrice).times(100).toFixed(1)}%)` : '';
  return { text: `${sign}${diff.toFixed(2)}${pct}`, up: diff.greaterThan(0) };
}

/**
 * A price change (调价单) in the generic document view: when it takes effect, which stores it reaches (all
 * stores / regions / store names) and each line's old → new price, from GET /api/documents/:id/details.
 */
export function PriceChangeView({ details }: { details: Details }) {
  const t = useT(m);
  const label = useLabel();
  const org = (o: Wire<NamedOrg>) => `${o.code} ${label(o)}`;
  const scopeText = (l: Line) =>
    l.scope === 'region'
      ? `${label(priceScopeLabels.region)}：${l.region ?? ''}`
      : l.scope === 'store' && l.store
        ? `${label(priceScopeLabels.store)}：${org(l.store)}`
        : label(priceScopeLabels.all);
  const when = (v: string | null, empty: string) => (v ? fmtDateTime(v) : empty);
  const columns: ColumnsType<Line> = [
    { title: t('pc.product'), key: 'p', render: (_: unknown, l) => `${l.productCode} ${l.productName}` },
    { title: t('pc.priceType'), key: 'type', width: 100, render: (_: unknown, l) => label(priceTypeLabels[l.priceType]) },
    { title: t('pc.scope'), key: 'scope', width: 200, render: (_: unknown, l) => scopeText(l) },
    {
      title: t('pc.oldToNew'),
      key: 'price',
      width: 200,
      align: 'right',
      render: (_: unknown, l) => (
        <span className="erp-num" data-testid="pc-old-new">
          {l.oldPrice === null ? t('pc.noOldPrice') : fmtMoney(l.oldPrice)} → <b>{fmtMoney(l.newPrice)}</b>
        </span>
      ),
    },
    {
      title: t('pc.change'),
      key: 'change',
      width: 140,
      align: 'right',
      render: (_: unknown, l) => {
        const c = change(l.oldPrice, l.newPrice);
        // Price rises in red, falls in green, as Chinese price boards show them.
        return c ? <span style={{ color: c.up ? '#cf1322' : '#389e0d' }}>{c.text}</span> : '';
      },
    },
    {
      title: t('pc.effectiveFrom'),
      key: 'from',
      width: 170,
      render: (_: unknown, l) => when(l.effectiveFrom, t('pc.onConfirm')),
    },
  ];
  const reach = details.reach;
  return (
    <Card size="small" title={t('pc.title')} style={{ marginTop: 12 }} data-testid="pc-details">
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('pc.effectiveFrom')}>
          <Space size={4}>
            {when(details.effectiveFrom, t('pc.onConfirm'))}
            <Tag color={details.scheduled ? 'green' : 'default'}>{t(details.scheduled ? 'pc.scheduled' : 'pc.planned')}</Tag>
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('pc.effectiveTo')}>{when(details.effectiveTo, t('pc.openEnded'))}</Descriptions.Item>
        <Descriptions.Item label={t('pc.reach')}>
          <span data-testid="pc-reach">
            {reach.allStores && <Tag color="blue">{label(priceScopeLabels.all)}</Tag>}
            {reach.regions.map((r) => (
              <Tag key={`r-${r}`}>{`${label(priceScopeLabels.region)}：${r}`}</Tag>
            ))}
            {reach.stores.map((s) => (
              <Tag key={`s-${s.id}`}>{org(s)}</Tag>
            ))}
          </span>
        </Descriptions.Item>
      </Descriptions>
      <Table<Line>
        size="small"
        bordered
        rowKey="lineId"
        columns={columns}
        dataSource={details.lines}
        pagination={details.lines.length > 100 ? { pageSize: 100, size: 'small' } : false}
        scroll={{ x: 'max-content' }}
      />
    </Card>
  );
}
