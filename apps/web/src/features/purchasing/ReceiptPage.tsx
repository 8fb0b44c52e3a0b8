import {
  ClearOutlined,
  FileSearchOutlined,
  RollbackOutlined,
  SaveOutlined,
  VerticalAlignBottomOutlined,
} from '@ant-design/icons';
import { createReceiptBody, dec, updateReceiptBody } from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Space, Tag } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api } from '../../shared/api';
import { DocStatusTag } from '../../shared/docs';
import { FormError } from '../../shared/FormError';
import { fmtDate, fmtDateTime, fmtDecimal, fmtMoney } from '../../shared/format';
import { useZodForm } from '../../shared/forms';
import { useT } from '../../shared/i18n';
import { OrgSelect, useOrgLabel } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { useWarehouses, WarehouseSelect } from '../../shared/selects';
import { useSession } from '../../shared/session';
import { SupplierSelect, useSupplierNames } from '../../shared/stockPickers';
import { DocActions } from '../documents/DocActions';
import { DocLoading, HistoryLink, RejectNote, useSaveHotkey } from '../documents/DocParts';
import { type DocumentWithLines, type OrderLineProgress, type PurchaseOrderDetail, usePurchasingSettings } from './api';
import { EDITABLE_STATES, lineInput, plain, toPLine, usePurchasePrices } from './common';
import { m } from './messages';
import { type PLine, PurchaseLines } from './PurchaseLines';
import { ReceivedLines } from './ReceivedLines';

interface Values {
  orgId?: number;
  warehouseId?: number;
  supplierId?: number;
  inspector?: string;
  remarks?: string;
  lines?: PLine[];
}

const BUYING = ['dc', 'store'] as const;

/** An order line's open quantity as a receipt line: in the unit it was ordered in when that divides exactly. */
export function openLine(o: OrderLineProgress): PLine {
  const a = o.attrs;
  const factor = a.factor ?? '1';
  const inUnit = a.unitId !== undefined ? dec(o.openQty).dividedBy(factor) : dec(o.openQty);
  const packs = a.unitId !== undefined && inUnit.decimalPlaces() <= 3;
  return {
    productId: o.productId,
    unitId: packs ? (a.unitId ?? null) : null,
    qty: packs ? inUnit.toFixed() : dec(o.openQty).toFixed(),
    unitPrice: packs ? plain(a.unitPrice ?? dec(o.unitPrice).times(factor).toFixed()) : plain(o.unitPrice),
    purchaseOrderLineId: o.lineId,
  };
}

/**
 * 验收入库 (PUR-2, GSP-1). Against a purchase order the open lines come pre-filled (actual quantity, refused
 * quantity, lot, expiry and shelf per line; scanning counts); without one where the org allows it. Saving keeps
 * a draft; confirming posts the stock and writes the acceptance records. An over-receipt beyond the tolerance
 * is marked on its line as it is typed and refused by the server with the order's figures.
 */
