import { authorize, type Ctx } from '../platform/context.js';
import { EXPORT_LIMIT, exportXlsx, header } from '../platform/excel.js';
import { listUsers } from './user.service.js';

/** Users as .xlsx. */
export async function exportUsers(ctx: Ctx, q: { orgId?: number; q?: string }): Promise<Buffer> {
  authorize(ctx, 'user', 'export');
  const { items } = await listUsers(ctx, { ...q, page: 1, pageSize: EXPORT_LIMIT });
  return exportXlsx(
    header(ctx, '用户', 'Users'),
    [
      { header: header(ctx, '登录名', 'Login'), value: (r: (typeof items)[number]) => r.login },
      { header: header(ctx, '姓名', 'Name'), value: (r) => r.name },
      { header: header(ctx, '所属机构', 'Org'), value: (r) => r.orgName, width: 24 },
      { header: header(ctx, '启用', 'Active'), value: (r) => r.active },
      { header: header(ctx, '语言', 'Language'), value: (r) => r.locale },
      { header: header(ctx, '锁定至', 'Locked until'), value: (r) => r.lockedUntil },
    ],
    items,
  );
}
