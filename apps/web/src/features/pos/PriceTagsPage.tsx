import { PrinterOutlined } from '@ant-design/icons';
import { money } from '@erp/contracts';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Empty, InputNumber, Radio, Space, Tag } from 'antd';
import JsBarcode from 'jsbarcode';
import { memo, useEffect, useRef, useState } from 'react';
import { api, errorText } from '../../shared/api';
import { useT } from '../../shared/i18n';
import { PageHeader } from '../../shared/PageHeader';
import { ProductSelect } from '../../shared/ProductSelect';
import { m } from './messages';
import { PrintArea, printNow } from './print';
import { StorePicker, useStoreId } from './stores';

/** Price tags (价签, POS-10): the store's current prices with the product's barcode, on A4 label sheets. */

interface PriceTag {
  productId: number;
  code: string;
  name: string;
  spec: string;
  unit: string | null;
  origin: string | null;
  barcode: string | null;
  barcodeKind: string | null;
  retailPrice: string | null;
  memberPrice: string | null;
}

type Layout = '3x8' | '2x5';
const PER_SHEET: Record<Layout, number> = { '3x8': 24, '2x5': 10 };

const Barcode = memo(function Barcode({ value, kind, large }: { value: string; kind: string | null; large: boolean }) {
  const ref = useRef<SVGSVGElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const format = kind === 'ean13' ? 'EAN13' : kind === 'ean8' ? 'EAN8' : 'CODE128';
    try {
      JsBarcode(ref.current, value, {
        format,
        height: large ? 48 : 30,
        width: large ? 1.6 : 1.2,
        fontSize: large ? 14 : 11,
        margin: 0,
        flat: true,
      });
    } catch {
      JsBarcode(ref.current, value, { format: 'CODE128', height: large ? 48 : 30, width: 1.1, fontSize: 11, margin: 0 });
    }
  }, [value, kind, large]);
  return <svg ref={ref} data-testid="tag-barcode" />;
});

function yuan(v: string | null) {
  if (v === null) return null;
  const [i, f] = money(v).split('.');
  return (
    <>
      <small>¥</small>
      {i}
      <small>.{f}</small>
    </>
  );
}

function TagCell({ tag, layout }: { tag: PriceTag; layout: Layout }) {
  const t = useT(m);
  return (
    <div className="tag" data-testid="price-tag">
      <div className="tag-name">{tag.name}</div>
      <div className="tag-meta">
        {[
          tag.spec && `${t('tag.spec')} ${tag.spec}`,
          tag.unit && `${t('tag.unit')} ${tag.unit}`,
          tag.origin && `${t('tag.origin')} ${tag.origin}`,
        ]
          .filter(Boolean)
          .join(' · ')}
      </div>
      <div className="tag-body">
        <div>
          <div className="tag-price">{yuan(tag.retailPrice) ?? t('tag.noPrice')}</div>
          {tag.memberPrice && tag.memberPrice !== tag.retailPrice && (
            <div className="tag-member">
              {t('tag.member')} ¥{money(tag.memberPrice)}
            </div>
          )}
        </div>
        <div className="tag-barcode">
          {tag.barcode && <Barcode value={tag.barcode} kind={tag.barcodeKind} large={layout === '2x5'} />}
        </div>
      </div>
      <div className="tag-meta">{tag.code}</div>
    </div>
  );
}

function Sheets({ tags, layout, copies }: { tags: PriceTag[]; layout: Layout; copies: number }) {
  const all = tags.flatMap((x) => Array.from({ length: copies }, () => x));
  const sheets: PriceTag[][] = [];
  for (let i = 0; i < all.length; i += PER_SHEET[layout]) sheets.push(all.slice(i, i + PER_SHEET[layout]));
  return (
    <>
      {sheets.map((sheet, si) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: sheets are positional pages
        <div key={si} className={`tag-sheet layout-${layout}`} style={{ breakAfter: 'page' }}>
          {sheet.map((tag, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: copies of one product repeat
            <TagCell key={`${tag.productId}-${i}`} tag={tag} layout={layout} />
          ))}
        </div>
      ))}
    </>
  );
}

export default function PriceTagsPage() {
  const t = useT(m);
  const [storeId, setStoreId] = useStoreId();
  const [ids, setIds] = useState<number[]>([]);
  const [picking, setPicking] = useState<number | undefined>(undefined);
  const [layout, setLayout] = useState<Layout>('3x8');
  const [copies, setCopies] = useState(1);
  const [printing, setPrinting] = useState(false);
  const q = useQuery({
    queryKey: ['pos', 'price-tags', storeId, ids],
    queryFn: () => api.get<PriceTag[]>('/api/pos/price-tags', { storeId, productIds: ids.join(',') }),
    enabled: !!storeId && ids.length > 0,
  });
  const add = (id: number | undefined) => {
    if (id && !ids.includes(id)) setIds([...ids, id]);
    setPicking(undefined);
  };
  const tags = q.data ?? [];
  return (
    <div>
      <PageHeader
        title={t('page.priceTags')}
        extra={
          <Space>
            <StorePicker value={storeId} onChange={setStoreId} />
            <Button
              type="primary"
              icon={<PrinterOutlined />}
              disabled={!tags.length}
              onClick={() => {
                setPrinting(true);
                printNow();
              }}
              data-testid="tags-print"
            >
              {t('tag.print')}
            </Button>
          </Space>
        }
      />
      <div className="erp-panel">
        <Space wrap style={{ marginBottom: 12 }}>
          <span>{t('tag.products')}</span>
          {/* remounted after each pick, so the picker is empty and ready for the next code or scan */}
          <ProductSelect key={ids.length} value={picking} onChange={add} style={{ width: 320 }} data-testid="tags-product" />
          <Button onClick={() => setIds([])} disabled={!ids.length}>
            {t('tag.clear')}
          </Button>
          <span>{t('tag.layout')}</span>
          <Radio.Group
            value={layout}
            onChange={(e) => setLayout(e.target.value)}
            options={(['3x8', '2x5'] as const).map((l) => ({ value: l, label: t(`tag.layout.${l}`) }))}
          />
          <span>{t('tag.copies')}</span>
          <InputNumber min={1} max={50} value={copies} onChange={(v) => setCopies(v ?? 1)} />
        </Space>
        <div style={{ marginBottom: 12 }}>
          {tags.map((x) => (
            <Tag key={x.productId} closable onClose={() => setIds(ids.filter((i) => i !== x.productId))}>
              {x.code} {x.name}
            </Tag>
          ))}
        </div>
        {q.isError && <Alert type="error" showIcon title={errorText(q.error)} />}
        {!storeId ? (
          <Empty description={t('common.pickStore')} />
        ) : !ids.length ? (
          <Empty description={t('tag.empty')} />
        ) : (
          <div className="tag-preview-wrap">
            <Sheets tags={tags} layout={layout} copies={copies} />
          </div>
        )}
      </div>
      {printing && tags.length > 0 && (
        <PrintArea page="a4">
          <Sheets tags={tags} layout={layout} copies={copies} />
        </PrintArea>
      )}
    </div>
  );
}
