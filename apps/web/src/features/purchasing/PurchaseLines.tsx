import { DeleteOutlined } from '@ant-design/icons';
import { dec, money, type ProductDto, qty } from '@erp/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Form, type FormInstance, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useRef, useState } from 'react';
import { fmtDecimal, fmtMoney } from '../../shared/format';
import type { ZodForm } from '../../shared/forms';
import { useT } from '../../shared/i18n';
import { ProductSelect } from '../../shared/ProductSelect';
import { applyScan, decOrZero, ScanBox, type ScanHit, type ScanOutcome } from '../../shared/scan';
import { gridKeys } from '../../shared/scan/gridNav';
import { DateField, ShelfSelect } from '../../shared/stockPickers';
import { type OrderLineProgress, useProducts } from './api';
import { m } from './messages';

export type LinesKind = 'order' | 'receipt' | 'self';

/** A line as the purchasing screens edit it: quantities and prices in the unit entered (base or pack). */
export interface PLine {
  productId?: number | undefined;
  unitId?: number | null | undefined;
  qty?: string | undefined;
  unitPrice?: string | undefined;
  rejectedQty?: string | undefined;
  rejectReason?: string | undefined;
  lotNo?: string | undefined;
  expiryDate?: string | null | undefined;
  shelfId?: number | null | undefined;
  purchaseOrderLineId?: number | undefined;
  remarks?: string | undefined;
}

function unitFactor(p: ProductDto | undefined, unitId: number | null | undefined): string {
  if (unitId === null || unitId === undefined) return '1';
  return p?.units.find((u) => u.unitId === unitId)?.factor ?? '1';
}

export function unitName(p: ProductDto | undefined, unitId: number | null | undefined): string {
  if (unitId === null || unitId === undefined) return p?.baseUnitName ?? '';
  return p?.units.find((u) => u.unitId === unitId)?.unitName ?? '';
}

/** Base-unit quantity of a line as entered. */
export function baseQtyOf(p: ProductDto | undefined, l: PLine): string {
  return qty(decOrZero(l.qty).times(unitFactor(p, l.unitId)));
}

/**
 * The line grid of purchase orders, receipts and self-purchases: lines by scan (ScanBox: add or increment) or
 * by product search, pack units, the default purchase price as placeholder; receipts add refused quantity,
 * lot, expiry and shelf, and against an order show ordered / received / open and flag an over-receipt.
 */
