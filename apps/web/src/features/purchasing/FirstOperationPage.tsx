import { CheckOutlined, CloseOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import {
  createFirstOperationBody,
  FIRST_OPERATION_KINDS,
  firstOperationKindLabels,
  partnerProposal,
  productProposal,
} from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Radio, Space, Tag } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, errorText } from '../../shared/api';
import { CommentModal } from '../../shared/CommentModal';
import { DocStatusTag } from '../../shared/docs';
import { FormError } from '../../shared/FormError';
import { fmtDate, fmtDateTime } from '../../shared/format';
import { useZodForm } from '../../shared/forms';
import { useLabel, useT } from '../../shared/i18n';
import { OrgSelect, useOrgLabel } from '../../shared/orgs';
import { PageHeader } from '../../shared/PageHeader';
import { useSession } from '../../shared/session';
import { DocActions } from '../documents/DocActions';
import { DocLoading, HistoryLink, RejectNote } from '../documents/DocParts';
import type { FirstOperationDetail } from './api';
import { m } from './messages';

type Kind = (typeof FIRST_OPERATION_KINDS)[number];

interface Values {
  orgId?: number;
  kind?: Kind;
  reason?: string;
  remarks?: string;
  proposal?: {
    code?: string;
    name?: string;
    spec?: string;
    barcode?: string;
    purchase?: string;
    retail?: string;
    shortName?: string;
    contact?: string;
    phone?: string;
    address?: string;
    licenseNo?: string;
  };
}

/** The proposal as master data takes it (a product with its barcode and first prices, or a partner). */
function proposalOf(kind: Kind, p: NonNullable<Values['proposal']>): Record<string, unknown> {
  const v = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);
  if (kind === 'product') {
    const prices = { ...(v(p.purchase) ? { purchase: v(p.purchase) } : {}), ...(v(p.retail) ? { retail: v(p.retail) } : {}) };
    return {
      code: v(p.code),
      name: v(p.name),
      spec: v(p.spec),
      ...(v(p.barcode) ? { barcodes: [{ barcode: v(p.barcode) }] } : {}),
      ...(Object.keys(prices).length ? { prices } : {}),
    };
  }
  return {
    code: v(p.code),
    name: v(p.name),
    shortName: v(p.shortName),
    contact: v(p.contact),
    phone: v(p.phone),
    address: v(p.address),
    licenseNo: v(p.licenseNo),
  };
}

/**
 * 首营申请 (MD-5): a store allowed to buy for itself proposes a product, supplier or manufacturer; HQ approves
 * (which creates the master record) or rejects with a comment.
 */
