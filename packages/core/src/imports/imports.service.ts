import {
  DomainError,
  type ImportCommand,
  type ImportIssue,
  type ImportJobDto,
  type ImportKind,
  importBody,
  importKindLabels,
  importStatusLabels,
  type PageQuery,
} from '@erp/contracts';
import ExcelJS from 'exceljs';
import { recordAudit } from '../audit/audit.service.js';
import { assertMasterDataWriter, iso } from '../catalog/index.js';
import { authorize, type Ctx } from '../platform/context.js';
import { type ExportColumn, exportXlsx } from '../platform/excel.js';
import { formatOf, readTable, type Table } from './imports.files.js';
import { kinds } from './imports.kinds.js';
import { mapHeaders, RowReader } from './imports.rows.js';

/** Rows one file may hold. */
export const IMPORT_MAX_ROWS = 100_000;
/** Issues kept in a job's report; beyond that one closing line says how many more there were. */
const REPORT_LIMIT = 20_000;

const fileIssue = (zh: string, en: string): ImportIssue => ({ row: 0, column: null, value: null, zh, en });

interface JobRecord {
  kind: ImportKind;
  fileName: string;
  format: string;
  goodRowsOnly: boolean;
  totalRows: number;
  goodRows: number;
  badRows: number;
  importedRows: number;
  createdRows: number;
  updatedRows: number;
  report: ImportIssue[];
  startedAt: number;
}

