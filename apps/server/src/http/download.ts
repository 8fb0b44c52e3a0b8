import { XLSX_MIME } from '@erp/core';
import type { FastifyReply } from 'fastify';

/**
 * Turns an .xlsx export into a download named `<name>-<date>.xlsx` (ANA-4). The route returns the buffer; the
 * route wrapper sends it with these headers. Non-ASCII names (商品) go in the RFC 5987 `filename*`.
 */
export function xlsxDownload(reply: FastifyReply, name: string, content: Buffer): Buffer {
  const base = name.replace(/\.xlsx$/i, '');
  const file = /\d{4}-\d{2}-\d{2}$/.test(base) ? `${base}.xlsx` : `${base}-${new Date().toISOString().slice(0, 10)}.xlsx`;
  const ascii = file.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '');
  reply
    .header('content-type', XLSX_MIME)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file)}`);
  return content;
}