export function PurchaseLines({
  kind,
  form,
  zf,
  orgId,
  warehouseId,
  editable,
  orderLines,
  orderNumber,
  requireOrder,
  tolerancePct,
  prices,
}: {
  kind: LinesKind;
  form: FormInstance;
  zf: ZodForm<never>;
  orgId: number | null | undefined;
  warehouseId: number | null | undefined;
  editable: boolean;
  /** Receipts against an order: its lines by id. */
  orderLines?: Map<number, OrderLineProgress> | undefined;
  orderNumber?: string | undefined;
  /** Goods not on the order are refused (the org requires receipts to follow an order). */
  requireOrder?: boolean;
  tolerancePct?: string | undefined;
  /** Default purchase price per base unit, by product. */
  prices?: Map<number, string> | undefined;
}) {
  const t = useT(m);
  const qc = useQueryClient();
  const table = useRef<HTMLFieldSetElement>(null);
  const [flash, setFlash] = useState<{ index: number; n: number } | null>(null);
  const watched = (Form.useWatch('lines', { form, preserve: true }) as PLine[] | undefined) ?? [];
  const products = useProducts(watched.map((l) => l.productId));
  const receiving = kind !== 'order';
  const tolerance = dec(tolerancePct ?? '0');

  const remember = (p: ProductDto) => qc.setQueryData(['product-full', p.id], p);

  const newLineFor = (p: ProductDto, unitId: number | null, q: string, orderLine?: OrderLineProgress): PLine => ({
    productId: p.id,
    unitId,
    qty: q,
    ...(orderLine
      ? { purchaseOrderLineId: orderLine.lineId, unitPrice: entryPrice(orderLine.unitPrice, factorOf1(p, unitId)) }
      : {}),
  });

  const onHit = (hit: ScanHit): ScanOutcome | undefined => {
    remember(hit.product);
    const lines = (form.getFieldValue('lines') as PLine[] | undefined) ?? [];
    const onOrder = orderLines
      ? [...orderLines.values()].find((o) => o.productId === hit.product.id && o.status === 'active')
      : undefined;
    if (kind === 'receipt' && orderLines && !onOrder && requireOrder) {
      return {
        ok: false,
        message: t('scan.notOnOrder', { product: `${hit.product.code} ${hit.product.name}`, number: orderNumber ?? '' }),
      };
    }
    const applied = applyScan(lines, hit, {
      field: 'qty',
      newLine: (h) => newLineFor(h.product, h.unitId, h.unitQty, onOrder),
    });
    form.setFieldValue('lines', applied.lines);
    setFlash((f) => ({ index: applied.index, n: (f?.n ?? 0) + 1 }));
    requestAnimationFrame(() =>
      table.current?.querySelector(`[data-row-index="${applied.index}"]`)?.scrollIntoView({ block: 'nearest' }),
    );
    const line = applied.lines[applied.index] as PLine;
    if (kind === 'receipt' && onOrder && orderLines) {
      const p = hit.product;
      const now = baseQtyOf(p, line);
      const max = dec(onOrder.openQty).times(dec(1).plus(tolerance.dividedBy(100)));
      if (dec(now).greaterThan(max))
        return {
          ok: false,
          message: t('scan.overReceipt', {
            product: `${p.code} ${p.name}`,
            qty: fmtDecimal(now),
            open: fmtDecimal(onOrder.openQty),
          }),
        };
    }
    return {
      ok: true,
      message: t('scan.lineNow', {
        product: `${hit.product.code} ${hit.product.name}`,
        qty: fmtDecimal(line.qty),
        unit: unitName(hit.product, line.unitId),
      }),
    };
  };

  const addProduct = (id: number | undefined) => {
    if (typeof id !== 'number') return;
    const lines = (form.getFieldValue('lines') as PLine[] | undefined) ?? [];
    const onOrder = orderLines ? [...orderLines.values()].find((o) => o.productId === id && o.status === 'active') : undefined;
    form.setFieldValue('lines', [
      ...lines,
      { productId: id, unitId: null, ...(onOrder ? { purchaseOrderLineId: onOrder.lineId, unitPrice: onOrder.unitPrice } : {}) },
    ]);
    const index = lines.length;
    setTimeout(() => {
      const el = table.current?.querySelector<HTMLInputElement>(`[data-cell="qty-${index}"]`);
      el?.focus();
    }, 50);
  };

  const columns = useMemo(() => {
    const cols: ColumnsType<{ key: number; name: number }> = [
      { title: t('line.no'), key: 'no', width: 44, align: 'right', fixed: 'left', render: (_: unknown, _f, i) => i + 1 },
      {
        title: t('line.product'),
        key: 'product',
        width: 260,
        // The grid scrolls sideways (lot, expiry, shelf…): the product stays in view.
        fixed: 'left',
        render: (_: unknown, f, i) => {
          const l = watched[i] ?? {};
          const fixed = !editable || l.purchaseOrderLineId !== undefined;
          const p = l.productId ? products.get(l.productId) : undefined;
          return fixed ? (
            <div className="erp-line-product">
              <div>{p ? `${p.code} ${p.name}` : l.productId ? `#${l.productId}` : ''}</div>
              {p?.spec ? <Typography.Text type="secondary">{p.spec}</Typography.Text> : null}
              {p?.batchTracked ? <Tag color="orange">{t('line.batchTracked')}</Tag> : null}
            </div>
          ) : (
            <Form.Item name={[f.name, 'productId']} rules={zf.rules(['lines', i, 'productId'])}>
              <ProductSelect
                style={{ width: 250 }}
                onChange={(v) => {
                  form.setFieldValue(['lines', f.name], { ...l, productId: v, unitId: null, unitPrice: undefined });
                }}
              />
            </Form.Item>
          );
        },
      },
      {
        title: t('line.unit'),
        key: 'unit',
        width: 96,
        render: (_: unknown, f, i) => {
          const l = watched[i] ?? {};
          const p = l.productId ? products.get(l.productId) : undefined;
          if (!editable) return unitName(p, l.unitId);
          return (
            <Form.Item name={[f.name, 'unitId']}>
              <UnitSelect product={p} baseLabel={t('line.baseUnit')} />
            </Form.Item>
          );
        },
      },
    ];
    if (orderLines) {
      const open = (i: number) => {
        const l = watched[i];
        return l?.purchaseOrderLineId !== undefined ? orderLines.get(l.purchaseOrderLineId) : undefined;
      };
      cols.push(
        {
          title: t('po.ordered'),
          key: 'ordered',
          width: 90,
          align: 'right',
          render: (_: unknown, _f, i) => <BaseQty qty={open(i)?.orderedQty} line={watched[i]} products={products} />,
        },
        {
          title: t('po.open'),
          key: 'open',
          width: 90,
          align: 'right',
          render: (_: unknown, _f, i) => <BaseQty qty={open(i)?.openQty} line={watched[i]} products={products} />,
        },
      );
    }
    cols.push({
      title: receiving ? t('line.acceptedQty') : t('line.qty'),
      key: 'qty',
      width: 110,
      render: (_: unknown, f, i) => {
        const l = watched[i] ?? {};
        const o = l.purchaseOrderLineId !== undefined ? orderLines?.get(l.purchaseOrderLineId) : undefined;
        const p = l.productId ? products.get(l.productId) : undefined;
        const over = o && dec(baseQtyOf(p, l)).greaterThan(dec(o.openQty).times(dec(1).plus(tolerance.dividedBy(100))));
        if (!editable) return <span className="erp-num">{fmtDecimal(l.qty)}</span>;
        return (
          <Form.Item name={[f.name, 'qty']} rules={zf.rules(['lines', i, 'qty'])}>
            <Input
              inputMode="decimal"
              autoComplete="off"
              data-cell={`qty-${i}`}
              status={over ? 'error' : undefined}
              suffix={
                over ? (
                  <Tooltip title={t('line.overReceipt')}>
                    <Tag color="red" style={{ margin: 0 }}>
                      {t('line.over')}
                    </Tag>
                  </Tooltip>
                ) : (
                  // Always a suffix: adding one later re-creates the input, losing the caret mid-scan (antd).
                  <span />
                )
              }
            />
          </Form.Item>
        );
      },
    });
    if (receiving) {
      cols.push(
        {
          title: t('line.rejectedQty'),
          key: 'rejected',
          width: 80,
          render: (_: unknown, f, i) =>
            editable ? (
              <Form.Item name={[f.name, 'rejectedQty']} rules={zf.rules(['lines', i, 'rejectedQty'])}>
                <Input inputMode="decimal" autoComplete="off" data-cell={`rejected-${i}`} />
              </Form.Item>
            ) : (
              fmtDecimal(watched[i]?.rejectedQty)
            ),
        },
        {
          title: t('line.rejectReason'),
          key: 'rejectReason',
          width: 110,
          render: (_: unknown, f, i) =>
            editable ? (
              <Form.Item name={[f.name, 'rejectReason']} rules={zf.rules(['lines', i, 'rejectReason'])}>
                <Input maxLength={200} />
              </Form.Item>
            ) : (
              watched[i]?.rejectReason
            ),
        },
      );
    }
    cols.push(
      {
        title: t('line.unitPrice'),
        key: 'price',
        width: 100,
        render: (_: unknown, f, i) => {
          const l = watched[i] ?? {};
          const p = l.productId ? products.get(l.productId) : undefined;
          const def = l.productId ? prices?.get(l.productId) : undefined;
          if (!editable) return <span className="erp-num">{fmtDecimal(l.unitPrice, 2)}</span>;
          return (
            <Form.Item name={[f.name, 'unitPrice']} rules={zf.rules(['lines', i, 'unitPrice'])}>
              <Input
                inputMode="decimal"
                autoComplete="off"
                data-cell={`price-${i}`}
                placeholder={def ? fmtDecimal(entryPrice(def, unitFactor(p, l.unitId)), 2) : t('line.defaultPrice')}
              />
            </Form.Item>
          );
        },
      },
      {
        title: t('line.amount'),
        key: 'amount',
        width: 100,
        align: 'right',
        render: (_: unknown, _f, i) => <span className="erp-num">{fmtMoney(lineAmount(watched[i], prices, products))}</span>,
      },
    );
    if (receiving) {
      cols.push(
        {
          title: t('line.lot'),
          key: 'lot',
          width: 110,
          render: (_: unknown, f, i) => {
            const p = watched[i]?.productId ? products.get(watched[i]!.productId!) : undefined;
            return editable ? (
              <Form.Item name={[f.name, 'lotNo']} rules={zf.rules(['lines', i, 'lotNo'])}>
                <Input maxLength={50} placeholder={p?.batchTracked ? t('common.required') : undefined} data-cell={`lot-${i}`} />
              </Form.Item>
            ) : (
              watched[i]?.lotNo
            );
          },
        },
        {
          title: t('line.expiry'),
          key: 'expiry',
          width: 130,
          render: (_: unknown, f, i) =>
            editable ? (
              <Form.Item name={[f.name, 'expiryDate']} rules={zf.rules(['lines', i, 'expiryDate'])}>
                <DateField style={{ width: 122 }} />
              </Form.Item>
            ) : (
              watched[i]?.expiryDate
            ),
        },
        {
          title: t('line.shelf'),
          key: 'shelf',
          width: 120,
          render: (_: unknown, f) =>
            editable ? (
              <Form.Item name={[f.name, 'shelfId']}>
                <ShelfSelect warehouseId={warehouseId} style={{ width: 112 }} />
              </Form.Item>
            ) : null,
        },
      );
    }
    cols.push({
      title: t('common.remarks'),
      key: 'remarks',
      width: 140,
      render: (_: unknown, f, i) =>
        editable ? (
          <Form.Item name={[f.name, 'remarks']} rules={zf.rules(['lines', i, 'remarks'])}>
            <Input maxLength={500} />
          </Form.Item>
        ) : (
          watched[i]?.remarks
        ),
    });
    return cols;
  }, [t, watched, products, editable, orderLines, receiving, zf, form, prices, tolerance, warehouseId]);

  const totals = useMemo(() => {
    let q = dec(0);
    let a = dec(0);
    for (const l of watched) {
      const p = l.productId ? products.get(l.productId) : undefined;
      q = q.plus(baseQtyOf(p, l));
      a = a.plus(lineAmount(l, prices, products));
    }
    return { qty: qty(q), amount: money(a) };
  }, [watched, products, prices]);

  return (
    <fieldset className="erp-lines" ref={table} onKeyDown={gridKeys}>
      {editable && (
        <div className="erp-lines-toolbar">
          <ScanBox onHit={onHit} orgId={orgId} autoFocus />
          <ProductSelect
            value={undefined}
            onChange={addProduct}
            placeholder={t('line.searchAdd')}
            style={{ width: 280 }}
            data-testid="line-search-add"
          />
        </div>
      )}
      <Form.List name="lines">
        {(fields, { remove }) => (
          <>
            <Table
              size="small"
              bordered
              pagination={fields.length > 200 ? { pageSize: 200, size: 'small' } : false}
              rowKey="key"
              dataSource={fields}
              scroll={{ x: 'max-content' }}
              data-testid="lines-table"
              onRow={(_f, i) =>
                ({
                  'data-row-index': i,
                  className: flash && flash.index === i ? `erp-line-flash erp-line-flash-${flash.n % 2}` : undefined,
                }) as never
              }
              columns={
                editable
                  ? [
                      ...columns,
                      {
                        title: '',
                        key: 'x',
                        width: 40,
                        fixed: 'right' as const,
                        render: (_: unknown, f) => (
                          <Button
                            size="small"
                            type="text"
                            danger
                            icon={<DeleteOutlined />}
                            onClick={() => remove(f.name)}
                            aria-label={t('common.delete')}
                            tabIndex={-1}
                          />
                        ),
                      },
                    ]
                  : columns
              }
              locale={{ emptyText: editable ? t('line.empty') : t('common.empty') }}
            />
            {fields.length > 0 && (
              // Below the grid, not in a summary row: the grid scrolls sideways and the totals stay in view.
              <Space size="large" className="erp-lines-total" data-testid="lines-total">
                <span>
                  <strong>{t('line.total')}</strong> {t('line.count', { count: fields.length })}
                </span>
                <span>
                  {t('line.totalBaseQty')} <strong className="erp-num">{fmtDecimal(totals.qty)}</strong>
                </span>
                <span>
                  {t('line.totalAmount')} <strong className="erp-num">¥{fmtMoney(totals.amount)}</strong>
                </span>
              </Space>
            )}
          </>
        )}
      </Form.List>
    </fieldset>
  );
}

