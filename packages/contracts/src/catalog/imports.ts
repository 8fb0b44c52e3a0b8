import { z } from 'zod';
import { pageOf, pageQuery } from '../common.js';
import { entity, labelled } from '../fields.js';
import { pattern, text } from '../validation.js';

/** Bulk import of master data (MD-4). */
export const IMPORT_KINDS = ['products', 'barcodes', 'prices', 'suppliers', 'customers'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const importKindLabels = {
  products: { zh: '商品', en: 'Products' },
  barcodes: { zh: '条码', en: 'Barcodes' },
  prices: { zh: '价格', en: 'Prices' },
  suppliers: { zh: '供应商', en: 'Suppliers' },
  customers: { zh: '批发客户', en: 'Wholesale customers' },
} as const;

export const IMPORT_FORMATS = ['xlsx', 'csv', 'txt'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The upload: the file as base64 in JSON (bodyLimit 20 MB, so files up to ~15 MB). */
export const importBody = entity(
  'import',
  z.object({
    kind: z.enum(IMPORT_KINDS),
    fileName: text()
      .trim()
      .min(1)
      .max(200)
      .check(pattern(/\.(xlsx|csv|txt)$/i, 'file_type', { types: '.xlsx、.csv、.txt' })),
    contentBase64: text().min(1),
    /** Import the rows without errors and skip the bad ones; otherwise one bad row refuses the whole file. */
    goodRowsOnly: z.boolean().default(false),
  }),
);
export type ImportCommand = z.input<typeof importBody>;

export const importIssueDto = z.object({
  /** Row number as the user sees it in the file (the header is row 1); 0 = the file as a whole. */
  row: z.number(),
  column: z.string().nullable(),
  value: z.string().nullable(),
  zh: z.string(),
  en: z.string(),
});
export type ImportIssue = z.infer<typeof importIssueDto>;

export const IMPORT_STATUSES = ['imported', 'partial', 'rejected'] as const;
export const importStatusLabels = {
  imported: { zh: '已导入', en: 'Imported' },
  partial: { zh: '部分导入', en: 'Partly imported' },
  rejected: { zh: '已拒绝（未导入）', en: 'Rejected (nothing imported)' },
} as const;

export const importJobDto = z.object({
  id: z.number(),
  kind: z.enum(IMPORT_KINDS),
  fileName: z.string(),
  format: z.enum(IMPORT_FORMATS),
  orgId: z.number(),
  userId: z.number().nullable(),
  login: z.string().nullable(),
  status: z.enum(IMPORT_STATUSES),
  goodRowsOnly: z.boolean(),
  totalRows: z.number(),
  goodRows: z.number(),
  badRows: z.number(),
  importedRows: z.number(),
  createdRows: z.number(),
  updatedRows: z.number(),
  ms: z.number(),
  createdAt: z.string(),
  /** Every bad row and why (the whole report; lists omit it). */
  report: z.array(importIssueDto).optional(),
});
export type ImportJobDto = z.infer<typeof importJobDto>;
export const importJobPage = pageOf(importJobDto);
// Field-level labels here: these queries are narrowed with .omit() for exports, which keeps field schemas
// (and their labels) but not an entity set on the object.
const importKind = labelled('import.kind', z.enum(IMPORT_KINDS));
export const importJobListQuery = pageQuery.extend({ kind: importKind.optional() });
export const importKindParams = z.object({ kind: importKind });
