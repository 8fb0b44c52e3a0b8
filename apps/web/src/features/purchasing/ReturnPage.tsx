import { SaveOutlined } from '@ant-design/icons';
import { createReturnBody, dec, type Page, qty, updateReturnBody } from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, AutoComplete, Button, Card, Descriptions, Form, Input, Select, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api } from '../../shared/api';
import { DocStatusTag, useDocTypeLabel } from '../../shared/docs';
import { FormError } from '../../shared/FormError';
import { fmtDate, fmtDateTime, fmtDecimal, fmtMoney } from '../../shared/format';
import { useZodForm } from '../../shared/forms';
import { useLabel, useT } from '../../shared/i18n';
import { OrgSelect, useOrgLabel } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { decOrZero, ScanBox, type ScanHit, type ScanOutcome } from '../../shared/scan';
import { gridKeys } from '../../shared/scan/gridNav';
import { useSession } from '../../shared/session';
import { useReasonCodes, useSupplierNames } from '../../shared/stockPickers';
import type { DocumentHeader } from '../documents/api';
import { DocActions } from '../documents/DocActions';
import { DocLoading, HistoryLink, RejectNote, useSaveHotkey } from '../documents/DocParts';
import { type DocumentWithLines, type ReturnableLine, useProducts } from './api';
import { EDITABLE_STATES, plain } from './common';
import { m } from './messages';
import { ReceivedLines } from './ReceivedLines';

interface RLine {
  receiptLineId: number;
  qty?: string;
  remarks?: string;
}

interface Values {
  orgId?: number;
  receiptId?: number;
  reason?: string;
  remarks?: string;
  lines?: RLine[];
}

const BUYING = ['dc', 'store'] as const;

/**
 * 进货退货 (PUR-3): goods go back to the supplier from a posted receipt (or self-purchase). Each received line
 * shows what came in, what has been returned or is pending, and the most that may still go back; scanning adds
 * to the line of that product. Posting takes the stock out at the batch cost it came in at.
 */
