import { PlusOutlined } from '@ant-design/icons';
import { createStocktakeBody, DOC_STATUSES, type DocStatus, docStatusLabels } from '@erp/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Radio, Space, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../shared/api';
import { DataTable } from '../../shared/DataTable';
import { DocStatusTag } from '../../shared/docs';
import { EnterSubmits, FormError } from '../../shared/FormError';
import { fmtDate, fmtDecimal, fmtMoney } from '../../shared/format';
import { useZodForm } from '../../shared/forms';
import { useLabel, useT } from '../../shared/i18n';
import { OrgSelect, useOrgLabel } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { useWarehouses, WarehouseSelect } from '../../shared/selects';
import { useSession } from '../../shared/session';
import { CounterSelect, DateField, ShelfSelect } from '../../shared/stockPickers';
import type { StocktakeDto } from './api';
import './inventory.css';
import { m } from './messages';

/** 盘点: the stocktakes of the current org with progress and surplus/shortage, and generating a new count sheet. */
export default function StocktakesPage() {
  const t = useT(m);
  const label = useLabel();
  const navigate = useNavigate();
  const orgLabel = useOrgLabel();
  const { can, currentOrgId } = useSession();
  const [creating, setCreating] = useState(false);
  const columns: ColumnsType<StocktakeDto> = [
    {
      title: t('doc.number'),
      dataIndex: 'number',
      width: 190,
      render: (v: string, r) => <Link to={`/inventory/stocktakes/${r.id}`}>{v}</Link>,
    },
    { title: t('doc.businessDate'), dataIndex: 'businessDate', width: 100, render: fmtDate },
    { title: t('doc.status'), dataIndex: 'status', width: 90, render: (v: DocStatus) => <DocStatusTag status={v} /> },
    { title: t('doc.org'), dataIndex: 'orgId', width: 150, render: (v: number) => orgLabel(v) },
    {
      title: t('st.mode'),
      key: 'mode',
      width: 150,
      render: (_: unknown, r) => (
        <Space size={4}>
          <Tag>{t(`st.modeShort.${r.mode}`)}</Tag>
          <Tag color={r.entryMode === 'blind' ? 'purple' : 'blue'}>{t(`st.entryShort.${r.entryMode}`)}</Tag>
        </Space>
      ),
    },
    {
      title: t('st.scopeOf'),
      key: 'scope',
      width: 110,
      render: (_: unknown, r) => t(r.shelfId ? 'st.scope.shelf' : r.counterId ? 'st.scope.counter' : 'st.scope.store'),
    },
    {
      title: t('st.progressCol'),
      key: 'progress',
      width: 110,
      align: 'right',
      render: (_: unknown, r) => `${r.countedLines} / ${r.lines}`,
    },
    {
      title: t('st.surplus'),
      key: 'surplus',
      width: 120,
      align: 'right',
      render: (_: unknown, r) =>
        r.totals ? (
          <span className="inv-surplus inv-num">
            +{fmtDecimal(r.totals.surplusQty)} / ¥{fmtMoney(r.totals.surplusAmount)}
          </span>
        ) : null,
    },
    {
      title: t('st.shortage'),
      key: 'shortage',
      width: 120,
      align: 'right',
      render: (_: unknown, r) =>
        r.totals ? (
          <span className="inv-shortage inv-num">
            −{fmtDecimal(r.totals.shortageQty)} / ¥{fmtMoney(r.totals.shortageAmount)}
          </span>
        ) : null,
    },
    {
      title: t('st.generatedDocs'),
      key: 'generated',
      render: (_: unknown, r) =>
        r.generatedDocuments.map((g) => (
          <Link
            key={g.id}
            to={`/inventory/${g.docType === 'loss' ? 'losses' : 'overages'}/${g.id}`}
            style={{ marginInlineEnd: 8 }}
          >
            {g.number}
          </Link>
        )),
    },
    { title: t('common.remarks'), dataIndex: 'remarks', ellipsis: true },
  ];
  return (
    <div>
      <PageHeader
        title={t('page.stocktakes')}
        extra={
          can('doc.stocktake:create') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="stocktake-new">
              {t('st.create')}
            </Button>
          ) : null
        }
      />
      <DataTable<StocktakeDto>
        queryKey="stocktakes"
        url="/api/stocktakes"
        rowKey="id"
        params={{ orgId: currentOrgId ?? undefined }}
        columns={columns}
        filters={[
          { name: 'q', label: t('doc.number'), placeholder: t('doc.searchNumber'), width: 170 },
          {
            name: 'status',
            label: t('doc.status'),
            type: 'select',
            width: 120,
            options: DOC_STATUSES.map((s) => ({ value: s, label: label(docStatusLabels[s]) })),
          },
          { name: 'period', label: t('doc.businessDate'), type: 'dateRange', range: ['from', 'to'] },
        ]}
        onRow={(r) => ({ onDoubleClick: () => navigate(`/inventory/stocktakes/${r.id}`) })}
      />
      {creating && <CreateStocktakeModal onClose={() => setCreating(false)} />}
    </div>
  );
}

interface CreateValues {
  orgId?: number;
  warehouseId?: number;
  mode: 'static' | 'dynamic';
  since?: string;
  scope: 'store' | 'counter' | 'shelf';
  counterId?: number;
  shelfId?: number;
  entryMode: 'sheet' | 'blind';
  uncountedAs: 'zero' | 'book';
  remarks?: string;
}

