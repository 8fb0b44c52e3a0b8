import { PlusOutlined } from '@ant-design/icons';
import { createTerminalBody, type TerminalSettings } from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api, errorText } from '../../shared/api';
import { FormError } from '../../shared/FormError';
import { fmtDateTime } from '../../shared/format';
import { useZodForm } from '../../shared/forms';
import { useT } from '../../shared/i18n';
import { OrgSelect, useOrgLabel } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { useSession } from '../../shared/session';
import { m } from './messages';
import { StorePicker, useStoreId } from './stores';

interface Terminal {
  id: number;
  storeId: number;
  code: string;
  name: string;
  status: 'unpaired' | 'active' | 'disabled';
  settings: TerminalSettings;
  receiptPrefix: string;
  deviceName: string | null;
  pairedAt: string | null;
  lastSeenAt: string | null;
  pairingExpiresAt: string | null;
}

interface TerminalDetail extends Terminal {
  receiptBlocks: { firstReceiptNo: string; lastReceiptNo: string; issuedAt: string }[];
}

const statusColor = { unpaired: 'gold', active: 'green', disabled: 'default' } as const;

function PairingCodeModal(props: { code: string | null; terminal: string; onClose: () => void }) {
  const t = useT(m);
  const url = `${location.origin}/pos/`;
  return (
    <Modal
      open={!!props.code}
      title={`${t('term.pairingCode')} · ${props.terminal}`}
      onCancel={props.onClose}
      onOk={props.onClose}
      footer={null}
    >
      <Typography.Paragraph>
        <Typography.Text
          copyable={{ text: props.code ?? '' }}
          style={{ fontSize: 32, fontFamily: 'monospace', letterSpacing: 4 }}
          data-testid="pairing-code"
        >
          {props.code}
        </Typography.Text>
      </Typography.Paragraph>
      <Alert type="info" showIcon title={t('term.pairingHint', { url })} />
    </Modal>
  );
}

