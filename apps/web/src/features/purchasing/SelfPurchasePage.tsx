import { CheckOutlined, DeleteOutlined, RollbackOutlined, SaveOutlined } from '@ant-design/icons';
import { createSelfPurchaseBody, updateSelfPurchaseBody } from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Space, Tag } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api, errorText } from '../../shared/api';
import { CommentModal } from '../../shared/CommentModal';
import { DocStatusTag } from '../../shared/docs';
import { FormError } from '../../shared/FormError';
import { fmtDate, fmtDateTime, fmtMoney } from '../../shared/format';
import { useZodForm } from '../../shared/forms';
import { useT } from '../../shared/i18n';
import { OrgSelect, useOrgLabel } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { useWarehouses, WarehouseSelect } from '../../shared/selects';
import { useSession } from '../../shared/session';
import { SupplierSelect, useSupplierNames } from '../../shared/stockPickers';
import { DocActions } from '../documents/DocActions';
import { DocLoading, HistoryLink, RejectNote, useSaveHotkey } from '../documents/DocParts';
import { type DocumentWithLines, usePurchasingSettings } from './api';
import { EDITABLE_STATES, lineInput, toPLine, usePurchasePrices } from './common';
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

/**
 * 门店自行采购 (PUR-4): a store HQ has granted the right buys from a supplier itself; "save and receive" posts
 * stock, batches and acceptance records at once. Lines may be voided, even after posting (the posting is
 * reversed), unless a purchase return references them.
 */
