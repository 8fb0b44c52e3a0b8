import { orgKindLabels } from '@erp/contracts';
import { authorize, type Ctx } from '../platform/context.js';
import { exportXlsx, header } from '../platform/excel.js';
import { listOrgs, type OrgDto } from './org.service.js';

/** Orgs as .xlsx (ANA-4). */
export async function exportOrgs(ctx: Ctx): Promise<Buffer> {
  authorize(ctx, 'org', 'export');
  const rows = await listOrgs(ctx);
  return exportXlsx<OrgDto>(
    header(ctx, '机构', 'Orgs'),
    [
      { header: header(ctx, '编码', 'Code'), value: (r) => r.code },
      { header: header(ctx, '名称', 'Name'), value: (r) => r.name, width: 30 },
      {
        header: header(ctx, '类型', 'Kind'),
        value: (r) => (ctx.locale === 'en' ? orgKindLabels[r.kind].en : orgKindLabels[r.kind].zh),
      },
      { header: header(ctx, '经营方式', 'Mode'), value: (r) => r.storeMode ?? '' },
      { header: header(ctx, '区域', 'Region'), value: (r) => r.region },
      { header: header(ctx, '地址', 'Address'), value: (r) => r.address, width: 40 },
      { header: header(ctx, '电话', 'Phone'), value: (r) => r.phone },
      { header: header(ctx, '启用', 'Active'), value: (r) => r.active },
    ],
    rows,
  );
}
