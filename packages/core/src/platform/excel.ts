import ExcelJS from 'exceljs';

export interface ExportColumn<T> {
  /** Header in the user's language. */
  header: string;
  /** Cell value; decimal strings are written as numbers with the column's format. */
  value: (row: T) => string | number | boolean | Date | null | undefined;
  width?: number;
  /** Excel number format, e.g. '0.00' for money, '0.000' for quantities. */
  numFmt?: string;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * Every list and report exports through this (ANA-4): one sheet, bold frozen header, decimals as numbers
 * (Excel shows what the screen shows; the exact value is kept to the column's places).
 */
export async function exportXlsx<T>(sheetName: string, columns: ExportColumn<T>[], rows: Iterable<T>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'chain-retail-erp';
  const ws = wb.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c, i) => ({
    header: c.header,
    key: String(i),
    width: c.width ?? Math.max(10, c.header.length * 2 + 2),
  }));
  ws.getRow(1).font = { bold: true };
  for (const row of rows) {
    const values = columns.map((c) => {
      const v = c.value(row);
      return typeof v === 'string' && c.numFmt && DECIMAL.test(v) ? Number(v) : (v ?? null);
    });
    ws.addRow(values);
  }
  columns.forEach((c, i) => {
    if (c.numFmt) ws.getColumn(i + 1).numFmt = c.numFmt;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The most rows one export carries (the whole catalog export excepted); lists past it are narrowed with
 * filters first — a report beyond that belongs in a BI tool.
 */
export const EXPORT_LIMIT = 100_000;

/** A column header in the caller's language. */
export function header(ctx: { locale: string }, zh: string, en: string): string {
  return ctx.locale === 'en' ? en : zh;
}