export default function SelfPurchasePage() {
  const t = useT(m);
  const { id: idParam } = useParams();
  const id = idParam ? Number(idParam) : undefined;
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { can, currentOrg, orgs } = useSession();
  const orgLabel = useOrgLabel();
  const supplierName = useSupplierNames();
  const [form] = Form.useForm<Values>();
  const [dirty, setDirty] = useState(false);
  const [selected, setSelected] = useState<number[]>([]);
  const [voiding, setVoiding] = useState(false);
  const [confirmAfterSave, setConfirmAfterSave] = useState(false);
  const doc = useQuery({
    queryKey: ['documents', id, 'self'],
    queryFn: () => api.get<DocumentWithLines>(`/api/documents/${id}`),
    enabled: id !== undefined,
  });
  const d = doc.data && doc.data.docType === 'self_purchase' ? doc.data : undefined;
  const editable =
    id === undefined
      ? can('doc.self_purchase:create')
      : !!d && EDITABLE_STATES.includes(d.status) && can('doc.self_purchase:edit');
  const zf = useZodForm(id === undefined ? createSelfPurchaseBody : updateSelfPurchaseBody, form);
  const defaultOrg = useMemo(
    () => (currentOrg?.kind === 'store' ? currentOrg.id : orgs.find((o) => o.kind === 'store')?.id),
    [currentOrg, orgs],
  );
  const orgId = (Form.useWatch('orgId', form) as number | undefined) ?? d?.orgId;
  const warehouseId = (Form.useWatch('warehouseId', form) as number | undefined) ?? d?.warehouseId ?? undefined;
  const lines = (Form.useWatch('lines', { form, preserve: true }) as PLine[] | undefined) ?? [];
  const prices = usePurchasePrices(
    orgId,
    lines.map((l) => l.productId),
  );
  const settings = usePurchasingSettings(orgId);
  const allowed = settings.data?.effective.selfPurchaseAllowed !== false;
  const warehouses = useWarehouses(orgId, typeof orgId === 'number' && can('warehouse:view'));

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
    if (id !== undefined || !warehouses.data?.length) return;
    const current = form.getFieldValue('warehouseId') as number | undefined;
    if (current && warehouses.data.some((w) => w.id === current)) return;
    form.setFieldValue('warehouseId', (warehouses.data.find((w) => w.isDefault) ?? warehouses.data[0])?.id);
  }, [id, warehouses.data, form]);

  const save = useCallback(
    async (confirm = false): Promise<boolean> => {
      const v = form.getFieldsValue(true) as Values;
      const rows = v.lines ?? [];
      if (!rows.length) {
        zf.setError(t('line.none'));
        return false;
      }
      const lineCmds = rows.map((l) => lineInput(l, 'self'));
      if (id === undefined) {
        return zf.submit(
          {
            orgId: v.orgId,
            warehouseId: v.warehouseId,
            supplierId: v.supplierId,
            inspector: v.inspector,
            remarks: v.remarks,
            confirm,
            lines: lineCmds,
          },
          async (cmd) => {
            const created = await api.post<DocumentWithLines>('/api/self-purchases', cmd);
            await qc.invalidateQueries({ queryKey: ['list'] });
            message.success(t(confirm ? 'self.received' : 'self.saved', { number: created.number }));
            setDirty(false);
            navigate(`/purchasing/self-purchases/${created.id}`, { replace: true });
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
          await api.put(`/api/self-purchases/${id}`, cmd);
          await qc.invalidateQueries({ queryKey: ['documents', id] });
          await qc.invalidateQueries({ queryKey: ['list'] });
          message.success(t('common.saved'));
          setDirty(false);
        },
      );
    },
    [form, zf, id, d?.version, qc, message, t, navigate],
  );
  const submitForm = useCallback(() => {
    setConfirmAfterSave(false);
    form.submit();
  }, [form]);
  useSaveHotkey(submitForm, editable);

  if (id !== undefined && !d) return <DocLoading query={doc} back="/purchasing/self-purchases" />;
  const posted = d?.status === 'posted' || d?.status === 'completed';
  const canVoidLines = !!d && can('doc.self_purchase:void') && d.status !== 'void';
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
              <Tag>{t('page.selfPurchase')}</Tag>
              <DocStatusTag status={d.status} />
            </Space>
          ) : (
            t('page.selfPurchaseNew')
          )
        }
        extra={
          <Space wrap>
            <Button onClick={() => navigate('/purchasing/self-purchases')}>{t('common.back')}</Button>
            {editable && (
              <Button
                icon={<SaveOutlined />}
                loading={zf.submitting && !confirmAfterSave}
                onClick={submitForm}
                disabled={!allowed}
                data-testid="doc-save"
              >
                {t('common.save')}
              </Button>
            )}
            {editable && id === undefined && (
              <Button
                type="primary"
                icon={<CheckOutlined />}
                disabled={!allowed}
                loading={zf.submitting && confirmAfterSave}
                onClick={() => {
                  setConfirmAfterSave(true);
                  void form.validateFields().then(
                    () => save(true),
                    () => undefined,
                  );
                }}
                data-testid="self-save-receive"
              >
                {t('self.saveAndReceive')}
              </Button>
            )}
            {d && (
              <DocActions
                doc={d}
                labels={{ confirm: t('self.receive') }}
                before={async () => (dirty && editable ? save() : true)}
                onDone={() => qc.invalidateQueries({ queryKey: ['documents', id] })}
              />
            )}
            {d && posted && can('doc.purchase_return:create') && (
              <Button icon={<RollbackOutlined />} onClick={() => navigate(`/purchasing/returns/new?receipt=${d.id}`)}>
                {t('receipt.return')}
              </Button>
            )}
            {d && <HistoryLink id={d.id} />}
          </Space>
        }
      />
      {!allowed && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('self.notAllowed')} />}
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
              <Form.Item label={t('doc.store')} {...zf.item('orgId')}>
                <OrgSelect kinds={['store']} allowClear={false} style={{ width: 200 }} disabled={id !== undefined} />
              </Form.Item>
              <Form.Item label={t('doc.warehouse')} {...zf.item('warehouseId')}>
                <WarehouseSelect orgId={orgId} style={{ width: 170 }} />
              </Form.Item>
              <Form.Item label={t('doc.supplier')} {...zf.item('supplierId')}>
                <SupplierSelect style={{ width: 280 }} />
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
              <Descriptions.Item label={t('doc.store')}>{orgLabel(d.orgId)}</Descriptions.Item>
              <Descriptions.Item label={t('doc.warehouse')}>{whName(d.warehouseId)}</Descriptions.Item>
              <Descriptions.Item label={t('doc.supplier')}>{supplierName(d.partnerId)}</Descriptions.Item>
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
            !editable && canVoidLines ? (
              <Button
                size="small"
                danger
                icon={<DeleteOutlined />}
                disabled={!selected.length}
                onClick={() => setVoiding(true)}
                data-testid="self-void-lines"
              >
                {t('self.voidLines')}
              </Button>
            ) : null
          }
        >
          {editable ? (
            <PurchaseLines
              kind="self"
              form={form}
              zf={zf as never}
              orgId={orgId}
              warehouseId={warehouseId}
              editable
              prices={prices}
            />
          ) : d ? (
            <ReceivedLines
              lines={d.lines}
              warehouseId={d.warehouseId}
              selection={canVoidLines ? { selected, onChange: setSelected } : undefined}
            />
          ) : null}
        </Card>
      </Form>
      {voiding && d && (
        <CommentModal
          title={t('self.voidLines')}
          warning={t(posted ? 'self.voidPostedWarning' : 'self.voidWarning', { count: selected.length })}
          required
          danger
          commentLabel={t('self.voidReason')}
          onClose={() => setVoiding(false)}
          onOk={async (reason) => {
            try {
              await api.post(`/api/self-purchases/${d.id}/void-lines`, { lineIds: selected, reason });
              message.success(t('self.voided', { count: selected.length }));
              setSelected([]);
              setVoiding(false);
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