async function saveJob(ctx: Ctx, j: JobRecord): Promise<ImportJobDto> {
  const status =
    j.importedRows > 0 ? (j.badRows > 0 ? 'partial' : 'imported') : j.badRows > 0 || j.report.length ? 'rejected' : 'imported';
  const report =
    j.report.length > REPORT_LIMIT
      ? [
          ...j.report.slice(0, REPORT_LIMIT),
          fileIssue(
            `……另有 ${j.report.length - REPORT_LIMIT} 条问题未列出`,
            `…and ${j.report.length - REPORT_LIMIT} more issues not listed`,
          ),
        ]
      : j.report;
  const row = await ctx.db
    .insertInto('import_job')
    .values({
      kind: j.kind,
      file_name: j.fileName,
      format: j.format,
      org_id: ctx.actor.orgId,
      user_id: ctx.actor.userId || null,
      login: ctx.actor.login,
      status,
      good_rows_only: j.goodRowsOnly,
      total_rows: j.totalRows,
      good_rows: j.goodRows,
      bad_rows: j.badRows,
      imported_rows: j.importedRows,
      created_rows: j.createdRows,
      updated_rows: j.updatedRows,
      report: JSON.stringify(report),
      ms: Date.now() - j.startedAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const dto = toJobDto(row, true);
  const { report: _omit, ...summary } = dto;
  await recordAudit(ctx, { action: 'import', entity: 'import_job', entityId: row.id, after: summary });
  return dto;
}

type JobRow = {
  id: number;
  kind: string;
  file_name: string;
  format: string;
  org_id: number;
  user_id: number | null;
  login: string | null;
  status: 'imported' | 'partial' | 'rejected';
  good_rows_only: boolean;
  total_rows: number;
  good_rows: number;
  bad_rows: number;
  imported_rows: number;
  created_rows: number;
  updated_rows: number;
  report: unknown;
  ms: number;
  created_at: Date | string;
};

function toJobDto(r: JobRow, withReport: boolean): ImportJobDto {
  return {
    id: r.id,
    kind: r.kind as ImportKind,
    fileName: r.file_name,
    format: r.format as ImportJobDto['format'],
    orgId: r.org_id,
    userId: r.user_id,
    login: r.login,
    status: r.status,
    goodRowsOnly: r.good_rows_only,
    totalRows: r.total_rows,
    goodRows: r.good_rows,
    badRows: r.bad_rows,
    importedRows: r.imported_rows,
    createdRows: r.created_rows,
    updatedRows: r.updated_rows,
    ms: r.ms,
    createdAt: iso(r.created_at),
    ...(withReport ? { report: (typeof r.report === 'string' ? JSON.parse(r.report) : r.report) as ImportIssue[] } : {}),
  };
}

/**
 * Imports a master-data file (MD-4): .xlsx (first sheet), .csv or .txt (tab-separated), header row first.
 * Every row is checked and every problem reported, in zh-CN and en, with its row number. A file with any
 * bad row imports nothing — unless `goodRowsOnly`, then exactly the good rows are imported. Either way a
 * job record keeps who, when, what and the report. Good rows are written in a few batched statements.
 */
export async function runImport(ctx: Ctx, input: ImportCommand): Promise<ImportJobDto> {
  const cmd = importBody.parse(input);
  const def = kinds[cmd.kind];
  authorize(ctx, def.fn, 'import');
  await assertMasterDataWriter(ctx);
  const startedAt = Date.now();
  const format = formatOf(cmd.fileName) as 'xlsx' | 'csv' | 'txt';
  const job: JobRecord = {
    kind: cmd.kind,
    fileName: cmd.fileName,
    format,
    goodRowsOnly: cmd.goodRowsOnly,
    totalRows: 0,
    goodRows: 0,
    badRows: 0,
    importedRows: 0,
    createdRows: 0,
    updatedRows: 0,
    report: [],
    startedAt,
  };
  let table: Table;
  try {
    table = await readTable(Buffer.from(cmd.contentBase64, 'base64'), format);
  } catch (e) {
    job.report.push(
      fileIssue(
        `无法读取文件（${(e as Error).message}）；请确认是 ${format} 格式`,
        `The file cannot be read (${(e as Error).message}); is it really ${format}?`,
      ),
    );
    return saveJob(ctx, job);
  }
  if (table.rows.length > IMPORT_MAX_ROWS) throw new DomainError('IMPORT_TOO_LARGE', { max: IMPORT_MAX_ROWS });
  job.totalRows = table.rows.length;
  const index = mapHeaders(table.headers, def.columns);
  const missing = def.columns.filter((c) => c.required && !index.has(c.key));
  if (missing.length) {
    job.report.push({
      row: 1,
      column: null,
      value: null,
      zh: `缺少必填列：${missing.map((c) => c.zh).join('、')}（请使用导入模板）`,
      en: `Missing required columns: ${missing.map((c) => c.en).join(', ')} (use the import template)`,
    });
    job.badRows = job.totalRows;
    return saveJob(ctx, job);
  }
  if (!table.rows.length) {
    job.report.push(fileIssue('文件没有数据行', 'The file has no data rows'));
    return saveJob(ctx, job);
  }
  const readers = table.rows.map((r) => new RowReader(r.rowNo, r.cells, index, def.columns));
  const good = await def.check(ctx, readers);
  for (const r of readers) job.report.push(...r.issues);
  job.goodRows = good.size;
  job.badRows = readers.length - good.size;
  if (job.badRows > 0 && !cmd.goodRowsOnly) return saveJob(ctx, job);
  if (good.size) {
    const written = await def.write(ctx, [...good.values()], { import: cmd.fileName });
    job.importedRows = good.size;
    job.createdRows = written.created;
    job.updatedRows = written.updated;
  }
  return saveJob(ctx, job);
}

export async function listImportJobs(ctx: Ctx, q: PageQuery & { kind?: ImportKind | undefined }) {
  authorize(ctx, 'import_job', 'view');
  let query = ctx.db.selectFrom('import_job').where('org_id', 'in', [...ctx.scope.ids, -1]);
  if (q.kind) query = query.where('kind', '=', q.kind);
  if (q.q) query = query.where((eb) => eb.or([eb('file_name', 'ilike', `%${q.q}%`), eb('login', 'ilike', `%${q.q}%`)]));
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await query
    .selectAll()
    .orderBy('id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return { items: rows.map((r) => toJobDto(r as JobRow, false)), total: Number(total), page: q.page, pageSize: q.pageSize };
}

/** The import history as .xlsx. */
export async function exportImportJobs(ctx: Ctx, q: { kind?: ImportKind | undefined; q?: string | undefined }): Promise<Buffer> {
  authorize(ctx, 'import_job', 'view');
  const page = await listImportJobs(ctx, { page: 1, pageSize: 100_000, order: 'desc', ...q });
  const zh = ctx.locale !== 'en';
  const columns: ExportColumn<ImportJobDto>[] = [
    { header: zh ? '编号' : 'No.', value: (j) => j.id },
    { header: zh ? '时间' : 'Time', value: (j) => new Date(j.createdAt), numFmt: 'yyyy-mm-dd hh:mm', width: 18 },
    { header: zh ? '操作人' : 'User', value: (j) => j.login },
    { header: zh ? '类型' : 'Kind', value: (j) => (zh ? importKindLabels[j.kind].zh : importKindLabels[j.kind].en) },
    { header: zh ? '文件' : 'File', value: (j) => j.fileName, width: 24 },
    {
      header: zh ? '结果' : 'Outcome',
      value: (j) => (zh ? importStatusLabels[j.status].zh : importStatusLabels[j.status].en),
      width: 16,
    },
    { header: zh ? '总行数' : 'Rows', value: (j) => j.totalRows },
    { header: zh ? '错误行' : 'Bad rows', value: (j) => j.badRows },
    { header: zh ? '已导入' : 'Imported', value: (j) => j.importedRows },
    { header: zh ? '新增' : 'Created', value: (j) => j.createdRows },
    { header: zh ? '更新' : 'Updated', value: (j) => j.updatedRows },
    { header: zh ? '耗时(毫秒)' : 'ms', value: (j) => j.ms },
  ];
  return exportXlsx(zh ? '导入记录' : 'Imports', columns, page.items);
}

export async function getImportJob(ctx: Ctx, id: number): Promise<ImportJobDto> {
  authorize(ctx, 'import_job', 'view');
  const row = await ctx.db.selectFrom('import_job').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || !ctx.scope.has(row.org_id)) throw new DomainError('NOT_FOUND', { entity: 'import_job', id });
  return toJobDto(row as JobRow, true);
}

/** A job's report as .xlsx: every bad row and why, in both languages. */
export async function importReportXlsx(ctx: Ctx, id: number): Promise<Buffer> {
  const job = await getImportJob(ctx, id);
  const zh = ctx.locale !== 'en';
  const columns: ExportColumn<ImportIssue>[] = [
    { header: zh ? '行号' : 'Row', value: (i) => i.row || (zh ? '文件' : 'file'), width: 8 },
    { header: zh ? '列' : 'Column', value: (i) => i.column, width: 16 },
    { header: zh ? '值' : 'Value', value: (i) => i.value, width: 20 },
    { header: zh ? '问题' : 'Problem', value: (i) => (zh ? i.zh : i.en), width: 50 },
    { header: zh ? '问题（英文）' : 'Problem (Chinese)', value: (i) => (zh ? i.en : i.zh), width: 50 },
  ];
  const status = importStatusLabels[job.status];
  const title = `${zh ? importKindLabels[job.kind].zh : importKindLabels[job.kind].en} ${zh ? status.zh : status.en}`;
  return exportXlsx(title, columns, job.report ?? []);
}

/** The template of a kind: one sheet of headers (code columns formatted as text) and a help sheet. */
export async function importTemplate(ctx: Ctx, kind: ImportKind): Promise<Buffer> {
  const def = kinds[kind];
  authorize(ctx, def.fn, 'import');
  const zh = ctx.locale !== 'en';
  const wb = new ExcelJS.Workbook();
  wb.creator = 'chain-retail-erp';
  const ws = wb.addWorksheet(zh ? importKindLabels[kind].zh : importKindLabels[kind].en, {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  ws.columns = def.columns.map((c) => ({
    header: `${zh ? c.zh : c.en}${c.required ? '*' : ''}`,
    key: c.key,
    width: Math.max(12, (zh ? c.zh.length * 2 : c.en.length) + 4),
    ...(c.text ? { style: { numFmt: '@' } } : {}),
  }));
  ws.getRow(1).font = { bold: true };
  const help = wb.addWorksheet(zh ? '填写说明' : 'Help');
  help.columns = [
    { header: zh ? '列名' : 'Column', key: 'name', width: 18 },
    { header: zh ? '英文列名' : 'Chinese name', key: 'alt', width: 22 },
    { header: zh ? '必填' : 'Required', key: 'required', width: 8 },
    { header: zh ? '说明' : 'Notes', key: 'help', width: 50 },
    { header: zh ? '示例' : 'Example', key: 'example', width: 22 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of def.columns) {
    help.addRow({
      name: zh ? c.zh : c.en,
      alt: zh ? c.en : c.zh,
      required: c.required ? (zh ? '是' : 'yes') : '',
      help: zh ? c.help[0] : c.help[1],
      example: c.example,
    });
  }
  help.addRow({});
  help.addRow({
    name: zh
      ? '第一行为列名（中文、英文均可）；有任何错误行时整个文件不导入，除非选择“只导入正确的行”。'
      : 'The first row holds the column names (Chinese or English); a file with any bad row imports nothing unless you choose to import the good rows only.',
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