export default function ReceiptPage() {
  const t = useT(m);
  const { id: idParam } = useParams();
  const id = idParam ? Number(idParam) : undefined;
  const [sp] = useSearchParams();
  const poParam = sp.get('po') ? Number(sp.get('po')) : undefined;
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { can, currentOrg, orgs } = useSession();
  const orgLabel = useOrgLabel();
  const supplierName = useSupplierNames();
  const [form] = Form.useForm<Values>();
  const [dirty, setDirty] = useState(false);
  const filled = useRef(false);

  const doc = useQuery({
    queryKey: ['documents', id, 'receipt'],
    queryFn: () => api.get<DocumentWithLines>(`/api/documents/${id}`),
    enabled: id !== undefined,
  });
  const d = doc.data && doc.data.docType === 'purchase_receipt' ? doc.data : undefined;
  const poId = d ? (d.refDocumentId ?? undefined) : poParam;
  const po = useQuery({
    queryKey: ['documents', poId, 'po'],
    queryFn: () => api.get<PurchaseOrderDetail>(`/api/purchase-orders/${poId}`),
    enabled: poId !== undefined && can('doc.purchase_order:view'),
  });
  const order = po.data;
  const orderLines = useMemo(() => (order ? new Map(order.progress.map((p) => [p.lineId, p])) : undefined), [order]);
  const editable =
    id === undefined
      ? can('doc.purchase_receipt:create')
      : !!d && EDITABLE_STATES.includes(d.status) && can('doc.purchase_receipt:edit');
  const zf = useZodForm(id === undefined ? createReceiptBody : updateReceiptBody, form);
  const orgId = (Form.useWatch('orgId', form) as number | undefined) ?? d?.orgId ?? order?.orgId;
  const warehouseId = (Form.useWatch('warehouseId', form) as number | undefined) ?? d?.warehouseId ?? undefined;
  const lines = (Form.useWatch('lines', { form, preserve: true }) as PLine[] | undefined) ?? [];
  const settings = usePurchasingSettings(orgId);
  const prices = usePurchasePrices(
    order ? undefined : orgId,
    lines.map((l) => l.productId),
  );
  const warehouses = useWarehouses(orgId, typeof orgId === 'number' && can('warehouse:view'));
  const requireOrder = settings.data?.effective.requirePurchaseOrder ?? false;

  const defaultOrg = useMemo(() => {
    if (currentOrg && BUYING.includes(currentOrg.kind as never)) return currentOrg.id;
    return orgs.find((o) => o.kind === 'dc')?.id ?? orgs.find((o) => o.kind === 'store')?.id;
  }, [currentOrg, orgs]);

  // A saved receipt fills the form once per version; a new one against an order takes its open lines.
  useEffect(() => {
    if (!d) return;
    form.setFieldsValue({
      orgId: d.orgId,
      warehouseId: d.warehouseId ?? undefined,
      supplierId: d.partnerId ?? undefined,
      inspector: (d.attrs.inspector as string | undefined) ?? undefined,
      remarks: d.remarks ?? undefined,
      lines: d.lines.filter((l) => l.status === 'active').map(toPLine),
    });
    setDirty(false);
  }, [d, form]);
  useEffect(() => {
    if (id !== undefined || !order || filled.current) return;
    filled.current = true;
    form.setFieldsValue({
      orgId: order.orgId,
      warehouseId: order.warehouseId ?? undefined,
      supplierId: order.partnerId ?? undefined,
      lines: order.progress.filter((p) => p.status === 'active' && dec(p.openQty).greaterThan(0)).map(openLine),
    });
  }, [id, order, form]);
  useEffect(() => {
    if (id !== undefined || poId !== undefined || !warehouses.data?.length) return;
    const current = form.getFieldValue('warehouseId') as number | undefined;
    if (current && warehouses.data.some((w) => w.id === current)) return;
    form.setFieldValue('warehouseId', (warehouses.data.find((w) => w.isDefault) ?? warehouses.data[0])?.id);
  }, [id, poId, warehouses.data, form]);

  const save = useCallback(async (): Promise<boolean> => {
    const v = form.getFieldsValue(true) as Values;
    // Order lines left at 0 with nothing refused were simply not delivered this time.
    const rows = (v.lines ?? []).filter(
      (l) => !(l.purchaseOrderLineId !== undefined && dec(l.qty || '0').isZero() && dec(l.rejectedQty || '0').isZero()),
    );
    if (!rows.length) {
      zf.setError(t('line.none'));
      return false;
    }
    const lineCmds = rows.map((l) => lineInput(l, 'receipt'));
    if (id === undefined) {
      return zf.submit(
        {
          orgId: v.orgId,
          warehouseId: v.warehouseId,
          supplierId: v.supplierId,
          purchaseOrderId: poId,
          inspector: v.inspector,
          remarks: v.remarks,
          lines: lineCmds,
        },
        async (cmd) => {
          const created = await api.post<DocumentWithLines>('/api/purchase-receipts', cmd);
          await qc.invalidateQueries({ queryKey: ['list'] });
          message.success(t('receipt.saved', { number: created.number }));
          setDirty(false);
          navigate(`/purchasing/receipts/${created.id}`, { replace: true });
        },
      );
    }
    return zf.submit(
      {
        version: d?.version,
        warehouseId: v.warehouseId,
        supplierId: v.supplierId,
        inspector: v.inspector || null,
        remarks: v.remarks || null,
        lines: lineCmds,
      },
      async (cmd) => {
        await api.put(`/api/purchase-receipts/${id}`, cmd);
        await qc.invalidateQueries({ queryKey: ['documents', id] });
        await qc.invalidateQueries({ queryKey: ['list'] });
        message.success(t('common.saved'));
        setDirty(false);
      },
    );
  }, [form, zf, id, poId, d?.version, qc, message, t, navigate]);

  const submitForm = useCallback(() => form.submit(), [form]);
  useSaveHotkey(submitForm, editable);

  if (id !== undefined && !d) return <DocLoading query={doc} back="/purchasing/receipts" />;
  if (id === undefined && poId !== undefined && !order) return <DocLoading query={po} back="/purchasing/receipts" />;

  const setAll = (fill: (l: PLine) => string) => {
    const rows = (form.getFieldValue('lines') as PLine[] | undefined) ?? [];
    form.setFieldValue(
      'lines',
      rows.map((l) => ({ ...l, qty: fill(l) })),
    );
    setDirty(true);
  };
  const status = d?.status;
  const posted = status === 'posted' || status === 'completed';
  const whName = (wid: number | null | undefined) => {
    const w = warehouses.data?.find((x) => x.id === wid);
    return w ? `${w.code} ${w.name}` : wid ? `#${wid}` : '';
  };

  return (
    <div>
      <PageHeader
        title={
          d ? (
            <Space>
              <span data-testid="doc-number">{d.number}</span>
              <Tag>{t('page.receipt')}</Tag>
              <DocStatusTag status={d.status} />
            </Space>
          ) : (
            t(poId ? 'receipt.newFromOrder' : 'receipt.newWithoutOrder')
          )
        }
        subTitle={order ? t('receipt.ofOrder', { number: order.number }) : undefined}
        extra={
          <Space wrap>
            <Button onClick={() => navigate('/purchasing/receipts')}>{t('common.back')}</Button>
            {editable && (
              <Button
                icon={<SaveOutlined />}
                type={d ? 'default' : 'primary'}
                loading={zf.submitting}
                disabled={id === undefined && poId === undefined && requireOrder}
                onClick={submitForm}
                data-testid="doc-save"
              >
                {t('common.save')}
              </Button>
            )}
            {d && (
              <DocActions
                doc={d}
                labels={{ confirm: t('receipt.confirm') }}
                before={async () => (dirty && editable ? save() : true)}
                onDone={() => qc.invalidateQueries({ queryKey: ['documents', id] })}
              />
            )}
            {d && posted && can('doc.purchase_return:create') && (
              <Button
                icon={<RollbackOutlined />}
                onClick={() => navigate(`/purchasing/returns/new?receipt=${d.id}`)}
                data-testid="receipt-return"
              >
                {t('receipt.return')}
              </Button>
            )}
            {d && posted && can('acceptance_record:view') && (
              <Link to={`/purchasing/acceptance?q=${encodeURIComponent(d.number)}`}>
                <Button icon={<FileSearchOutlined />}>{t('page.acceptance')}</Button>
              </Link>
            )}
            {d && <HistoryLink id={d.id} />}
          </Space>
        }
      />
      {d && <RejectNote status={d.status} comment={d.rejectComment} />}
      {editable && id === undefined && poId === undefined && requireOrder && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('receipt.orderRequired')}
          data-testid="receipt-order-required"
        />
      )}
      {editable && order && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('receipt.hint', { tolerance: fmtDecimal(settings.data?.effective.overReceiptTolerancePct ?? '0') })}
        />
      )}
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
                <OrgSelect kinds={BUYING} allowClear={false} style={{ width: 200 }} disabled={id !== undefined || !!order} />
              </Form.Item>
              <Form.Item label={t('doc.warehouse')} {...zf.item('warehouseId')}>
                <WarehouseSelect orgId={orgId} style={{ width: 170 }} />
              </Form.Item>
              <Form.Item label={t('doc.supplier')} {...zf.item('supplierId')}>
                <SupplierSelect style={{ width: 280 }} disabled={!!order} />
              </Form.Item>
              <Form.Item label={t('receipt.inspector')} {...zf.item('inspector')}>
                <Input style={{ width: 120 }} maxLength={50} placeholder={t('receipt.inspectorHint')} />
              </Form.Item>
              <Form.Item label={t('common.remarks')} {...zf.item('remarks')}>
                <Input style={{ width: 240 }} maxLength={1000} />
              </Form.Item>
            </Space>
          ) : d ? (
            <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }}>
              <Descriptions.Item label={t('doc.org')}>{orgLabel(d.orgId)}</Descriptions.Item>
              <Descriptions.Item label={t('doc.warehouse')}>{whName(d.warehouseId)}</Descriptions.Item>
              <Descriptions.Item label={t('doc.supplier')}>{supplierName(d.partnerId)}</Descriptions.Item>
              <Descriptions.Item label={t('doc.order')}>
                {order ? <Link to={`/purchasing/orders/${order.id}`}>{order.number}</Link> : t('receipt.noOrder')}
              </Descriptions.Item>
              <Descriptions.Item label={t('doc.businessDate')}>{fmtDate(d.businessDate)}</Descriptions.Item>
              <Descriptions.Item label={t('receipt.inspector')}>
                {(d.attrs.inspector as string | undefined) ?? ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('doc.totalAmount')}>¥{fmtMoney(d.totalAmount)}</Descriptions.Item>
              {d.postedAt && <Descriptions.Item label={t('doc.postedAt')}>{fmtDateTime(d.postedAt)}</Descriptions.Item>}
              {d.remarks && <Descriptions.Item label={t('common.remarks')}>{d.remarks}</Descriptions.Item>}
            </Descriptions>
          ) : null}
        </Card>
        <Card
          size="small"
          className="erp-doc-lines"
          title={t('doc.lines')}
          extra={
            editable && order ? (
              <Space>
                <Button size="small" icon={<VerticalAlignBottomOutlined />} onClick={() => setAll(fillOpen(orderLines))}>
                  {t('receipt.fillOpen')}
                </Button>
                <Button size="small" icon={<ClearOutlined />} onClick={() => setAll(() => '0')} data-testid="receipt-clear">
                  {t('receipt.clearQty')}
                </Button>
              </Space>
            ) : null
          }
        >
          {editable ? (
            <PurchaseLines
              kind="receipt"
              form={form}
              zf={zf as never}
              orgId={orgId}
              warehouseId={warehouseId}
              editable
              orderLines={orderLines}
              orderNumber={order?.number}
              requireOrder={requireOrder}
              tolerancePct={settings.data?.effective.overReceiptTolerancePct}
              prices={prices}
            />
          ) : d ? (
            <ReceivedLines lines={d.lines} warehouseId={d.warehouseId} />
          ) : null}
        </Card>
      </Form>
    </div>
  );
}

/** The open quantity of a line's order line, in the line's unit (what "fill open" puts back). */
function fillOpen(orderLines: Map<number, OrderLineProgress> | undefined) {
  return (l: PLine): string => {
    const o = l.purchaseOrderLineId !== undefined ? orderLines?.get(l.purchaseOrderLineId) : undefined;
    if (!o) return l.qty ?? '';
    const back = openLine(o);
    return back.unitId === (l.unitId ?? null) ? (back.qty ?? '') : (l.qty ?? '');
  };
}
