import { HOTKEY_ACTIONS, type HotkeyAction, type ReceiptTemplate, ROUNDING_MODES, ROUNDING_UNITS } from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Row,
  Select,
  Space,
  Spin,
  Switch,
  Table,
  Tabs,
  Tag,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { LocalReceipt } from '../../pos/db';
import { DEFAULT_HOTKEYS, eventKey } from '../../pos/hotkeys';
import { tm } from '../../pos/messages';
import { Receipt } from '../../pos/ui/Receipt';
import { api, errorText } from '../../shared/api';
import { fmtDateTime } from '../../shared/format';
import { useLabel, useT } from '../../shared/i18n';
import { PageHeader } from '../../shared/PageHeader';
import { useRoles } from '../../shared/selects';
import { useSession } from '../../shared/session';
import { m } from './messages';
import { StorePicker, useStoreId } from './stores';

interface StoreSettings {
  storeId: number;
  rounding: { unit: (typeof ROUNDING_UNITS)[number]; mode: (typeof ROUNDING_MODES)[number] };
  hotkeys: { action: HotkeyAction; key: string }[];
  receiptTemplates: { '58': ReceiptTemplate; '80': ReceiptTemplate };
  allowOfflineAuthorization: boolean;
  authorizationTtlSeconds: number;
  sellExpired: boolean;
}

interface Cashier {
  userId: number;
  login: string;
  name: string;
  hasPin: boolean;
  ownDiscountRate: string | null;
  effectiveDiscountRate: string;
  canAuthorize: boolean;
  lockedUntil: string | null;
}

function useSave(storeId: number) {
  const { message } = App.useApp();
  const t = useT(m);
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const save = async (patch: Partial<Omit<StoreSettings, 'storeId'>>) => {
    setBusy(true);
    try {
      const r = await api.put<StoreSettings>(`/api/pos/stores/${storeId}/settings`, patch);
      qc.setQueryData(['pos', 'settings', storeId], r);
      message.success(t('common.saved'));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return { save, busy };
}

/** 热键设置: click a key box and press the key; duplicates are refused before saving. */
function HotkeysTab({ storeId, settings }: { storeId: number; settings: StoreSettings }) {
  const t = useT(m);
  const tt = useT(tm);
  const { can } = useSession();
  const { save, busy } = useSave(storeId);
  const [keys, setKeys] = useState<Partial<Record<HotkeyAction, string>>>({});
  const [capturing, setCapturing] = useState<HotkeyAction | null>(null);
  useEffect(() => {
    setKeys(Object.fromEntries(settings.hotkeys.map((h) => [h.action, h.key])));
  }, [settings.hotkeys]);
  const dupOf = (action: HotkeyAction, key: string | undefined) =>
    key ? HOTKEY_ACTIONS.find((a) => a !== action && keys[a]?.toLowerCase() === key.toLowerCase()) : undefined;
  const problems = HOTKEY_ACTIONS.map((a) => dupOf(a, keys[a])).filter(Boolean);
  const editable = can('pos.settings:edit');
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Alert type="info" showIcon title={t('set.hotkeys.hint')} />
      <Table
        size="small"
        bordered
        pagination={false}
        rowKey={(a) => a}
        dataSource={[...HOTKEY_ACTIONS]}
        columns={[
          { title: t('set.action'), key: 'a', render: (_: unknown, a: HotkeyAction) => tt(`action.${a}` as 'action.pay') },
          {
            title: t('set.key'),
            key: 'k',
            width: 260,
            render: (_: unknown, a: HotkeyAction) => {
              const dup = dupOf(a, keys[a]);
              return (
                <Space>
                  <Input
                    readOnly
                    disabled={!editable}
                    style={{ width: 140, fontFamily: 'monospace' }}
                    value={capturing === a ? t('set.hotkeys.press') : (keys[a] ?? '')}
                    placeholder={t('set.hotkeys.none')}
                    status={dup ? 'error' : undefined}
                    onFocus={() => setCapturing(a)}
                    onBlur={() => setCapturing(null)}
                    onKeyDown={(e) => {
                      if (e.key === 'Tab') return;
                      e.preventDefault();
                      if (['Control', 'Alt', 'Shift', 'Meta'].includes(e.key)) return;
                      if (e.key === 'Backspace' || e.key === 'Delete') {
                        setKeys({ ...keys, [a]: undefined });
                        return;
                      }
                      setKeys({ ...keys, [a]: eventKey(e.nativeEvent) });
                      (e.target as HTMLInputElement).blur();
                    }}
                    data-testid={`hotkey-${a}`}
                  />
                  {dup && (
                    <Tag color="red">{t('set.hotkeys.dup', { key: keys[a], action: tt(`action.${dup}` as 'action.pay') })}</Tag>
                  )}
                </Space>
              );
            },
          },
        ]}
      />
      {editable && (
        <Space>
          <Button
            type="primary"
            loading={busy}
            disabled={problems.length > 0}
            onClick={() =>
              save({
                hotkeys: HOTKEY_ACTIONS.filter((a) => keys[a]).map((a) => ({ action: a, key: keys[a] as string })),
              })
            }
            data-testid="hotkeys-save"
          >
            {t('common.save')}
          </Button>
          <Button onClick={() => setKeys(Object.fromEntries(DEFAULT_HOTKEYS.map((h) => [h.action, h.key])))}>
            {t('set.hotkeys.reset')}
          </Button>
        </Space>
      )}
    </Space>
  );
}

function GeneralTab({ storeId, settings }: { storeId: number; settings: StoreSettings }) {
  const t = useT(m);
  const { can } = useSession();
  const { save, busy } = useSave(storeId);
  const [form] = Form.useForm();
  return (
    <Form
      form={form}
      layout="horizontal"
      labelCol={{ flex: '220px' }}
      style={{ maxWidth: 760 }}
      disabled={!can('pos.settings:edit')}
      initialValues={{
        unit: settings.rounding.unit,
        mode: settings.rounding.mode,
        allowOfflineAuthorization: settings.allowOfflineAuthorization,
        authorizationTtlSeconds: settings.authorizationTtlSeconds,
        sellExpired: settings.sellExpired,
      }}
      onFinish={(v) =>
        save({
          rounding: { unit: v.unit, mode: v.mode },
          allowOfflineAuthorization: v.allowOfflineAuthorization,
          authorizationTtlSeconds: v.authorizationTtlSeconds,
          sellExpired: v.sellExpired,
        })
      }
    >
      <Form.Item label={t('set.rounding.unit')} name="unit">
        <Radio.Group options={ROUNDING_UNITS.map((u) => ({ value: u, label: t(`set.rounding.unit.${u}`) }))} />
      </Form.Item>
      <Form.Item label={t('set.rounding.mode')} name="mode">
        <Radio.Group options={ROUNDING_MODES.map((u) => ({ value: u, label: t(`set.rounding.mode.${u}`) }))} />
      </Form.Item>
      <Form.Item
        label={t('set.offline')}
        name="allowOfflineAuthorization"
        valuePropName="checked"
        extra={t('set.allowOfflineAuthorization')}
      >
        <Switch />
      </Form.Item>
      <Form.Item label={t('set.authTtl')} name="authorizationTtlSeconds">
        <InputNumber min={30} max={3600} />
      </Form.Item>
      <Form.Item label={t('set.expired')} name="sellExpired" valuePropName="checked" extra={t('set.sellExpired')}>
        <Switch data-testid="set-sell-expired" />
      </Form.Item>
      <Form.Item label=" " colon={false}>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('common.save')}
        </Button>
      </Form.Item>
    </Form>
  );
}

