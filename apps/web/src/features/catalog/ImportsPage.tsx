import { DownloadOutlined, FileExcelOutlined, UploadOutlined } from '@ant-design/icons';
import {
  IMPORT_KINDS,
  type ImportIssue,
  type ImportJobDto,
  type ImportKind,
  importBody,
  importKindLabels,
  importStatusLabels,
} from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Form,
  Modal,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api, download, errorText } from '../../shared/api';
import { DataTable } from '../../shared/DataTable';
import { ExportButton } from '../../shared/ExportButton';
import { FormError } from '../../shared/FormError';
import { fmtDateTime } from '../../shared/format';
import { useZodForm } from '../../shared/forms';
import { useLabel, useLocale, useT } from '../../shared/i18n';
import { PageHeader } from '../../shared/PageHeader';
import { useSession } from '../../shared/session';
import { m } from './messages';

const MAX_BYTES = 15 * 1024 * 1024;

/** The grant each import kind needs (the server checks the same). */
const importGrant: Record<ImportKind, string> = {
  products: 'product:import',
  barcodes: 'product:import',
  prices: 'price:import',
  suppliers: 'supplier:import',
  customers: 'customer:import',
};

function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

const statusColor = { imported: 'green', partial: 'orange', rejected: 'red' } as const;

function Report({ job }: { job: ImportJobDto }) {
  const t = useT(m);
  const label = useLabel();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const issues = job.report ?? [];
  const columns: ColumnsType<ImportIssue> = [
    { title: t('imp.row'), dataIndex: 'row', width: 70, align: 'right', render: (v: number) => (v === 0 ? '—' : v) },
    { title: t('imp.column'), dataIndex: 'column', width: 130 },
    { title: t('imp.value'), dataIndex: 'value', width: 160, ellipsis: true },
    { title: t('imp.reason'), key: 'reason', render: (_: unknown, r) => (locale === 'en' ? r.en : r.zh) },
  ];
  return (
    <div data-testid="import-report">
      {job.status === 'rejected' && (
        <Alert
          type="error"
          showIcon
          title={t('imp.rejected', { bad: job.badRows })}
          style={{ marginBottom: 12 }}
          data-testid="import-rejected"
        />
      )}
      <Descriptions bordered size="small" column={{ xs: 2, md: 4 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('imp.status')}>
          <Tag color={statusColor[job.status]} data-testid="import-status" data-status={job.status}>
            {label(importStatusLabels[job.status])}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('imp.kind')}>{label(importKindLabels[job.kind])}</Descriptions.Item>
        <Descriptions.Item label={t('imp.fileName')}>{job.fileName}</Descriptions.Item>
        <Descriptions.Item label={t('imp.ms')}>{job.ms}</Descriptions.Item>
        <Descriptions.Item label={t('imp.total')}>{job.totalRows}</Descriptions.Item>
        <Descriptions.Item label={t('imp.good')}>{job.goodRows}</Descriptions.Item>
        <Descriptions.Item label={t('imp.bad')}>
          <span data-testid="import-bad" style={job.badRows ? { color: '#cf1322', fontWeight: 600 } : undefined}>
            {job.badRows}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('imp.imported')}>
          <span data-testid="import-imported">{job.importedRows}</span>
          {job.importedRows > 0 && (
            <Typography.Text type="secondary">
              {' '}
              ({t('imp.created')} {job.createdRows} / {t('imp.updated')} {job.updatedRows})
            </Typography.Text>
          )}
        </Descriptions.Item>
      </Descriptions>
      {issues.length > 0 ? (
        <>
          <Space style={{ marginBottom: 8 }}>
            <Typography.Text strong>{t('imp.report')}</Typography.Text>
            <Button
              size="small"
              icon={<FileExcelOutlined />}
              onClick={() => download(`/api/imports/${job.id}/report`).catch((e) => message.error(errorText(e)))}
            >
              {t('imp.reportDownload')}
            </Button>
          </Space>
          <Table<ImportIssue>
            size="small"
            bordered
            rowKey={(r) => `${r.row}-${r.column ?? ''}-${r.zh}`}
            dataSource={issues}
            columns={columns}
            pagination={issues.length > 50 ? { pageSize: 50, size: 'small' } : false}
          />
        </>
      ) : (
        <Typography.Text type="success">{t('imp.noErrors')}</Typography.Text>
      )}
    </div>
  );
}

function JobModal({ id, onClose }: { id: number; onClose: () => void }) {
  const t = useT(m);
  const q = useQuery({ queryKey: ['imports', id], queryFn: () => api.get<ImportJobDto>(`/api/imports/${id}`) });
  return (
    <Modal open title={`${t('imp.result')} #${id}`} onCancel={onClose} footer={null} width={900}>
      {q.data ? <Report job={q.data} /> : q.isError ? <Alert type="error" title={errorText(q.error)} /> : null}
    </Modal>
  );
}