export default function FirstOperationPage() {
  const t = useT(m);
  const label = useLabel();
  const { id: idParam } = useParams();
  const id = idParam ? Number(idParam) : undefined;
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { can, currentOrg, orgs } = useSession();
  const orgLabel = useOrgLabel();
  const [form] = Form.useForm<Values>();
  const zf = useZodForm(createFirstOperationBody, form);
  const kind = (Form.useWatch('kind', form) as Kind | undefined) ?? 'product';
  const zp = useZodForm(kind === 'product' ? productProposal : partnerProposal, form);
  const [deciding, setDeciding] = useState<'approve' | 'reject' | null>(null);
  const doc = useQuery({
    queryKey: ['documents', id, 'first-op'],
    queryFn: () => api.get<FirstOperationDetail>(`/api/first-operations/${id}`),
    enabled: id !== undefined,
  });
  const d = doc.data;

  const create = async (submit: boolean) => {
    const v = form.getFieldsValue(true) as Values;
    const k = v.kind ?? 'product';
    await zf.submit(
      { orgId: v.orgId, kind: k, reason: v.reason, remarks: v.remarks, proposal: proposalOf(k, v.proposal ?? {}) },
      async (cmd) => {
        const created = await api.post<FirstOperationDetail>('/api/first-operations', cmd);
        if (submit) await api.post(`/api/documents/${created.id}/transitions`, { action: 'submit' });
        await qc.invalidateQueries({ queryKey: ['list'] });
        message.success(t(submit ? 'fo.submitted' : 'fo.saved', { number: created.number }));
        navigate(`/purchasing/first-operations/${created.id}`, { replace: true });
      },
    );
  };

  if (id !== undefined && !d) return <DocLoading query={doc} back="/purchasing/first-operations" />;

  if (!d) {
    const defaultOrg = currentOrg?.kind === 'store' ? currentOrg.id : orgs.find((o) => o.kind === 'store')?.id;
    return (
      <div>
        <PageHeader
          title={t('page.firstOpNew')}
          extra={
            <Space>
              <Button onClick={() => navigate('/purchasing/first-operations')}>{t('common.back')}</Button>
              <Button
                icon={<SaveOutlined />}
                loading={zf.submitting}
                onClick={() =>
                  void form.validateFields().then(
                    () => create(false),
                    () => undefined,
                  )
                }
              >
                {t('common.save')}
              </Button>
              <Button
                type="primary"
                icon={<SendOutlined />}
                loading={zf.submitting}
                onClick={() =>
                  void form.validateFields().then(
                    () => create(true),
                    () => undefined,
                  )
                }
                data-testid="fo-submit"
              >
                {t('fo.saveAndSubmit')}
              </Button>
            </Space>
          }
        />
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('fo.hint')} />
        <FormError error={zf.error} onClose={() => zf.setError(null)} />
        <Form form={form} layout="vertical" initialValues={{ orgId: defaultOrg, kind: 'product' }} className="erp-panel">
          <Space wrap size={[24, 0]} align="start">
            <Form.Item label={t('doc.store')} {...zf.item('orgId')}>
              <OrgSelect kinds={['store']} allowClear={false} style={{ width: 220 }} />
            </Form.Item>
            <Form.Item label={t('fo.kind')} name="kind" required>
              <Radio.Group
                optionType="button"
                options={FIRST_OPERATION_KINDS.map((k) => ({ value: k, label: label(firstOperationKindLabels[k]) }))}
              />
            </Form.Item>
          </Space>
          <Card size="small" title={t('fo.proposal')} style={{ marginBottom: 16 }}>
            <Space wrap size={[24, 0]} align="start">
              <Form.Item label={t('fo.code')} name={['proposal', 'code']} rules={zp.rules(['code'])} required>
                <Input style={{ width: 160 }} maxLength={32} />
              </Form.Item>
              <Form.Item label={t('fo.name')} name={['proposal', 'name']} rules={zp.rules(['name'])} required>
                <Input style={{ width: 260 }} maxLength={100} />
              </Form.Item>
              {kind === 'product' ? (
                <>
                  <Form.Item label={t('fo.spec')} name={['proposal', 'spec']} rules={zp.rules(['spec'])}>
                    <Input style={{ width: 140 }} maxLength={100} />
                  </Form.Item>
                  <Form.Item label={t('fo.barcode')} name={['proposal', 'barcode']}>
                    <Input style={{ width: 160 }} maxLength={32} inputMode="numeric" />
                  </Form.Item>
                  <Form.Item label={t('fo.purchasePrice')} name={['proposal', 'purchase']}>
                    <Input style={{ width: 110 }} prefix="¥" inputMode="decimal" />
                  </Form.Item>
                  <Form.Item label={t('fo.retailPrice')} name={['proposal', 'retail']}>
                    <Input style={{ width: 110 }} prefix="¥" inputMode="decimal" />
                  </Form.Item>
                </>
              ) : (
                <>
                  <Form.Item label={t('fo.shortName')} name={['proposal', 'shortName']} rules={zp.rules(['shortName'])}>
                    <Input style={{ width: 140 }} maxLength={50} />
                  </Form.Item>
                  <Form.Item label={t('fo.contact')} name={['proposal', 'contact']} rules={zp.rules(['contact'])}>
                    <Input style={{ width: 120 }} maxLength={50} />
                  </Form.Item>
                  <Form.Item label={t('fo.phone')} name={['proposal', 'phone']} rules={zp.rules(['phone'])}>
                    <Input style={{ width: 150 }} maxLength={50} />
                  </Form.Item>
                  <Form.Item label={t('fo.licenseNo')} name={['proposal', 'licenseNo']} rules={zp.rules(['licenseNo'])}>
                    <Input style={{ width: 200 }} maxLength={100} />
                  </Form.Item>
                  <Form.Item label={t('fo.address')} name={['proposal', 'address']} rules={zp.rules(['address'])}>
                    <Input style={{ width: 320 }} maxLength={200} />
                  </Form.Item>
                </>
              )}
            </Space>
          </Card>
          <Space wrap size={[24, 0]} align="start">
            <Form.Item label={t('fo.reason')} {...zf.item('reason')}>
              <Input style={{ width: 400 }} maxLength={500} />
            </Form.Item>
            <Form.Item label={t('common.remarks')} {...zf.item('remarks')}>
              <Input style={{ width: 300 }} maxLength={1000} />
            </Form.Item>
          </Space>
        </Form>
      </div>
    );
  }

  const a = d.attrs as { kind?: Kind; reason?: string; proposal?: Record<string, unknown> };
  const p = a.proposal ?? {};
  const prices = (p.prices ?? {}) as Record<string, string>;
  const barcodes = (p.barcodes ?? []) as { barcode: string }[];
  const canDecide = d.status === 'pending_approval' && can('doc.first_operation:approve');
  const decide = async (decision: 'approve' | 'reject', comment?: string) => {
    try {
      await api.post(`/api/first-operations/${d.id}/decision`, { decision, comment });
      message.success(t(decision === 'approve' ? 'fo.approved' : 'fo.rejected', { number: d.number }));
      setDeciding(null);
      await qc.invalidateQueries({ queryKey: ['documents', id] });
      await qc.invalidateQueries({ queryKey: ['list'] });
    } catch (e) {
      message.error({ content: errorText(e), duration: 8 });
    }
  };
  const shown: [string, unknown][] = [
    [t('fo.code'), p.code],
    [t('fo.name'), p.name],
    [t('fo.spec'), p.spec],
    [t('fo.barcode'), barcodes.map((b) => b.barcode).join(' ')],
    [t('fo.purchasePrice'), prices.purchase],
    [t('fo.retailPrice'), prices.retail],
    [t('fo.shortName'), p.shortName],
    [t('fo.contact'), p.contact],
    [t('fo.phone'), p.phone],
    [t('fo.licenseNo'), p.licenseNo],
    [t('fo.address'), p.address],
  ];
  return (
    <div>
      <PageHeader
        title={
          <Space>
            <span data-testid="doc-number">{d.number}</span>
            {a.kind && <Tag>{label(firstOperationKindLabels[a.kind])}</Tag>}
            <DocStatusTag status={d.status} />
          </Space>
        }
        extra={
          <Space wrap>
            <Button onClick={() => navigate('/purchasing/first-operations')}>{t('common.back')}</Button>
            <DocActions
              doc={d}
              exclude={['approve', 'reject', 'confirm']}
              onDone={() => qc.invalidateQueries({ queryKey: ['documents', id] })}
            />
            {canDecide && (
              <>
                <Button type="primary" icon={<CheckOutlined />} onClick={() => setDeciding('approve')} data-testid="fo-approve">
                  {t('fo.approve')}
                </Button>
                <Button danger icon={<CloseOutlined />} onClick={() => setDeciding('reject')} data-testid="fo-reject">
                  {t('fo.reject')}
                </Button>
              </>
            )}
            <HistoryLink id={d.id} />
          </Space>
        }
      />
      <RejectNote status={d.status} comment={d.rejectComment} />
      {d.result && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 12 }}
          title={
            <Space>
              {t('fo.created')}
              {d.result.productId ? (
                <Link to={`/catalog/products/${d.result.productId}`}>{String(p.code)}</Link>
              ) : (
                <span>{String(p.code)}</span>
              )}
              <span>{fmtDateTime(d.result.decidedAt)}</span>
            </Space>
          }
        />
      )}
      <div className="erp-panel">
        <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label={t('doc.store')}>{orgLabel(d.orgId)}</Descriptions.Item>
          <Descriptions.Item label={t('doc.businessDate')}>{fmtDate(d.businessDate)}</Descriptions.Item>
          <Descriptions.Item label={t('fo.reason')}>{a.reason}</Descriptions.Item>
          {shown
            .filter(([, v]) => v !== undefined && v !== null && v !== '')
            .map(([k, v]) => (
              <Descriptions.Item key={k} label={k}>
                {String(v)}
              </Descriptions.Item>
            ))}
          {d.remarks && <Descriptions.Item label={t('common.remarks')}>{d.remarks}</Descriptions.Item>}
        </Descriptions>
      </div>
      {deciding && (
        <CommentModal
          title={deciding === 'approve' ? t('fo.approve') : t('fo.reject')}
          warning={deciding === 'approve' ? t('fo.approveWarning') : undefined}
          required={deciding === 'reject'}
          danger={deciding === 'reject'}
          onClose={() => setDeciding(null)}
          onOk={(comment) => decide(deciding, comment)}
        />
      )}
    </div>
  );
}
