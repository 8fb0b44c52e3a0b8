import { InboxOutlined, SaveOutlined, StopOutlined } from '@ant-design/icons';
import { createPurchaseOrderBody, updatePurchaseOrderBody } from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Form, Input, Progress, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api, errorText } from '../../shared/api';
import { CommentModal } from '../../shared/CommentModal';
import { DocStatusTag } from '../../shared/docs';
import { FormError } from '../../shared/FormError';
import { fmtDate, fmtDateTime, fmtDecimal, fmtMoney } from '../../shared/format';
import { useZodForm } from '../../shared/forms';
import { useT } from '../../shared/i18n';
import { OrgSelect, useOrgLabel } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { useWarehouses, WarehouseSelect } from '../../shared/selects';
import { useSession } from '../../shared/session';
import { DateField, SupplierSelect, useSupplierNames } from '../../shared/stockPickers';
import { DocActions } from '../documents/DocActions';
import { DocLoading, HistoryLink, RejectNote, useSaveHotkey } from '../documents/DocParts';
import { type OrderLineProgress, type PurchaseOrderDetail, useProducts } from './api';
import { EDITABLE_STATES, lineInput, toPLine, usePurchasePrices } from './common';
import { m } from './messages';
import { type PLine, PurchaseLines, unitName } from './PurchaseLines';

interface HeaderValues {
  orgId?: number;
  warehouseId?: number;
  supplierId?: number;
  expectedDate?: string | null;
  remarks?: string;
  lines?: PLine[];
}

/** Orgs that buy: distribution centres and stores. */
const BUYING = ['dc', 'store'] as const;

/**
 * 采购订单 (PUR-1): a new or draft order is edited here (supplier, warehouse, lines by scan or search, pack
 * units, default purchase price); a submitted one shows its approval buttons; a confirmed one shows ordered /
 * received / open per line, can be received (验收入库) or closed short (结案).
 */