export default function ImportsPage() {
  const t = useT(m);
  const label = useLabel();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { can } = useSession();
  const [form] = Form.useForm();
  const zf = useZodForm(importBody, form);
  const allowed = IMPORT_KINDS.filter((k) => can(importGrant[k]));
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<ImportJobDto | null>(null);
  const [viewing, setViewing] = useState<number | null>(null);
  const kind = (Form.useWatch('kind', form) as ImportKind | undefined) ?? allowed[0];

  const run = async (v: { kind: ImportKind; goodRowsOnly?: boolean }) => {
    setResult(null);
    if (!file) {
      zf.setError(t('imp.pick'));
      return;
    }
    if (file.size > MAX_BYTES) {
      zf.setError(t('imp.fileTooBig'));
      return;
    }
    const contentBase64 = await fileToBase64(file);
    await zf.submit({ kind: v.kind, fileName: file.name, contentBase64, goodRowsOnly: !!v.goodRowsOnly }, async (cmd) => {
      const job = await api.post<ImportJobDto>('/api/imports', cmd);
      setResult(job);
      await qc.invalidateQueries({ queryKey: ['list', 'imports'] });
      await qc.invalidateQueries({ queryKey: ['list', 'products'] });
    });
  };

  const historyColumns: ColumnsType<ImportJobDto> = [
    { title: t('imp.at'), dataIndex: 'createdAt', width: 160, render: fmtDateTime },
    { title: t('imp.kind'), dataIndex: 'kind', width: 100, render: (v: ImportKind) => label(importKindLabels[v]) },
    { title: t('imp.fileName'), dataIndex: 'fileName', ellipsis: true },
    { title: t('imp.by'), dataIndex: 'login', width: 100 },
    {
      title: t('imp.status'),
      dataIndex: 'status',
      width: 130,
      render: (v: ImportJobDto['status']) => <Tag color={statusColor[v]}>{label(importStatusLabels[v])}</Tag>,
    },
    { title: t('imp.total'), dataIndex: 'totalRows', width: 70, align: 'right' },
    { title: t('imp.bad'), dataIndex: 'badRows', width: 70, align: 'right' },
    { title: t('imp.imported'), dataIndex: 'importedRows', width: 80, align: 'right' },
    {
      title: t('common.actions'),
      key: 'a',
      width: 80,
      render: (_: unknown, r) => (
        <Button type="link" size="small" onClick={() => setViewing(r.id)}>
          {t('common.detail')}
        </Button>
      ),
    },
  ];

  const exports: { url: string; grant: string; label: string }[] = [
    { url: '/api/products/export', grant: 'product:export', label: t('page.products') },
    { url: '/api/categories/export', grant: 'category:export', label: t('page.categories') },
    { url: '/api/prices/export', grant: 'price:export', label: t('page.prices') },
    { url: '/api/suppliers/export', grant: 'supplier:export', label: label(importKindLabels.suppliers) },
    { url: '/api/customers/export', grant: 'customer:export', label: label(importKindLabels.customers) },
  ].filter((e) => can(e.grant));

  return (
    <div>
      <PageHeader title={t('page.imports')} />
      <Row gutter={12}>
        <Col xs={24} xl={10}>
          {allowed.length > 0 && (
            <Card size="small" title={t('imp.run')}>
              <FormError error={zf.error} onClose={() => zf.setError(null)} />
              <Form form={form} layout="vertical" initialValues={{ kind: allowed[0], goodRowsOnly: false }} onFinish={run}>
                <Form.Item label={t('imp.kind')} name="kind" required>
                  <Select
                    options={allowed.map((k) => ({ value: k, label: label(importKindLabels[k]) }))}
                    style={{ width: 200 }}
                    data-testid="import-kind"
                  />
                </Form.Item>
                <Form.Item>
                  <Button
                    icon={<DownloadOutlined />}
                    onClick={() =>
                      download(`/api/imports/templates/${kind}`, undefined, `${kind}-template.xlsx`).catch((e) =>
                        message.error(errorText(e)),
                      )
                    }
                    data-testid="import-template"
                  >
                    {t('imp.template')}
                  </Button>
                </Form.Item>
                <Form.Item label={t('imp.file')} required>
                  <Upload
                    accept=".xlsx,.csv,.txt"
                    maxCount={1}
                    beforeUpload={(f) => {
                      setFile(f);
                      setResult(null);
                      return false;
                    }}
                    onRemove={() => {
                      setFile(null);
                    }}
                    fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
                  >
                    <Button icon={<UploadOutlined />} data-testid="import-file">
                      {t('imp.pick')}
                    </Button>
                  </Upload>
                </Form.Item>
                <Form.Item name="goodRowsOnly" valuePropName="checked" extra={t('imp.goodRowsOnlyHint')}>
                  <Checkbox data-testid="import-good-only">{t('imp.goodRowsOnly')}</Checkbox>
                </Form.Item>
                <Button
                  type="primary"
                  htmlType="submit"
                  loading={zf.submitting}
                  icon={<UploadOutlined />}
                  data-testid="import-run"
                >
                  {t('imp.run')}
                </Button>
              </Form>
            </Card>
          )}
          {exports.length > 0 && (
            <Card size="small" title={t('imp.export')} style={{ marginTop: 12 }}>
              <Typography.Paragraph type="secondary">{t('imp.exportHint')}</Typography.Paragraph>
              <Space wrap>
                {exports.map((e) => (
                  <Space key={e.url} size={4}>
                    <span>{e.label}</span>
                    <ExportButton url={e.url} />
                  </Space>
                ))}
              </Space>
            </Card>
          )}
        </Col>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('imp.result')} style={{ minHeight: 200 }}>
            {result ? <Report job={result} /> : <Typography.Text type="secondary">{t('imp.pick')}</Typography.Text>}
          </Card>
        </Col>
      </Row>
      {can('import_job:view') && (
        <div className="erp-panel" style={{ marginTop: 12 }}>
          <Typography.Title level={5}>{t('imp.history')}</Typography.Title>
          <DataTable<ImportJobDto>
            queryKey="imports"
            url="/api/imports"
            rowKey="id"
            urlPrefix="h."
            columns={historyColumns}
            exportUrl="/api/imports/export"
            exportGrant="import_job:view"
            filters={[
              {
                name: 'kind',
                label: t('imp.kind'),
                type: 'select',
                width: 140,
                options: IMPORT_KINDS.map((k) => ({ value: k, label: label(importKindLabels[k]) })),
              },
            ]}
          />
        </div>
      )}
      {viewing !== null && <JobModal id={viewing} onClose={() => setViewing(null)} />}
    </div>
  );
}
