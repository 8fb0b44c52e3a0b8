import { type DocStatus, type DocType, docStatusLabels, docTypes } from '@erp/contracts';
import { authorize, type Ctx } from '../platform/context.js';
import { EXPORT_LIMIT, exportXlsx, header } from '../platform/excel.js';
import { listDocuments } from './documents.service.js';

/** Documents (headers) as .xlsx, with the list's filters. */
export async function exportDocuments(ctx: Ctx, q: Parameters<typeof listDocuments>[1]): Promise<Buffer> {
  const { items } = await listDocuments(ctx, { ...q, page: 1, pageSize: EXPORT_LIMIT });
  if (q.docType) authorize(ctx, `doc.${q.docType}` as never, 'export');
  const rows = items.filter((d) => ctx.actor.grants.has(`doc.${d.docType}:export`));
  return exportXlsx(
    header(ctx, '单据', 'Documents'),
    [
      { header: header(ctx, '单号', 'Number'), value: (r: (typeof rows)[number]) => r.number, width: 24 },
      {
        header: header(ctx, '类型', 'Type'),
        value: (r) => (ctx.locale === 'en' ? docTypes[r.docType as DocType].en : docTypes[r.docType as DocType].zh),
      },
      { header: header(ctx, '机构', 'Org'), value: (r) => r.orgName, width: 20 },
      { header: header(ctx, '营业日', 'Business day'), value: (r) => r.businessDate },
      {
        header: header(ctx, '状态', 'Status'),
        value: (r) =>
          ctx.locale === 'en' ? docStatusLabels[r.status as DocStatus].en : docStatusLabels[r.status as DocStatus].zh,
      },
      { header: header(ctx, '数量', 'Quantity'), value: (r) => r.totalQty, numFmt: '0.000' },
      { header: header(ctx, '金额', 'Amount'), value: (r) => r.totalAmount, numFmt: '0.00' },
      { header: header(ctx, '备注', 'Remarks'), value: (r) => r.remarks, width: 30 },
    ],
    rows,
  );
}