/** 生成盘点表: static or dynamic, for the store (or one warehouse), a counter or a shelf; sheet or blind entry. */
function CreateStocktakeModal({ onClose }: { onClose: () => void }) {
  const t = useT(m);
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { currentOrg, orgs } = useSession();
  const [form] = Form.useForm<CreateValues>();
  const zf = useZodForm(createStocktakeBody, form);
  const defaultOrg = useMemo(() => {
    if (currentOrg && (currentOrg.kind === 'store' || currentOrg.kind === 'dc')) return currentOrg.id;
    return orgs.find((o) => o.kind === 'store')?.id;
  }, [currentOrg, orgs]);
  const orgId = Form.useWatch('orgId', form) ?? defaultOrg;
  const warehouseId = Form.useWatch('warehouseId', form);
  const mode = Form.useWatch('mode', form) ?? 'static';
  const scope = Form.useWatch('scope', form) ?? 'store';
  const warehouses = useWarehouses(orgId, typeof orgId === 'number');
  // Shelves of the chosen warehouse, else of the org's default one.
  const shelfWarehouse = warehouseId ?? (warehouses.data?.find((w) => w.isDefault) ?? warehouses.data?.[0])?.id;

  const submit = (v: CreateValues) =>
    zf.submit(
      {
        orgId: v.orgId,
        warehouseId: v.warehouseId,
        mode: v.mode,
        since: v.mode === 'dynamic' ? v.since : undefined,
        counterId: v.scope === 'counter' ? v.counterId : undefined,
        shelfId: v.scope === 'shelf' ? v.shelfId : undefined,
        entryMode: v.entryMode,
        uncountedAs: v.uncountedAs,
        remarks: v.remarks,
      },
      async (cmd) => {
        const st = await api.post<StocktakeDto>('/api/stocktakes', cmd);
        message.success(t('doc.created', { number: st.number }));
        await qc.invalidateQueries({ queryKey: ['list'] });
        navigate(`/inventory/stocktakes/${st.id}`);
      },
    );

  return (
    <Modal
      open
      title={t('st.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={zf.submitting}
      width={640}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'stocktake-create-ok' } as never}
    >
      <FormError error={zf.error} onClose={() => zf.setError(null)} />
      <Form<CreateValues>
        form={form}
        layout="horizontal"
        labelCol={{ span: 6 }}
        initialValues={{ orgId: defaultOrg, mode: 'static', scope: 'store', entryMode: 'sheet', uncountedAs: 'zero' }}
        onFinish={(v) => void submit(v)}
        onValuesChange={(changed: Partial<CreateValues>) => {
          if ('orgId' in changed) form.setFieldsValue({ warehouseId: undefined, counterId: undefined, shelfId: undefined });
          if ('warehouseId' in changed) form.setFieldsValue({ shelfId: undefined });
        }}
      >
        <Form.Item label={t('doc.org')} {...zf.item('orgId')}>
          <OrgSelect kinds={['store', 'dc']} allowClear={false} data-testid="stocktake-org" />
        </Form.Item>
        <Form.Item label={t('doc.warehouse')} {...zf.item('warehouseId')}>
          <WarehouseSelect orgId={orgId} placeholder={t('st.allWarehouses')} data-testid="stocktake-warehouse" />
        </Form.Item>
        <Form.Item label={t('st.mode')} name="mode">
          <Radio.Group
            options={[
              { value: 'static', label: t('st.mode.static') },
              { value: 'dynamic', label: t('st.mode.dynamic') },
            ]}
          />
        </Form.Item>
        {mode === 'dynamic' && (
          <Form.Item label={t('st.since')} {...zf.item('since')} required>
            <DateField />
          </Form.Item>
        )}
        <Form.Item label={t('st.scope')} name="scope">
          <Radio.Group
            optionType="button"
            options={[
              { value: 'store', label: t('st.scope.store') },
              { value: 'counter', label: t('st.scope.counter') },
              { value: 'shelf', label: t('st.scope.shelf') },
            ]}
            data-testid="stocktake-scope"
          />
        </Form.Item>
        {scope === 'counter' && (
          <Form.Item label={t('st.counter')} {...zf.item('counterId')} required>
            <CounterSelect orgId={orgId} data-testid="stocktake-counter" />
          </Form.Item>
        )}
        {scope === 'shelf' && (
          <Form.Item label={t('st.shelf')} {...zf.item('shelfId')} required>
            <ShelfSelect warehouseId={shelfWarehouse} style={{ width: 220 }} data-testid="stocktake-shelf" />
          </Form.Item>
        )}
        <Form.Item label={t('st.entryMode')} name="entryMode">
          <Radio.Group
            options={[
              { value: 'sheet', label: t('st.entry.sheet') },
              { value: 'blind', label: t('st.entry.blind') },
            ]}
          />
        </Form.Item>
        <Form.Item label={t('st.uncountedAs')} name="uncountedAs">
          <Radio.Group
            options={[
              { value: 'zero', label: t('st.uncounted.zero') },
              { value: 'book', label: t('st.uncounted.book') },
            ]}
          />
        </Form.Item>
        <Form.Item label={t('common.remarks')} {...zf.item('remarks')}>
          <Input maxLength={1000} />
        </Form.Item>
        <EnterSubmits />
      </Form>
    </Modal>
  );
}
