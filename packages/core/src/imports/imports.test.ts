import { isDomainError } from '@erp/contracts';
import { asUser, buildTestChain, type TestChain, useTestDatabase } from '@erp/test-kit';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCategory, createSimple, findProductByBarcode, getProduct, listProducts, unitTable } from '../catalog/index.js';
import { createPartner } from '../partners/index.js';
import type { Ctx } from '../platform/context.js';
import { resolvePrice } from '../pricing/index.js';
import { decodeText, parseDelimited, readTable } from './imports.files.js';
import { wallTime } from './imports.rows.js';
import { getImportJob, importReportXlsx, importTemplate, listImportJobs, runImport } from './imports.service.js';

const database = useTestDatabase();
let chain: TestChain;
const admin = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), chain.users.hqAdmin, fn);
const b64 = (s: string | Buffer) => (typeof s === 'string' ? Buffer.from(s, 'utf8') : s).toString('base64');
const page = { page: 1, pageSize: 100, order: 'asc' as const };

async function xlsxOf(rows: (string | number | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('商品');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function productCount(prefix: string): Promise<number> {
  const r = await database()
    .db.selectFrom('product')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('code', 'like', `${prefix}%`)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

beforeAll(async () => {
  chain = await buildTestChain(database());
  await admin(async (ctx) => {
    await createSimple(ctx, unitTable, { code: 'PING', name: '瓶' });
    await createSimple(ctx, unitTable, { code: 'XIANG', name: '箱' });
    const food = await createCategory(ctx, { code: '01', name: '食品' });
    await createCategory(ctx, { parentId: food.id, code: '0101', name: '饮料' });
    await createPartner(ctx, 'supplier', { code: 'S001', name: '杭州娃哈哈集团有限公司' });
  });
});

describe('file reading', () => {
  it('parses CSV with quotes, embedded delimiters and line breaks, and tab-separated text', () => {
    expect(parseDelimited('a,b\n"x, y","say ""hi"""\r\n"multi\nline",2', ',')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['multi\nline', '2'],
    ]);
    expect(parseDelimited('a\tb\n1\t2\n', '\t')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('reads UTF-8 with BOM and GB18030 (GBK) text from Chinese Excel', () => {
    expect(decodeText(Buffer.from('\ufeff商品编码,名称', 'utf8'))).toBe('商品编码,名称');
    // "商品" in GBK.
    expect(decodeText(Buffer.from([0xc9, 0xcc, 0xc6, 0xb7]))).toBe('商品');
  });

  it('reads wall-clock times in the chain time zone', () => {
    expect(wallTime(2026, 1, 31, 8, 0).toISOString()).toBe('2026-01-31T00:00:00.000Z');
  });

  it('produces templates whose headers read back as the kind columns', async () => {
    const buf = await admin((ctx) => importTemplate(ctx, 'products'));
    const t = await readTable(buf, 'xlsx');
    expect(t.headers.slice(0, 3)).toEqual(['商品编码*', '商品名称', '规格']);
    expect(t.rows).toEqual([]);
  });
});

describe('imports (MD-4)', () => {
  it('refuses a file with one bad row whole, reporting every bad row in zh-CN and en', async () => {
    const csv = [
      '商品编码,商品名称,主条码,基本单位,类别,零售价',
      'IMP001,可乐,6901234567892,瓶,0101,3.00',
      'IMP002,雪碧,6901234567893,瓶,0101,3.00',
      'IMP003,芬达,,盒,0101,abc',
      'IMP004,橙汁,,瓶,0101,4.50',
    ].join('\n');
    const job = await admin((ctx) => runImport(ctx, { kind: 'products', fileName: 'products.csv', contentBase64: b64(csv) }));
    expect(job.status).toBe('rejected');
    expect(job).toMatchObject({ totalRows: 4, goodRows: 2, badRows: 2, importedRows: 0 });
    expect(job.report?.map((i) => [i.row, i.column])).toEqual([
      [3, '主条码'],
      [4, '基本单位'],
      [4, '零售价'],
    ]);
    expect(job.report?.[0]?.zh).toContain('校验位错误');
    expect(job.report?.[0]?.en).toContain('Wrong check digit');
    expect(await productCount('IMP')).toBe(0);
    // The job is kept with its report, and the report downloads as .xlsx.
    const again = await admin((ctx) => getImportJob(ctx, job.id));
    expect(again.report).toHaveLength(3);
    const report = await readTable(await admin((ctx) => importReportXlsx(ctx, job.id)), 'xlsx');
    expect(report.rows).toHaveLength(3);
  });

  it('imports exactly the good rows when asked to', async () => {
    const csv = [
      '商品编码,商品名称,主条码,基本单位,类别,零售价',
      'IMP001,可乐,6901234567892,瓶,0101,3.00',
      'IMP002,雪碧,6901234567893,瓶,0101,3.00',
      'IMP004,橙汁,,瓶,0101,4.50',
    ].join('\n');
    const job = await admin((ctx) =>
      runImport(ctx, { kind: 'products', fileName: 'p.csv', contentBase64: b64(csv), goodRowsOnly: true }),
    );
    expect(job).toMatchObject({ status: 'partial', goodRows: 2, badRows: 1, importedRows: 2, createdRows: 2 });
    const codes = (await admin((ctx) => listProducts(ctx, { ...page, code: 'IMP' }))).items.map((p) => p.code);
    expect(codes).toEqual(['IMP001', 'IMP004']);
    const cola = (await findProductByBarcode(database().db, '6901234567892'))!;
    expect(cola.product).toMatchObject({ code: 'IMP001', baseUnitName: '瓶', categoryName: '饮料', pinyin: 'kl' });
    expect(
      await resolvePrice(database().db, {
        productId: cola.product.id,
        storeId: chain.storeA.id,
        priceType: 'retail',
        at: new Date('2020-01-01'),
      }),
    ).toBe('3.00');
  });

  it('imports .xlsx, updating existing products with what the file states only, and re-prices from now', async () => {
    const buf = await xlsxOf([
      ['code', 'name', 'packUnit', 'packFactor', 'retailPrice', 'supplier', 'batchTracked', 'shelfLifeDays'],
      ['IMP001', null, '箱', 24, 3.2, 'S001', '是', 365],
      ['IMP010', '矿泉水 550ml', null, null, 2, '杭州娃哈哈集团有限公司', null, null],
    ]);
    const job = await admin((ctx) => runImport(ctx, { kind: 'products', fileName: '商品.xlsx', contentBase64: b64(buf) }));
    expect(job).toMatchObject({ status: 'imported', importedRows: 2, createdRows: 1, updatedRows: 1 });
    const cola = (await findProductByBarcode(database().db, '6901234567892'))!.product;
    expect(cola).toMatchObject({
      name: '可乐',
      baseUnitName: '瓶',
      batchTracked: true,
      shelfLifeDays: 365,
      defaultSupplierName: '杭州娃哈哈集团有限公司',
    });
    expect(cola.units).toEqual([expect.objectContaining({ unitName: '箱', factor: '24' })]);
    const past = new Date(Date.now() - 60_000);
    expect(
      await resolvePrice(database().db, { productId: cola.id, storeId: chain.storeA.id, priceType: 'retail', at: past }),
    ).toBe('3.00');
    expect(
      await resolvePrice(database().db, {
        productId: cola.id,
        storeId: chain.storeA.id,
        priceType: 'retail',
        at: new Date(Date.now() + 1000),
      }),
    ).toBe('3.20');
    const audit = await database()
      .db.selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('entity', '=', 'product')
      .where('entity_id', '=', String(cola.id))
      .where('action', '=', 'update')
      .execute();
    expect(audit.length).toBeGreaterThan(0);
  });

  it('imports suppliers from tab-separated text and customers with credit limits', async () => {
    const txt = ['供应商编码\t名称\t联系人\t账期(天)', 'S100\t农夫山泉股份有限公司\t钟经理\t45', 'S001\t\t王经理\t'].join('\r\n');
    const job = await admin((ctx) => runImport(ctx, { kind: 'suppliers', fileName: 'suppliers.txt', contentBase64: b64(txt) }));
    expect(job).toMatchObject({ status: 'imported', createdRows: 1, updatedRows: 1 });
    const cust = ['code,name,creditLimit,priceType', 'C001,西湖区机关食堂,50000,wholesale', 'C002,,abc,'].join('\n');
    const bad = await admin((ctx) => runImport(ctx, { kind: 'customers', fileName: 'c.csv', contentBase64: b64(cust) }));
    expect(bad.status).toBe('rejected');
    expect(bad.report?.map((i) => i.column)).toEqual(['名称', '信用额度']);
  });

  it('imports barcodes and store prices, refusing codes held by another product and past start times', async () => {
    const imp4 = (await admin((ctx) => listProducts(ctx, { ...page, code: 'IMP004' }))).items[0]!;
    const csv = ['productCode,barcode,kind,unit', 'IMP004,96385074,,', 'IMP004,JZ-01,店内码,', 'IMP010,6901234567892,,'].join(
      '\n',
    );
    const job = await admin((ctx) => runImport(ctx, { kind: 'barcodes', fileName: 'b.csv', contentBase64: b64(csv) }));
    expect(job.status).toBe('rejected');
    expect(job.report?.[0]?.zh).toContain('IMP001');
    const ok = await admin((ctx) =>
      runImport(ctx, { kind: 'barcodes', fileName: 'b.csv', contentBase64: b64(csv), goodRowsOnly: true }),
    );
    expect(ok.importedRows).toBe(2);
    const p = await admin((ctx) => getProduct(ctx, imp4.id));
    expect(p.barcodes.map((b) => b.barcode)).toEqual(['96385074', 'JZ-01']);

    const prices = [
      '商品编码,价格类型,价格,范围,门店编码,生效时间',
      'IMP004,会员价,4.20,门店,SA,',
      'IMP004,零售价,4.00,全部门店,,2000-01-01',
      'IMP004,零售价,4.10,门店,NOPE,',
    ].join('\n');
    const pj = await admin((ctx) => runImport(ctx, { kind: 'prices', fileName: 'prices.csv', contentBase64: b64(prices) }));
    expect(pj.report?.map((i) => [i.row, i.column])).toEqual([
      [3, '生效时间'],
      [4, '门店编码'],
    ]);
    await admin((ctx) =>
      runImport(ctx, { kind: 'prices', fileName: 'prices.csv', contentBase64: b64(prices), goodRowsOnly: true }),
    );
    const later = new Date(Date.now() + 1000);
    expect(
      await resolvePrice(database().db, { productId: imp4.id, storeId: chain.storeA.id, priceType: 'member', at: later }),
    ).toBe('4.20');
    expect(
      await resolvePrice(database().db, { productId: imp4.id, storeId: chain.storeB.id, priceType: 'member', at: later }),
    ).toBeNull();
  });

  it('reports a file without the required columns, and refuses store users', async () => {
    const job = await admin((ctx) => runImport(ctx, { kind: 'products', fileName: 'x.csv', contentBase64: b64('名称\n可乐\n') }));
    expect(job.status).toBe('rejected');
    expect(job.report?.[0]?.zh).toContain('缺少必填列');
    const e = await asUser(database(), chain.users.storeASuper, (ctx) =>
      runImport(ctx, { kind: 'products', fileName: 'x.csv', contentBase64: b64('code,name\nZ1,z\n') }),
    ).catch((err) => err);
    expect(isDomainError(e, 'MASTER_DATA_HQ_ONLY')).toBe(true);
    const history = await admin((ctx) => listImportJobs(ctx, { ...page }));
    expect(history.total).toBeGreaterThanOrEqual(8);
    expect(history.items[0]?.report).toBeUndefined();
  });
});