export default function OrderPage() {
  const t = useT(m);
  const { id: idParam } = useParams();
  const id = idParam ? Number(idParam) : undefined;
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { can, currentOrg, orgs } = useSession();
  const orgLabel = useOrgLabel();
  const supplierName = useSupplierNames();
  const [form] = Form.useForm<HeaderValues>();
  const [dirty, setDirty] = useState(false);
  const [closing, setClosing] = useState(false);
  const po = useQuery({
    queryKey: ['documents', id, 'po'],
    queryFn: () => api.get<PurchaseOrderDetail>(`/api/purchase-orders/${id}`),
    enabled: id !== undefined,
  });
  const d = po.data;
  const editable =
    id === undefined
      ? can('doc.purchase_order:create')
      : !!d && EDITABLE_STATES.includes(d.status) && can('doc.purchase_order:edit');
  const zf = useZodForm(id === undefined ? createPurchaseOrderBody : updatePurchaseOrderBody, form);
  const orgId = Form.useWatch('orgId', form) ?? d?.orgId;
  const warehouseId = Form.useWatch('warehouseId', form) ?? d?.warehouseId;
  const lines = (Form.useWatch('lines', { form, preserve: true }) as PLine[] | undefined) ?? [];
  const prices = usePurchasePrices(
    orgId,
    lines.map((l) => l.productId),
  );
  const warehouses = useWarehouses(orgId, typeof orgId === 'number');
  // Names alone are ambiguous (the same water in 380ml and 550ml): the progress table adds the spec.
  const progressProducts = useProducts((d?.progress ?? []).map((l) => l.productId));

  const defaultOrg = useMemo(() => {
    if (currentOrg && BUYING.includes(currentOrg.kind as never)) return currentOrg.id;
    return orgs.find((o) => o.kind === 'dc')?.id ?? orgs.find((o) => o.kind === 'store')?.id;
  }, [currentOrg, orgs]);

  // A loaded order fills the form once per version.
  useEffect(() => {
    if (!d) return;
    form.setFieldsValue({
      orgId: d.orgId,
      warehouseId: d.warehouseId ?? undefined,
      supplierId: d.partnerId ?? undefined,
      expectedDate: (d.attrs.expectedDate as string | undefined) ?? null,
      remarks: d.remarks ?? undefined,
      lines: d.lines.filter((l) => l.status === 'active').map(toPLine),
    });
    setDirty(false);
  }, [d, form]);

  // A new order takes the org's default warehouse.
  useEffect(() => {
    if (id !== undefined || !warehouses.data?.length) return;
    const current = form.getFieldValue('warehouseId') as number | undefined;
    if (current && warehouses.data.some((w) => w.id === current)) return;
    form.setFieldValue('warehouseId', (warehouses.data.find((w) => w.isDefault) ?? warehouses.data[0])?.id);
  }, [id, warehouses.data, form]);

  const save = useCallback(async (): Promise<boolean> => {
    const v = form.getFieldsValue(true) as HeaderValues;
    const rows = v.lines ?? [];
    if (!rows.length) {
      zf.setError(t('line.none'));
      return false;
    }
    const lineCmds = rows.map((l) => lineInput(l, 'order'));
    if (id === undefined) {
      return zf.submit(
        {
          orgId: v.orgId,
          warehouseId: v.warehouseId,
          supplierId: v.supplierId,
          expectedDate: v.expectedDate ?? undefined,
          remarks: v.remarks,
          lines: lineCmds,
        },
        async (cmd) => {
          const created = await api.post<PurchaseOrderDetail>('/api/purchase-orders', cmd);
          await qc.invalidateQueries({ queryKey: ['list'] });
          message.success(t('po.saved', { number: created.number }));
          setDirty(false);
          navigate(`/purchasing/orders/${created.id}`, { replace: true });
        },
      );
    }
    return zf.submit(
      {
        version: d?.version,
        warehouseId: v.warehouseId,
        supplierId: v.supplierId,
        expectedDate: v.expectedDate ?? null,
        remarks: v.remarks ?? null,
        lines: lineCmds,
      },
      async (cmd) => {
        await api.put(`/api/purchase-orders/${id}`, cmd);
        await qc.invalidateQueries({ queryKey: ['documents', id] });
        await qc.invalidateQueries({ queryKey: ['list'] });
        message.success(t('common.saved'));
        setDirty(false);
      },
    );
  }, [form, zf, id, d?.version, qc, message, t, navigate]);

  const submitForm = useCallback(() => form.submit(), [form]);
  useSaveHotkey(submitForm, editable);

  if (id !== undefined && !d) return <DocLoading query={po} back="/purchasing/orders" />;

  const progressColumns: ColumnsType<OrderLineProgress> = [
    { title: t('line.no'), dataIndex: 'lineNo', width: 50, align: 'right' },
    { title: t('line.productCode'), dataIndex: 'productCode', width: 110 },
    {
      title: t('line.productName'),
      dataIndex: 'productName',
      render: (v: string, r) => {
        const spec = progressProducts.get(r.productId)?.spec;
        return spec ? `${v} ${spec}` : v;
      },
    },
    {
      title: t('line.entered'),
      key: 'entered',
      width: 120,
      render: (_: unknown, r) => <EnteredQty line={r} />,
    },
    { title: t('po.ordered'), dataIndex: 'orderedQty', width: 90, align: 'right', render: (v: string) => fmtDecimal(v) },
    { title: t('po.received'), dataIndex: 'receivedQty', width: 90, align: 'right', render: (v: string) => fmtDecimal(v) },
    {
      title: t('po.open'),
      dataIndex: 'openQty',
      width: 90,
      align: 'right',
      render: (v: string) => <strong className="erp-num">{fmtDecimal(v)}</strong>,
    },
    { title: t('line.basePrice'), dataIndex: 'unitPrice', width: 90, align: 'right', render: (v: string) => fmtDecimal(v, 2) },
    { title: t('line.amount'), dataIndex: 'amount', width: 100, align: 'right', render: (v: string) => fmtMoney(v) },
    {
      title: t('line.status'),
      dataIndex: 'status',
      width: 70,
      render: (v: string) => (v === 'void' ? <Tag>{t('line.void')}</Tag> : t('line.active')),
    },
  ];

  const canReceive = d?.status === 'confirmed' && can('doc.purchase_receipt:create') && Number(d.openQty) > 0 && !d.closedShort;
  const canClose = d?.status === 'confirmed' && can('doc.purchase_order:complete');
  const receivedPct = d && Number(d.orderedQty) > 0 ? Math.round((Number(d.receivedQty) / Number(d.orderedQty)) * 100) : 0;

  return (
    <div>
      <PageHeader
        title={
          d ? (
            <Space>
              <span data-testid="doc-number">{d.number}</span>
              <Tag>{t('page.order')}</Tag>
              <DocStatusTag status={d.status} />
              {d.closedShort && <Tag color="orange">{t('po.closedShort')}</Tag>}
            </Space>
          ) : (
            t('page.orderNew')
          )
        }
        extra={
          <Space wrap>
            <Button onClick={() => navigate('/purchasing/orders')}>{t('common.back')}</Button>
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
                exclude={['complete']}
                before={async () => (dirty && editable ? save() : true)}
                onDone={() => qc.invalidateQueries({ queryKey: ['documents', id] })}
              />
            )}
            {canReceive && (
              <Button
                type="primary"
                icon={<InboxOutlined />}
                onClick={() => navigate(`/purchasing/receipts/new?po=${d.id}`)}
                data-testid="po-receive"
              >
                {t('po.receive')}
              </Button>
            )}
            {canClose && (
              <Button icon={<StopOutlined />} danger onClick={() => setClosing(true)} data-testid="po-close">
                {t('po.close')}
              </Button>
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
        initialValues={{ orgId: defaultOrg, lines: [] }}
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
                <OrgSelect
                  kinds={BUYING}
                  allowClear={false}
                  style={{ width: 200 }}
                  disabled={id !== undefined}
                  data-testid="doc-org"
                />
              </Form.Item>
              <Form.Item label={t('doc.warehouse')} {...zf.item('warehouseId')}>
                <WarehouseSelect orgId={orgId} style={{ width: 170 }} data-testid="doc-warehouse" />
              </Form.Item>
              <Form.Item label={t('doc.supplier')} {...zf.item('supplierId')}>
                <SupplierSelect style={{ width: 280 }} data-testid="doc-supplier" />
              </Form.Item>
              <Form.Item label={t('po.expectedDate')} {...zf.item('expectedDate')}>
                <DateField style={{ width: 140 }} />
              </Form.Item>
              <Form.Item label={t('common.remarks')} {...zf.item('remarks')}>
                <Input style={{ width: 260 }} maxLength={1000} />
              </Form.Item>
            </Space>
          ) : d ? (
            <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }}>
              <Descriptions.Item label={t('doc.org')}>{orgLabel(d.orgId)}</Descriptions.Item>
              <Descriptions.Item label={t('doc.warehouse')}>
                {warehouses.data?.find((w) => w.id === d.warehouseId)?.name ?? (d.warehouseId ? `#${d.warehouseId}` : '')}
              </Descriptions.Item>
              <Descriptions.Item label={t('doc.supplier')}>{supplierName(d.partnerId)}</Descriptions.Item>
              <Descriptions.Item label={t('doc.businessDate')}>{fmtDate(d.businessDate)}</Descriptions.Item>
              <Descriptions.Item label={t('po.expectedDate')}>
                {fmtDate(d.attrs.expectedDate as string | undefined)}
              </Descriptions.Item>
              <Descriptions.Item label={t('doc.totalAmount')}>¥{fmtMoney(d.totalAmount)}</Descriptions.Item>
              <Descriptions.Item label={t('doc.createdAt')}>{fmtDateTime(d.createdAt)}</Descriptions.Item>
              <Descriptions.Item label={t('po.progress')}>
                <Progress percent={receivedPct} size="small" style={{ width: 160, margin: 0 }} />
              </Descriptions.Item>
              {d.closedShort && (
                <Descriptions.Item label={t('po.closeReason')} span={2}>
                  {d.closedShort.reason}（{fmtDateTime(d.closedShort.closedAt)}）
                </Descriptions.Item>
              )}
              {d.remarks && (
                <Descriptions.Item label={t('common.remarks')} span={2}>
                  {d.remarks}
                </Descriptions.Item>
              )}
            </Descriptions>
          ) : null}
        </Card>
        <Card size="small" className="erp-doc-lines" title={t('doc.lines')}>
          {editable ? (
            <PurchaseLines
              kind="order"
              form={form}
              zf={zf as never}
              orgId={orgId}
              warehouseId={warehouseId}
              editable
              prices={prices}
            />
          ) : (
            <Table<OrderLineProgress>
              size="small"
              bordered
              rowKey="lineId"
              dataSource={d?.progress ?? []}
              columns={progressColumns}
              pagination={false}
              scroll={{ x: 'max-content' }}
              data-testid="po-progress"
              summary={() =>
                d ? (
                  <Table.Summary.Row>
                    <Table.Summary.Cell index={0} colSpan={4}>
                      <strong>{t('line.total')}</strong>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={1} align="right">
                      {fmtDecimal(d.orderedQty)}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={2} align="right">
                      {fmtDecimal(d.receivedQty)}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={3} align="right">
                      <strong>{fmtDecimal(d.openQty)}</strong>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={4} />
                    <Table.Summary.Cell index={5} align="right">
                      {fmtMoney(d.totalAmount)}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={6} />
                  </Table.Summary.Row>
                ) : null
              }
            />
          )}
        </Card>
      </Form>
      {closing && d && (
        <CommentModal
          title={t('po.close')}
          warning={t('po.closeWarning', { number: d.number, open: fmtDecimal(d.openQty) })}
          required
          danger
          commentLabel={t('po.closeReason')}
          onClose={() => setClosing(false)}
          onOk={async (reason) => {
            try {
              await api.post(`/api/purchase-orders/${d.id}/close`, { reason });
              message.success(t('po.closed', { number: d.number }));
              setClosing(false);
              await qc.invalidateQueries({ queryKey: ['documents', id] });
              await qc.invalidateQueries({ queryKey: ['list'] });
            } catch (e) {
              message.error({ content: errorText(e), duration: 8 });
            }
          }}
        />
      )}
    </div>
  );
}

/** What the buyer typed for a line (in its pack unit), beside the base-unit figures. */
function EnteredQty({ line }: { line: OrderLineProgress }) {
  const products = useProducts([line.productId]);
  const p = products.get(line.productId);
  const a = line.attrs;
  if (a.unitId === undefined) return <span>{`${fmtDecimal(line.orderedQty)} ${p?.baseUnitName ?? ''}`}</span>;
  return <span>{`${fmtDecimal(a.unitQty)} ${unitName(p, a.unitId)} × ${fmtDecimal(a.factor)}`}</span>;
}
