import { authorize, type Ctx } from '../platform/context.js';
import { EXPORT_LIMIT, exportXlsx, header } from '../platform/excel.js';
import { type AuditQuery, listAudit } from './audit.service.js';

/** Audit entries as .xlsx. */
export async function exportAudit(ctx: Ctx, q: Omit<AuditQuery, 'page' | 'pageSize'>): Promise<Buffer> {
  authorize(ctx, 'audit', 'export');
  const { items } = await listAudit(ctx, { ...q, page: 1, pageSize: EXPORT_LIMIT });
  return exportXlsx(
    header(ctx, '审计日志', 'Audit log'),
    [
      { header: header(ctx, '时间', 'At'), value: (r: (typeof items)[number]) => r.at, width: 22 },
      { header: header(ctx, '用户', 'User'), value: (r) => r.login },
      { header: 'IP', value: (r) => r.ip },
      { header: header(ctx, '操作', 'Action'), value: (r) => r.action },
      { header: header(ctx, '对象', 'Entity'), value: (r) => r.entity },
      { header: header(ctx, '对象编号', 'Entity id'), value: (r) => r.entity_id },
      { header: header(ctx, '修改前', 'Before'), value: (r) => (r.before ? JSON.stringify(r.before) : ''), width: 50 },
      { header: header(ctx, '修改后', 'After'), value: (r) => (r.after ? JSON.stringify(r.after) : ''), width: 50 },
      { header: header(ctx, '说明', 'Detail'), value: (r) => (r.detail ? JSON.stringify(r.detail) : ''), width: 40 },
    ],
    items,
  );
}