const SAMPLE: LocalReceipt = {
  receiptNo: 'T01-00000123',
  kind: 'sale',
  soldAt: new Date().toISOString(),
  cashierName: '张三',
  terminalCode: 'T01',
  lines: [
    { name: '农夫山泉饮用天然水 550ml', qty: '2', unitPrice: '2.00', amount: '4.00', discount: '0.00' },
    { name: '伊利纯牛奶 250ml', qty: '1', unitPrice: '3.50', amount: '3.15', discount: '0.35' },
  ],
  gross: '7.50',
  discount: '0.35',
  rounding: '0.00',
  total: '7.15',
  tenders: [{ method: 'cash', amount: '10.00' }],
  paid: '10.00',
  change: '2.85',
  savings: '0.35',
  offline: false,
};

function TemplatesTab({ storeId, settings }: { storeId: number; settings: StoreSettings }) {
  const t = useT(m);
  const { can } = useSession();
  const { currentOrg, orgs } = useSession();
  const { save, busy } = useSave(storeId);
  const [width, setWidth] = useState<'58' | '80'>('80');
  const [tpl, setTpl] = useState<StoreSettings['receiptTemplates']>(settings.receiptTemplates);
  useEffect(() => setTpl(settings.receiptTemplates), [settings.receiptTemplates]);
  const cur = tpl[width];
  const set = (patch: Partial<ReceiptTemplate>) => setTpl({ ...tpl, [width]: { ...cur, ...patch } });
  const store = orgs.find((o) => o.id === storeId) ?? currentOrg;
  // The preview prints this store's own header lines (a line whose placeholder the store lacks is left out).
  const org = useQuery({
    queryKey: ['orgs', storeId],
    queryFn: () => api.get<{ address: string | null; phone: string | null }>(`/api/orgs/${storeId}`),
    staleTime: 60_000,
  });
  const qrKind = cur.qr === 'none' ? 'none' : cur.qr === 'receipt_no' ? 'receipt_no' : 'url';
  return (
    <Row gutter={24}>
      <Col span={14}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Radio.Group
            value={width}
            onChange={(e) => setWidth(e.target.value)}
            options={[
              { value: '58', label: '58 mm' },
              { value: '80', label: '80 mm' },
            ]}
            optionType="button"
          />
          <div>{t('set.template.header')}</div>
          <Input.TextArea
            rows={4}
            value={cur.header.join('\n')}
            onChange={(e) => set({ header: e.target.value.split('\n').slice(0, 10) })}
          />
          <div>{t('set.template.footer')}</div>
          <Input.TextArea
            rows={3}
            value={cur.footer.join('\n')}
            onChange={(e) => set({ footer: e.target.value.split('\n').slice(0, 10) })}
          />
          <Checkbox checked={cur.showSavings} onChange={(e) => set({ showSavings: e.target.checked })}>
            {t('set.template.showSavings')}
          </Checkbox>
          <Checkbox checked={cur.showCashier} onChange={(e) => set({ showCashier: e.target.checked })}>
            {t('set.template.showCashier')}
          </Checkbox>
          <Checkbox checked={cur.showBarcode} onChange={(e) => set({ showBarcode: e.target.checked })}>
            {t('set.template.showBarcode')}
          </Checkbox>
          <Space>
            <span>{t('set.template.qr')}</span>
            <Select
              value={qrKind}
              style={{ width: 200 }}
              onChange={(k) => set({ qr: k === 'url' ? 'https://example.com/r/{receiptNo}' : k })}
              options={(['receipt_no', 'none', 'url'] as const).map((k) => ({ value: k, label: t(`set.template.qr.${k}`) }))}
            />
            {qrKind === 'url' && <Input value={cur.qr} onChange={(e) => set({ qr: e.target.value })} style={{ width: 320 }} />}
          </Space>
          {can('pos.settings:edit') && (
            <Button type="primary" loading={busy} onClick={() => save({ receiptTemplates: tpl })} data-testid="templates-save">
              {t('common.save')}
            </Button>
          )}
        </Space>
      </Col>
      <Col span={10}>
        <Card size="small" title={`${t('set.template.preview')} · ${width} mm`}>
          <div style={{ background: '#f5f5f5', padding: 12, display: 'flex', justifyContent: 'center' }}>
            <Receipt
              receipt={SAMPLE}
              template={cur}
              width={Number(width) as 58 | 80}
              store={{
                name: store?.name ?? '',
                code: store?.code ?? '',
                address: org.data?.address ?? null,
                phone: org.data?.phone ?? null,
              }}
            />
          </div>
        </Card>
      </Col>
    </Row>
  );
}