function BlocksRow({ id }: { id: number }) {
  const t = useT(m);
  const q = useQuery({ queryKey: ['pos', 'terminal', id], queryFn: () => api.get<TerminalDetail>(`/api/pos/terminals/${id}`) });
  return (
    <Descriptions size="small" column={1} title={t('term.blocks')}>
      {(q.data?.receiptBlocks ?? []).map((b) => (
        <Descriptions.Item key={b.firstReceiptNo} label={fmtDateTime(b.issuedAt)}>
          {b.firstReceiptNo} – {b.lastReceiptNo}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

function SettingsModal(props: { terminal: Terminal | null; onClose: () => void; onSaved: () => void }) {
  const t = useT(m);
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const tm = props.terminal;
  if (!tm) return null;
  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await api.patch(`/api/pos/terminals/${tm.id}`, {
        name: v.name,
        settings: {
          printerWidth: v.printerWidth,
          autoPrint: v.autoPrint,
          receiptCopies: v.receiptCopies,
          cashDrawer: v.cashDrawer,
          customerDisplay: v.customerDisplay,
          scale: { enabled: v.scaleEnabled, mode: v.scaleMode },
        },
      });
      message.success(t('common.saved'));
      props.onSaved();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={`${t('term.peripherals')} · ${tm.code}`}
      onCancel={props.onClose}
      onOk={save}
      confirmLoading={busy}
      destroyOnHidden
    >
      <FormError error={error} />
      <Form
        form={form}
        layout="horizontal"
        labelCol={{ flex: '130px' }}
        initialValues={{
          name: tm.name,
          printerWidth: tm.settings.printerWidth,
          autoPrint: tm.settings.autoPrint,
          receiptCopies: tm.settings.receiptCopies,
          cashDrawer: tm.settings.cashDrawer,
          customerDisplay: tm.settings.customerDisplay,
          scaleEnabled: tm.settings.scale.enabled,
          scaleMode: tm.settings.scale.mode,
        }}
      >
        <Form.Item label={t('term.name')} name="name" rules={[{ required: true, max: 50 }]}>
          <Input />
        </Form.Item>
        <Form.Item label={t('term.printerWidth')} name="printerWidth">
          <Radio.Group
            options={[
              { value: 58, label: '58 mm' },
              { value: 80, label: '80 mm' },
            ]}
          />
        </Form.Item>
        <Form.Item label={t('term.autoPrint')} name="autoPrint" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item label={t('term.copies')} name="receiptCopies">
          <InputNumber min={0} max={3} />
        </Form.Item>
        <Form.Item label={t('term.cashDrawer')} name="cashDrawer" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item label={t('term.customerDisplay')} name="customerDisplay" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item label={t('term.scale')} name="scaleEnabled" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item label={t('term.scaleMode')} name="scaleMode">
          <Select
            options={(['barcode', 'keyboard', 'serial'] as const).map((x) => ({ value: x, label: t(`term.scaleMode.${x}`) }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CreateModal(props: {
  open: boolean;
  storeId: number | undefined;
  onClose: () => void;
  onCreated: (t: Terminal & { pairingCode: string }) => void;
}) {
  const t = useT(m);
  const [form] = Form.useForm();
  const zf = useZodForm(createTerminalBody, form);
  return (
    <Modal
      open={props.open}
      title={t('term.new')}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      confirmLoading={zf.submitting}
      destroyOnHidden
    >
      <FormError error={zf.error} />
      <Form
        form={form}
        layout="vertical"
        initialValues={{ storeId: props.storeId, printerWidth: 80 }}
        onFinish={(v) =>
          zf.submit(
            { storeId: v.storeId, code: v.code, name: v.name, settings: { printerWidth: v.printerWidth } },
            async (cmd) => {
              const r = await api.post<Terminal & { pairingCode: string }>('/api/pos/terminals', cmd);
              props.onCreated(r);
            },
          )
        }
      >
        <Form.Item label={t('common.store')} name="storeId" rules={zf.rules('storeId')}>
          <OrgSelect kinds={['store']} data-testid="term-store" />
        </Form.Item>
        <Form.Item label={t('term.code')} name="code" rules={zf.rules('code')}>
          <Input maxLength={32} data-testid="term-code" />
        </Form.Item>
        <Form.Item label={t('term.name')} name="name" rules={zf.rules('name')}>
          <Input maxLength={50} data-testid="term-name" />
        </Form.Item>
        <Form.Item label={t('term.printerWidth')} name="printerWidth">
          <Radio.Group
            options={[
              { value: 58, label: '58 mm' },
              { value: 80, label: '80 mm' },
            ]}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function TerminalsPage() {
  const t = useT(m);
  const { message } = App.useApp();
  const { can } = useSession();
  const orgLabel = useOrgLabel();
  const qc = useQueryClient();
  const [storeId, setStoreId] = useStoreId();
  const [creating, setCreating] = useState(false);
  const [code, setCode] = useState<{ code: string; terminal: string } | null>(null);
  const [editing, setEditing] = useState<Terminal | null>(null);
  const list = useQuery({
    queryKey: ['pos', 'terminals', storeId ?? null],
    queryFn: () => api.get<Terminal[]>('/api/pos/terminals', { storeId }),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['pos', 'terminals'] });
  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      await refresh();
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const columns: ColumnsType<Terminal> = [
    { title: t('term.code'), dataIndex: 'code', width: 120 },
    { title: t('term.name'), dataIndex: 'name' },
    { title: t('common.store'), dataIndex: 'storeId', render: (v: number) => orgLabel(v) },
    {
      title: t('term.status'),
      dataIndex: 'status',
      width: 110,
      render: (v: Terminal['status']) => <Tag color={statusColor[v]}>{t(`term.status.${v}`)}</Tag>,
    },
    { title: t('term.prefix'), dataIndex: 'receiptPrefix', width: 120 },
    { title: t('term.printerWidth'), key: 'w', width: 90, render: (_, r) => `${r.settings.printerWidth} mm` },
    { title: t('term.device'), dataIndex: 'deviceName', render: (v: string | null) => v ?? '—' },
    { title: t('term.pairedAt'), dataIndex: 'pairedAt', width: 150, render: fmtDateTime },
    { title: t('term.lastSeen'), dataIndex: 'lastSeenAt', width: 150, render: fmtDateTime },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 250,
      render: (_, r) => (
        <Space size="small" wrap>
          {can('pos.terminal:edit') && (
            <Button size="small" onClick={() => setEditing(r)}>
              {t('term.peripherals')}
            </Button>
          )}
          {can('pos.terminal:manage') && (
            // A till never paired gets its (first) code; a paired one is re-paired, which cuts off its device.
            <Popconfirm
              title={r.pairedAt ? t('term.resetConfirm') : t('term.generateConfirm')}
              onConfirm={() =>
                act(async () => {
                  const x = await api.post<Terminal & { pairingCode: string }>(`/api/pos/terminals/${r.id}/pairing-code`);
                  setCode({ code: x.pairingCode, terminal: `${x.code} ${x.name}` });
                })
              }
            >
              <Button size="small" data-testid={r.pairedAt ? 'term-repair' : 'term-generate-code'}>
                {r.pairedAt ? t('term.resetPairing') : t('term.generatePairing')}
              </Button>
            </Popconfirm>
          )}
          {can('pos.terminal:edit') && (
            <Button
              size="small"
              danger={r.status !== 'disabled'}
              onClick={() => act(() => api.patch(`/api/pos/terminals/${r.id}`, { active: r.status === 'disabled' }))}
            >
              {r.status === 'disabled' ? t('term.enable') : t('term.disable')}
            </Button>
          )}
        </Space>
      ),
    },
  ];
  return (
    <div>
      <PageHeader
        title={t('page.terminals')}
        extra={
          <Space>
            <StorePicker value={storeId} onChange={setStoreId} />
            <Button href="/pos/" target="_blank">
              {t('common.openTill')}
            </Button>
            {can('pos.terminal:create') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="term-new">
                {t('term.new')}
              </Button>
            )}
          </Space>
        }
      />
      <div className="erp-panel">
        {list.isError && <Alert type="error" showIcon title={errorText(list.error)} />}
        <Table<Terminal>
          size="small"
          bordered
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data ?? []}
          columns={columns}
          pagination={false}
          expandable={{ expandedRowRender: (r) => <BlocksRow id={r.id} /> }}
          scroll={{ x: 'max-content' }}
        />
      </div>
      <CreateModal
        open={creating}
        storeId={storeId}
        onClose={() => setCreating(false)}
        onCreated={(x) => {
          setCreating(false);
          setCode({ code: x.pairingCode, terminal: `${x.code} ${x.name}` });
          void refresh();
        }}
      />
      <PairingCodeModal code={code?.code ?? null} terminal={code?.terminal ?? ''} onClose={() => setCode(null)} />
      <SettingsModal
        terminal={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          void refresh();
        }}
      />
    </div>
  );
}
