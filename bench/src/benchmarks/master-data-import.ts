import { dec, money, withCheckDigit } from '@erp/contracts';
import { asSystem, createCategory, createSimple, exportXlsx, unitTable } from '@erp/core';
import type { BenchContext, Benchmark, Figure } from '../model.js';
import { round } from '../stats.js';

const PER_50K_SECONDS = 60;

interface Row {
  i: number;
}

/** The products template's columns (MD-4), filled the way a buyer's spreadsheet would be. */
const columns = [
  { header: '商品编码', value: (r: Row) => `I${String(r.i + 1).padStart(6, '0')}` },
  {
    header: '商品名称',
    value: (r: Row) => `${['农夫山泉饮用天然水', '可口可乐', '乐事薯片', '金龙鱼大米'][r.i % 4]} 导入${r.i + 1}`,
  },
  { header: '规格', value: (r: Row) => ['550ml', '330ml', '70g', '5kg'][r.i % 4] },
  { header: '主条码', value: (r: Row) => withCheckDigit(`692${String(r.i + 1).padStart(9, '0')}`) },
  { header: '基本单位', value: () => '瓶' },
  { header: '包装单位', value: () => '箱' },
  { header: '包装换算', value: () => 24 },
  { header: '类别', value: (r: Row) => `01${String(r.i % 20).padStart(2, '0')}` },
  { header: '税率%', value: () => 13 },
  { header: '零售价', value: (r: Row) => money(dec(2).plus(dec(r.i % 50).dividedBy(10))), numFmt: '0.00' },
  { header: '会员价', value: (r: Row) => money(dec('1.8').plus(dec(r.i % 50).dividedBy(10))), numFmt: '0.00' },
  { header: '进价', value: (r: Row) => money(dec('1.1').plus(dec(r.i % 50).dividedBy(10))), numFmt: '0.00' },
];

/**
 * MD-4: a master-data import of new products from .xlsx through the API (upload as base64 JSON, parse,
 * validate every row, write products, barcodes, pack units and prices, the row-by-row report). Units and
 * categories the file refers to are created through the services first. The figure is the request.
 */
export const masterDataImport: Benchmark = {
  id: 'master-data-import',
  title: '基础资料导入 Import of products from .xlsx',
  figures: [{ id: 'import', engines: ['pglite', 'postgres'] }],
  async run(ctx: BenchContext): Promise<Figure[]> {
    const { db } = ctx.engine.database;
    const rows = ctx.scale.importRows;
    await asSystem(db, async (c) => {
      await createSimple(c, unitTable, { code: 'PING', name: '瓶' });
      await createSimple(c, unitTable, { code: 'XIANG', name: '箱' });
      const food = await createCategory(c, { code: '01', name: '食品饮料' });
      for (let i = 0; i < 20; i++) {
        await createCategory(c, { parentId: food.id, code: `01${String(i).padStart(2, '0')}`, name: `子类${i + 1}` });
      }
    });
    const file = await exportXlsx(
      '商品',
      columns,
      Array.from({ length: rows }, (_, i) => ({ i })),
    );
    const server = await ctx.server();
    const admin = await server.login(ctx.chain.users.hqAdmin.login, ctx.chain.users.hqAdmin.password);
    const res = await server.request('POST', '/api/imports', admin, {
      kind: 'products',
      fileName: `products-${rows}.xlsx`,
      contentBase64: file.toString('base64'),
    });
    if (res.status !== 201) throw new Error(`import: ${res.status} ${res.body.slice(0, 500)}`);
    const job = JSON.parse(res.body) as { status: string; createdRows: number; badRows: number; ms: number };
    if (job.status !== 'imported' || job.createdRows !== rows) {
      throw new Error(
        `import ${job.status}: ${job.createdRows} created, ${job.badRows} bad of ${rows}: ${res.body.slice(0, 500)}`,
      );
    }
    const seconds = res.ms / 1000;
    const bound = round((PER_50K_SECONDS * rows) / 50_000, 1);
    ctx.log(`import of ${rows} products: ${seconds.toFixed(1)} s`);
    return [
      {
        benchmark: this.id,
        id: 'import',
        engine: ctx.engine.kind,
        name: `POST /api/imports — ${rows.toLocaleString('en')} new products from .xlsx (${(file.length / 1e6).toFixed(1)} MB)`,
        value: round(seconds, 2),
        unit: 's',
        ...(ctx.engine.kind === 'pglite'
          ? {
              ratio: round(seconds / bound, 2),
              target: {
                on: 'value',
                op: '<=',
                bound,
                text: `≤ 60 s per 50,000 rows on PGlite${rows === 50_000 ? '' : ` (${bound} s for ${rows.toLocaleString('en')})`}`,
              } as const,
            }
          : {}),
        detail: { rows, fileBytes: file.length, serviceMs: job.ms },
      },
    ];
  },
};