export default function ReturnPage() {
  const t = useT(m);
  const label = useLabel();
  const typeLabel = useDocTypeLabel();
  const { id: idParam } = useParams();
  const id = idParam ? Number(idParam) : undefined;
  const [sp] = useSearchParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { can, currentOrg, orgs } = useSession();
  const orgLabel = useOrgLabel();
  const supplierName = useSupplierNames();
  const reasons = useReasonCodes();
  const [form] = Form.useForm<Values>();
  const [dirty, setDirty] = useState(false);
  const table = useRef<HTMLFieldSetElement>(null);

  const doc = useQuery({
    queryKey: ['documents', id, 'return'],
    queryFn: () => api.get<DocumentWithLines>(`/api/documents/${id}`),
    enabled: id !== undefined,
  });
  const d = doc.data && doc.data.docType === 'purchase_return' ? doc.data : undefined;
  const editable =
    id === undefined
      ? can('doc.purchase_return:create')
      : !!d && EDITABLE_STATES.includes(d.status) && can('doc.purchase_return:edit');
  const zf = useZodForm(id === undefined ? createReturnBody : updateReturnBody, form);
  const defaultOrg = useMemo(() => {
    if (currentOrg && BUYING.includes(currentOrg.kind as never)) return currentOrg.id;
    return orgs.find((o) => o.kind === 'dc')?.id ?? orgs.find((o) => o.kind === 'store')?.id;
  }, [currentOrg, orgs]);
  const orgId = (Form.useWatch('orgId', form) as number | undefined) ?? d?.orgId;
  const receiptParam = sp.get('receipt') ? Number(sp.get('receipt')) : undefined;
  const receiptId = (Form.useWatch('receiptId', form) as number | undefined) ?? d?.refDocumentId ?? receiptParam;
  const lines = (Form.useWatch('lines', { form, preserve: true }) as RLine[] | undefined) ?? [];

  const receipts = useQuery({
    queryKey: ['list', 'returnable-receipts', orgId],
    queryFn: async () => {
      const one = (docType: string) =>
        api.get<Page<DocumentHeader>>('/api/documents', {
          docType,
          orgId,
          status: 'posted',
          pageSize: 100,
          sort: 'createdAt',
          order: 'desc',
        });
      const [r, s] = await Promise.all([one('purchase_receipt'), can('doc.self_purchase:view') ? one('self_purchase') : null]);
      return [...r.items, ...(s?.items ?? [])];
    },
    enabled: editable && typeof orgId === 'number',
  });
  const receipt = useQuery({
    queryKey: ['documents', receiptId, 'receipt'],
    queryFn: () => api.get<DocumentWithLines>(`/api/documents/${receiptId}`),
    enabled: typeof receiptId === 'number',
  });
  const returnable = useQuery({
    queryKey: ['returnable', receiptId, d?.version],
    queryFn: () => api.get<ReturnableLine[]>(`/api/purchase-receipts/${receiptId}/returnable`),
    enabled: typeof receiptId === 'number' && editable,
  });
  /** What this return itself already takes (a saved draft), added back to what may still go. */
  const own = useMemo(() => {
    const map = new Map<number, string>();
    for (const l of d?.lines ?? []) if (l.status === 'active' && l.refLineId) map.set(l.refLineId, l.qty);
    return map;
  }, [d]);
  const info = useMemo(() => {
    const map = new Map<number, ReturnableLine & { max: string }>();
    for (const r of returnable.data ?? [])
      map.set(r.receiptLineId, { ...r, max: qty(dec(r.returnableQty).plus(own.get(r.receiptLineId) ?? 0)) });
    return map;
  }, [returnable.data, own]);
  const products = useProducts((returnable.data ?? []).map((r) => r.productId));

  // Lines: every received line of the chosen receipt that can still go back, with this return's quantities.
  useEffect(() => {
    if (!editable || !returnable.data) return;
    form.setFieldValue(
      'lines',
      returnable.data
        .filter((r) => dec(r.returnableQty).greaterThan(0) || own.has(r.receiptLineId))
        .map((r) => ({ receiptLineId: r.receiptLineId, qty: plain(own.get(r.receiptLineId)) ?? '' })),
    );
  }, [editable, returnable.data, own, form]);
  useEffect(() => {
    if (!d) return;
    form.setFieldsValue({
      orgId: d.orgId,
      receiptId: d.refDocumentId ?? undefined,
      reason: (d.attrs.reason as string | undefined) ?? undefined,
      remarks: d.remarks ?? undefined,
    });
    setDirty(false);
  }, [d, form]);

  const save = useCallback(async (): Promise<boolean> => {
    const v = form.getFieldsValue(true) as Values;
    const rows = (v.lines ?? []).filter((l) => decOrZero(l.qty).greaterThan(0));
    if (!rows.length) {
      zf.setError(t('return.none'));
      return false;
    }
    const lineCmds = rows.map((l) => ({
      receiptLineId: l.receiptLineId,
      qty: (l.qty ?? '').trim(),
      remarks: l.remarks || undefined,
    }));
    if (id === undefined) {
      return zf.submit({ orgId: v.orgId, reason: v.reason, remarks: v.remarks, lines: lineCmds }, async (cmd) => {
        const created = await api.post<DocumentWithLines>('/api/purchase-returns', cmd);
        await qc.invalidateQueries({ queryKey: ['list'] });
        await qc.invalidateQueries({ queryKey: ['returnable'] });
        message.success(t('return.saved', { number: created.number }));
        setDirty(false);
        navigate(`/purchasing/returns/${created.id}`, { replace: true });
      });
    }
    return zf.submit(
      { version: d?.version, reason: v.reason || null, remarks: v.remarks || null, lines: lineCmds },
      async (cmd) => {
        await api.put(`/api/purchase-returns/${id}`, cmd);
        await qc.invalidateQueries({ queryKey: ['documents', id] });
        await qc.invalidateQueries({ queryKey: ['list'] });
        message.success(t('common.saved'));
        setDirty(false);
      },
    );
  }, [form, zf, id, d?.version, qc, message, t, navigate]);
  const submitForm = useCallback(() => form.submit(), [form]);
  useSaveHotkey(submitForm, editable);

  if (id !== undefined && !d) return <DocLoading query={doc} back="/purchasing/returns" />;

  const onHit = (hit: ScanHit): ScanOutcome => {
    const rows = (form.getFieldValue('lines') as RLine[] | undefined) ?? [];
    const name = `${hit.product.code} ${hit.product.name}`;
    const candidates = rows
      .map((l, i) => ({ l, i, r: info.get(l.receiptLineId) }))
      .filter((x) => x.r?.productId === hit.product.id);
    if (!candidates.length) return { ok: false, message: t('return.notOnReceipt', { product: name }) };
    const target = candidates.find((x) => decOrZero(x.l.qty).plus(hit.baseQty).lessThanOrEqualTo(x.r!.max));
    if (!target) return { ok: false, message: t('return.exceeds', { product: name, max: fmtDecimal(candidates[0]!.r!.max) }) };
    const next = [...rows];
    next[target.i] = { ...target.l, qty: qty(decOrZero(target.l.qty).plus(hit.baseQty)) };
    form.setFieldValue('lines', next);
    setDirty(true);
    table.current?.querySelector(`[data-row-index="${target.i}"]`)?.scrollIntoView({ block: 'nearest' });
    return {
      ok: true,
      message: t('scan.lineNow', { product: name, qty: fmtDecimal(next[target.i]!.qty), unit: hit.product.baseUnitName ?? '' }),
    };
  };

  const totals = lines.reduce(
    (s, l) => {
      const r = info.get(l.receiptLineId);
      const q = decOrZero(l.qty);
      return { qty: s.qty.plus(q), amount: s.amount.plus(q.times(r?.unitPrice ?? 0)) };
    },
    { qty: dec(0), amount: dec(0) },
  );

  return (
    <div>
      <PageHeader
        title={
          d ? (
            <Space>
              <span data-testid="doc-number">{d.number}</span>
              <Tag>{t('page.return')}</Tag>
              <DocStatusTag status={d.status} />
            </Space>
          ) : (
            t('page.returnNew')
          )
        }
        extra={
          <Space wrap>
            <Button onClick={() => navigate('/purchasing/returns')}>{t('common.back')}</Button>
            {editable && (
              <Button
                icon={<SaveOutlined />}
                type={d ? 'default' : 'primary'}
                loading={zf.submitting}
                onClick={submitForm}
                data-testid="doc-save"
              >
                {t('common.save')}
              </Button>
            )}
            {d && (
              <DocActions
                doc={d}
                labels={{ confirm: t('return.confirm') }}
                before={async () => (dirty && editable ? save() : true)}
                onDone={() => qc.invalidateQueries({ queryKey: ['documents', id] })}
              />
            )}
            {d && <HistoryLink id={d.id} />}
          </Space>
        }
      />
      {d && <RejectNote status={d.status} comment={d.rejectComment} />}
      <FormError error={zf.error} onClose={() => zf.setError(null)} />
      <Form
        form={form}
        className="erp-doc-form"
        initialValues={{ orgId: defaultOrg, receiptId: receiptParam, lines: [] }}
        onValuesChange={() => {
          setDirty(true);
          // The refusal was about what is being corrected now: it goes once the user edits.
          if (zf.error) zf.setError(null);
        }}
        onFinish={() => void save()}
      >
        <Card size="small" className="erp-doc-header">
          {editable ? (
            <Space wrap size={[16, 8]} align="start">
              <Form.Item label={t('doc.org')} {...zf.item('orgId')}>
                <OrgSelect kinds={BUYING} allowClear={false} style={{ width: 200 }} disabled={id !== undefined} />
              </Form.Item>
              <Form.Item label={t('return.receipt')} name="receiptId" required>
                <Select<number>
                  style={{ width: 360 }}
                  showSearch={{ optionFilterProp: 'label' }}
                  disabled={id !== undefined}
                  loading={receipts.isLoading}
                  placeholder={t('return.pickReceipt')}
                  data-testid="return-receipt"
                  options={[
                    ...(receipts.data ?? []).map((r) => ({
                      value: r.id,
                      label: `${r.number} ${fmtDate(r.businessDate)} ${supplierName(r.partnerId)}`,
                    })),
                    ...(receipt.data && !(receipts.data ?? []).some((r) => r.id === receipt.data.id)
                      ? [{ value: receipt.data.id, label: `${receipt.data.number} ${supplierName(receipt.data.partnerId)}` }]
                      : []),
                  ]}
                />
              </Form.Item>
              <Form.Item label={t('return.reason')} {...zf.item('reason')}>
                <AutoComplete
                  style={{ width: 200 }}
                  options={(reasons.data?.items ?? [])
                    .filter((r) => r.active && (r.usage === 'return' || r.usage === 'other'))
                    .map((r) => ({ value: label(r) }))}
                />
              </Form.Item>
              <Form.Item label={t('common.remarks')} {...zf.item('remarks')}>
                <Input style={{ width: 240 }} maxLength={1000} />
              </Form.Item>
            </Space>
          ) : d ? (
            <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }}>
              <Descriptions.Item label={t('doc.org')}>{orgLabel(d.orgId)}</Descriptions.Item>
              <Descriptions.Item label={t('doc.supplier')}>{supplierName(d.partnerId)}</Descriptions.Item>
              <Descriptions.Item label={t('return.receipt')}>
                {d.refDocumentId ? (
                  <Link
                    to={`/purchasing/${receipt.data?.docType === 'self_purchase' ? 'self-purchases' : 'receipts'}/${d.refDocumentId}`}
                  >
                    {receipt.data?.number ?? `#${d.refDocumentId}`}
                  </Link>
                ) : null}
              </Descriptions.Item>
              <Descriptions.Item label={t('doc.businessDate')}>{fmtDate(d.businessDate)}</Descriptions.Item>
              <Descriptions.Item label={t('return.reason')}>{(d.attrs.reason as string | undefined) ?? ''}</Descriptions.Item>
              <Descriptions.Item label={t('doc.totalAmount')}>¥{fmtMoney(d.totalAmount)}</Descriptions.Item>
              {d.postedAt && <Descriptions.Item label={t('doc.postedAt')}>{fmtDateTime(d.postedAt)}</Descriptions.Item>}
              {d.remarks && <Descriptions.Item label={t('common.remarks')}>{d.remarks}</Descriptions.Item>}
            </Descriptions>
          ) : null}
        </Card>
        <Card
          size="small"
          className="erp-doc-lines"
          title={
            receipt.data && editable ? (
              <Space>
                {t('return.linesOf', { number: receipt.data.number })}
                <Tag>{typeLabel(receipt.data.docType)}</Tag>
                {supplierName(receipt.data.partnerId)}
              </Space>
            ) : (
              t('doc.lines')
            )
          }
        >
          {editable ? (
            typeof receiptId !== 'number' ? (
              <Alert type="info" showIcon title={t('return.pickFirst')} />
            ) : (
              <fieldset className="erp-lines" ref={table} onKeyDown={gridKeys}>
                <div className="erp-lines-toolbar">
                  <ScanBox onHit={onHit} orgId={orgId} autoFocus />
                </div>
                <Form.List name="lines">
                  {(fields) => (
                    <Table
                      size="small"
                      bordered
                      rowKey="key"
                      dataSource={fields}
                      pagination={false}
                      loading={returnable.isFetching}
                      scroll={{ x: 'max-content' }}
                      data-testid="lines-table"
                      onRow={(_f, i) => ({ 'data-row-index': i }) as never}
                      columns={[
                        {
                          title: t('line.no'),
                          key: 'no',
                          width: 48,
                          align: 'right',
                          render: (_: unknown, _f, i) => info.get(lines[i]?.receiptLineId ?? 0)?.lineNo,
                        },
                        {
                          title: t('line.product'),
                          key: 'p',
                          width: 240,
                          render: (_: unknown, _f, i) => {
                            const r = info.get(lines[i]?.receiptLineId ?? 0);
                            const p = r ? products.get(r.productId) : undefined;
                            return p ? `${p.code} ${p.name}${p.spec ? ` ${p.spec}` : ''}` : r ? `#${r.productId}` : '';
                          },
                        },
                        {
                          title: t('line.batch'),
                          key: 'b',
                          width: 140,
                          render: (_: unknown, _f, i) => info.get(lines[i]?.receiptLineId ?? 0)?.batchNo,
                        },
                        {
                          title: t('line.lot'),
                          key: 'l',
                          width: 100,
                          render: (_: unknown, _f, i) => info.get(lines[i]?.receiptLineId ?? 0)?.lotNo,
                        },
                        {
                          title: t('line.expiry'),
                          key: 'e',
                          width: 100,
                          render: (_: unknown, _f, i) => fmtDate(info.get(lines[i]?.receiptLineId ?? 0)?.expiryDate),
                        },
                        {
                          title: t('return.received'),
                          key: 'rc',
                          width: 80,
                          align: 'right',
                          render: (_: unknown, _f, i) => fmtDecimal(info.get(lines[i]?.receiptLineId ?? 0)?.receivedQty),
                        },
                        {
                          title: t('return.returned'),
                          key: 'rt',
                          width: 90,
                          align: 'right',
                          render: (_: unknown, _f, i) => {
                            const id2 = lines[i]?.receiptLineId ?? 0;
                            const r = info.get(id2);
                            return r ? fmtDecimal(qty(dec(r.returnedQty).minus(own.get(id2) ?? 0))) : '';
                          },
                        },
                        {
                          title: t('return.max'),
                          key: 'max',
                          width: 90,
                          align: 'right',
                          render: (_: unknown, _f, i) => (
                            <strong className="erp-num">{fmtDecimal(info.get(lines[i]?.receiptLineId ?? 0)?.max)}</strong>
                          ),
                        },
                        {
                          title: t('return.qty'),
                          key: 'q',
                          width: 110,
                          render: (_: unknown, f, i) => {
                            const r = info.get(lines[i]?.receiptLineId ?? 0);
                            return (
                              <Form.Item
                                name={[f.name, 'qty']}
                                rules={[
                                  {
                                    validator: async (_r, v: string | undefined) => {
                                      if (!v) return;
                                      if (!/^\d{1,12}(\.\d{1,3})?$/.test(v.trim())) throw new Error(t('return.qtyInvalid'));
                                      if (r && dec(v.trim()).greaterThan(r.max))
                                        throw new Error(t('return.overMax', { max: fmtDecimal(r.max) }));
                                    },
                                  },
                                ]}
                              >
                                <Input inputMode="decimal" autoComplete="off" data-cell={`qty-${i}`} />
                              </Form.Item>
                            );
                          },
                        },
                        {
                          title: t('line.basePrice'),
                          key: 'price',
                          width: 90,
                          align: 'right',
                          render: (_: unknown, _f, i) => fmtDecimal(info.get(lines[i]?.receiptLineId ?? 0)?.unitPrice, 2),
                        },
                        {
                          title: t('line.amount'),
                          key: 'amt',
                          width: 100,
                          align: 'right',
                          render: (_: unknown, _f, i) => {
                            const r = info.get(lines[i]?.receiptLineId ?? 0);
                            return fmtMoney(
                              dec(decOrZero(lines[i]?.qty))
                                .times(r?.unitPrice ?? 0)
                                .toFixed(2),
                            );
                          },
                        },
                        {
                          title: t('common.remarks'),
                          key: 'rm',
                          width: 140,
                          render: (_: unknown, f) => (
                            <Form.Item name={[f.name, 'remarks']}>
                              <Input maxLength={500} />
                            </Form.Item>
                          ),
                        },
                      ]}
                      summary={() => (
                        <Table.Summary.Row>
                          <Table.Summary.Cell index={0} colSpan={8}>
                            <strong>{t('line.total')}</strong>
                          </Table.Summary.Cell>
                          <Table.Summary.Cell index={1}>
                            <strong className="erp-num">{fmtDecimal(qty(totals.qty))}</strong>
                          </Table.Summary.Cell>
                          <Table.Summary.Cell index={2} />
                          <Table.Summary.Cell index={3} align="right">
                            <strong className="erp-num">¥{fmtMoney(totals.amount.toFixed(2))}</strong>
                          </Table.Summary.Cell>
                          <Table.Summary.Cell index={4} />
                        </Table.Summary.Row>
                      )}
                    />
                  )}
                </Form.List>
              </fieldset>
            )
          ) : d ? (
            <ReceivedLines lines={d.lines} warehouseId={d.warehouseId} refused={false} />
          ) : null}
        </Card>
      </Form>
    </div>
  );
}