/** An order figure (base units) beside a line: with the base unit's name when the line is entered in packs. */
function BaseQty({
  qty: q,
  line,
  products,
}: {
  qty: string | undefined;
  line: PLine | undefined;
  products: Map<number, ProductDto>;
}) {
  if (q === undefined) return null;
  const p = line?.productId ? products.get(line.productId) : undefined;
  const packs = line?.unitId !== null && line?.unitId !== undefined;
  return (
    <span className="erp-num">
      {fmtDecimal(q)}
      {packs && p ? ` ${p.baseUnitName ?? ''}` : ''}
    </span>
  );
}

/** The unit of a line: the base unit (kept as null) or one of the product's pack units. */
function UnitSelect({
  product,
  baseLabel,
  value,
  onChange,
}: {
  product: ProductDto | undefined;
  baseLabel: string;
  value?: number | null;
  onChange?: (v: number | null) => void;
}) {
  return (
    <Select<number>
      style={{ width: 88 }}
      disabled={!product}
      value={value ?? 0}
      onChange={(v) => onChange?.(v === 0 ? null : v)}
      popupMatchSelectWidth={140}
      options={[
        { value: 0, label: product?.baseUnitName ?? baseLabel },
        ...(product?.units ?? []).map((u) => ({ value: u.unitId, label: `${u.unitName}(${fmtDecimal(u.factor)})` })),
      ]}
    />
  );
}

/** A per-base-unit price as the price of the entered unit. */
export function entryPrice(perBase: string, factor: string): string {
  return dec(perBase).times(factor).toDecimalPlaces(4).toFixed();
}

function factorOf1(p: ProductDto, unitId: number | null): string {
  return unitFactor(p, unitId);
}

/** Amount of a line as entered: qty × (entered price, else the default purchase price in that unit). */
function lineAmount(l: PLine | undefined, prices: Map<number, string> | undefined, products: Map<number, ProductDto>): string {
  if (!l?.productId) return '0';
  const p = products.get(l.productId);
  const price =
    l.unitPrice !== undefined && l.unitPrice !== ''
      ? decOrZero(l.unitPrice)
      : dec(prices?.get(l.productId) ?? 0).times(unitFactor(p, l.unitId));
  return money(decOrZero(l.qty).times(price));
}