function CashiersTab({ storeId }: { storeId: number }) {
  const t = useT(m);
  const label = useLabel();
  const { message } = App.useApp();
  const { can } = useSession();
  const qc = useQueryClient();
  const roles = useRoles();
  const cashiers = useQuery({
    queryKey: ['pos', 'cashiers', storeId],
    queryFn: () => api.get<Cashier[]>(`/api/pos/stores/${storeId}/cashiers`),
  });
  const limits = useQuery({
    queryKey: ['pos', 'discount-limits', storeId],
    queryFn: () =>
      api.get<{ roleId: number; roleCode: string; roleName: string; maxDiscountRate: string }[]>('/api/pos/discount-limits', {
        orgId: storeId,
      }),
  });
  const [pinFor, setPinFor] = useState<Cashier | null>(null);
  const [pin, setPin] = useState('');
  const [roleId, setRoleId] = useState<number | undefined>(undefined);
  const [rate, setRate] = useState<string>('');
  const editable = can('pos.settings:edit');
  const refresh = () => qc.invalidateQueries({ queryKey: ['pos', 'cashiers', storeId] });
  const put = async (userId: number, body: { pin?: string; maxDiscountRate?: string | null }) => {
    try {
      await api.put(`/api/pos/cashiers/${userId}`, body);
      message.success(t('common.saved'));
      await refresh();
      return true;
    } catch (e) {
      message.error(errorText(e));
      return false;
    }
  };
  const roleOptions = useMemo(
    () => (roles.data ?? []).map((r) => ({ value: r.id, label: `${r.code} ${label(r)}` })),
    [roles.data, label],
  );
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Table<Cashier>
        title={() => t('set.cashiers')}
        size="small"
        bordered
        rowKey="userId"
        loading={cashiers.isFetching}
        pagination={false}
        dataSource={cashiers.data ?? []}
        columns={[
          { title: t('common.cashier'), key: 'c', render: (_, c) => `${c.login} ${c.name}` },
          {
            title: t('set.cashiers.hasPin'),
            dataIndex: 'hasPin',
            width: 100,
            render: (v: boolean) => (
              <Tag color={v ? 'green' : 'orange'}>{v ? t('set.cashiers.pinSet') : t('set.cashiers.pinMissing')}</Tag>
            ),
          },
          {
            title: t('set.cashiers.ownRate'),
            dataIndex: 'ownDiscountRate',
            width: 170,
            render: (v: string | null, c) =>
              editable ? (
                <InputNumber
                  min={0}
                  max={100}
                  step={1}
                  defaultValue={v === null ? undefined : Number(v)}
                  placeholder={t('set.cashiers.rateHint')}
                  style={{ width: 150 }}
                  onBlur={(e) => {
                    const raw = e.target.value.trim();
                    const next = raw === '' ? null : raw;
                    if (next !== v) void put(c.userId, { maxDiscountRate: next });
                  }}
                />
              ) : (
                (v ?? '—')
              ),
          },
          { title: t('set.cashiers.effective'), dataIndex: 'effectiveDiscountRate', width: 110, align: 'right' },
          { title: t('set.cashiers.supervisor'), dataIndex: 'canAuthorize', width: 80, render: (v: boolean) => (v ? '✓' : '') },
          { title: t('set.cashiers.locked'), dataIndex: 'lockedUntil', width: 150, render: fmtDateTime },
          ...(editable
            ? [
                {
                  key: 'pin',
                  width: 130,
                  render: (_: unknown, c: Cashier) => (
                    <Button size="small" onClick={() => setPinFor(c)} data-testid={`set-pin-${c.login}`}>
                      {t('set.cashiers.setPin')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Table
        title={() => t('set.roleLimits')}
        size="small"
        bordered
        rowKey="roleId"
        pagination={false}
        dataSource={limits.data ?? []}
        columns={[
          { title: t('set.role'), key: 'r', render: (_: unknown, r) => `${r.roleCode} ${r.roleName}` },
          { title: t('set.rate'), dataIndex: 'maxDiscountRate', align: 'right' },
        ]}
        footer={
          editable
            ? () => (
                <Space>
                  <Select
                    style={{ width: 240 }}
                    value={roleId}
                    onChange={setRoleId}
                    options={roleOptions}
                    placeholder={t('set.role')}
                  />
                  <Input style={{ width: 100 }} value={rate} onChange={(e) => setRate(e.target.value)} placeholder="%" />
                  <Button
                    disabled={!roleId || !rate}
                    onClick={async () => {
                      try {
                        await api.put('/api/pos/discount-limits', { orgId: storeId, roleId, maxDiscountRate: rate });
                        message.success(t('common.saved'));
                        await qc.invalidateQueries({ queryKey: ['pos', 'discount-limits', storeId] });
                        await refresh();
                      } catch (e) {
                        message.error(errorText(e));
                      }
                    }}
                  >
                    {t('set.addRoleLimit')}
                  </Button>
                </Space>
              )
            : undefined
        }
      />
      <Modal
        open={!!pinFor}
        title={`${t('set.cashiers.setPin')} · ${pinFor?.login ?? ''}`}
        onCancel={() => setPinFor(null)}
        okButtonProps={{ disabled: !/^\d{6,12}$/.test(pin) }}
        onOk={async () => {
          if (pinFor && (await put(pinFor.userId, { pin }))) {
            setPinFor(null);
            setPin('');
          }
        }}
        destroyOnHidden
      >
        <Input.Password
          value={pin}
          onChange={(e) => setPin(e.target.value)}
          placeholder={t('set.cashiers.pin')}
          inputMode="numeric"
          data-testid="pin-input"
        />
      </Modal>
    </Space>
  );
}

export default function SettingsPage() {
  const t = useT(m);
  const [storeId, setStoreId] = useStoreId();
  const q = useQuery({
    queryKey: ['pos', 'settings', storeId],
    queryFn: () => api.get<StoreSettings>(`/api/pos/stores/${storeId}/settings`),
    enabled: !!storeId,
  });
  return (
    <div>
      <PageHeader title={t('page.settings')} extra={<StorePicker value={storeId} onChange={setStoreId} />} />
      <div className="erp-panel">
        {!storeId ? (
          <Empty description={t('common.pickStore')} />
        ) : q.isError ? (
          <Alert type="error" showIcon title={errorText(q.error)} />
        ) : !q.data ? (
          <Spin />
        ) : (
          <Tabs
            items={[
              { key: 'hotkeys', label: t('set.hotkeys'), children: <HotkeysTab storeId={storeId} settings={q.data} /> },
              { key: 'templates', label: t('set.templates'), children: <TemplatesTab storeId={storeId} settings={q.data} /> },
              { key: 'general', label: t('set.rounding'), children: <GeneralTab storeId={storeId} settings={q.data} /> },
              { key: 'cashiers', label: t('set.cashiers'), children: <CashiersTab storeId={storeId} /> },
            ]}
          />
        )}
      </div>
    </div>
  );
}
