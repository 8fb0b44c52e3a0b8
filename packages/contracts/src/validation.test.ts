import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDocumentBody } from './document-api.js';
import { FIELD_LABELS } from './field-labels.js';
import { checkedLater, entity, metaOf } from './fields.js';
import {
  createPartnerBody,
  createProductBody,
  createPurchaseOrderBody,
  firstOperationAttrs,
  openStoreBody,
  saleBody,
} from './index.js';
import { type DescribeOptions, describeIssues, isCleanText, messageWithRow, text } from './validation.js';

/** Parses `input` with `schema` and returns the field messages in both languages, by path. */
function messages(schema: z.ZodType, input: unknown, opts: Omit<DescribeOptions, 'schema' | 'input'> = {}) {
  const r = schema.safeParse(input);
  if (r.success) throw new Error('expected a failure');
  const issues = describeIssues(r.error.issues as never, { schema, input, ...opts });
  return Object.fromEntries(issues.map((i) => [i.path, { zh: i.messageZh, en: i.messageEn, code: i.code }]));
}

describe('clean text (issue 9, item 7)', () => {
  it('refuses NUL, other C0 controls and lone surrogates; keeps tab, newline, CR and real emoji', () => {
    for (const bad of [
      'a\u0000b',
      '\u0001',
      '\u001b[31m',
      'x\u000b',
      'x\u000c',
      'lone \ud800',
      'lone \udfff end',
      '\udc00\ud800',
    ]) {
      expect(isCleanText(bad), JSON.stringify(bad)).toBe(false);
    }
    for (const good of ['苹果 550ml', 'a\tb', 'line\nline', 'crlf\r\n', '😀 emoji', '𠮷野家', '']) {
      expect(isCleanText(good), JSON.stringify(good)).toBe(true);
    }
  });

  it('a part the service checks item by item says so, through its wrappers', () => {
    const sales = checkedLater('each sale is booked or queued on its own', z.array(z.unknown())).max(500).optional();
    expect(metaOf(sales).checkedLater).toBe('each sale is booked or queued on its own');
    expect(metaOf(z.array(z.unknown())).checkedLater).toBeUndefined();
  });

  it('text() says so on the field, in both languages, and keeps the usual chain working', () => {
    const schema = entity('product', z.object({ code: text().trim().min(1).max(5) }));
    expect(messages(schema, { code: 'a\u0000' })).toEqual({
      code: {
        zh: '商品编码含有不能使用的字符（控制字符或残缺的文字编码）',
        en: 'Product code contains characters that cannot be used (control characters or broken text encoding)',
        code: 'bad_text',
      },
    });
    expect(schema.parse({ code: '  ab ' })).toEqual({ code: 'ab' });
    expect(messages(schema, { code: 'abcdef' }).code?.zh).toBe('商品编码最多 5 个字');
  });
});

describe('messages a person can read (issue 9, item 8)', () => {
  it('product create submitted empty: every required field is asked for by its label', () => {
    const zh = messages(createProductBody, {});
    expect(zh.code).toMatchObject({ zh: '请填写商品编码', en: 'Enter the product code', code: 'required' });
    expect(zh.name).toMatchObject({ zh: '请填写商品名称', en: 'Enter the product name' });
    // An emptied text box (trimmed to nothing) reads the same as a missing one.
    expect(messages(createProductBody, { code: '   ', name: 'x' }).code?.zh).toBe('请填写商品编码');
  });

  it('product create: too long, wrong characters, a bad barcode row and a price', () => {
    const m = messages(createProductBody, {
      code: 'A'.repeat(40),
      name: '苹果',
      taxRate: '130',
      shelfLifeDays: 0,
      barcodes: [{ barcode: '6901234567890' }],
      units: [{ unitId: 3, factor: '0' }],
      prices: { retail: '1.23456' },
    });
    expect(m.code).toMatchObject({ zh: '商品编码最多 32 个字', en: 'Product code: at most 32 characters' });
    expect(m.taxRate?.zh).toBe('税率须为 0–99.99 的百分数，最多 2 位小数');
    expect(m.shelfLifeDays).toMatchObject({ zh: '保质期天数不能小于 1', en: 'Shelf life in days must be at least 1' });
    expect(m['barcodes.0.barcode']?.zh).toContain('校验位错误');
    expect(m['units.0.factor']).toMatchObject({ zh: '换算系数必须大于 0', en: 'Conversion factor must be greater than 0' });
    expect(m['prices.retail']?.zh).toBe('价格须为数字，最多 4 位小数');
    expect(messages(createProductBody, { code: 'A B', name: 'x' }).code?.zh).toBe('商品编码只能包含字母、数字和 - . _');
  });

  it('store create (open-store wizard): the store and its warehouse rows are named as such', () => {
    const m = messages(openStoreBody, { parentId: 1, code: '', storeMode: 'chain', warehouses: [{ code: 'W1' }] });
    expect(m.code).toMatchObject({ zh: '请填写门店编码', en: 'Enter the store code' });
    expect(m.name).toMatchObject({ zh: '请填写门店名称', en: 'Enter the store name' });
    expect(m.storeMode).toMatchObject({ zh: '经营模式（直营/加盟）不是可选的值', code: 'not_choice' });
    expect(m['warehouses.0.name']).toMatchObject({ zh: '请填写仓库名称', en: 'Enter the warehouse name' });
    // Away from the form, the row goes in front.
    const row = describeIssues(openStoreBody.safeParse({ warehouses: [{ code: 'W1' }] }).error?.issues as never, {
      schema: openStoreBody,
      input: { warehouses: [{ code: 'W1' }] },
      prefix: 'body',
    }).find((i) => i.path === 'body.warehouses.0.name');
    expect(row && messageWithRow(row, 'zh-CN')).toBe('仓库第 1 项：请填写仓库名称');
    expect(row && messageWithRow(row, 'en')).toBe('Warehouse 1: Enter the warehouse name');
  });

  it('a document line: quantity, warehouse and dates read as such, with the line number away from the form', () => {
    const m = messages(createDocumentBody, {
      docType: 'loss',
      orgId: 'x',
      lines: [{ productId: 1, qty: 'abc', expiryDate: '2026-13-01' }],
    });
    expect(m.orgId).toMatchObject({ zh: '机构必须是数字', en: 'Org must be a number' });
    expect(m['lines.0.qty']).toMatchObject({
      zh: '数量须为数字，最多 3 位小数',
      en: 'Quantity must be a number with at most 3 decimals',
    });
    expect(m['lines.0.expiryDate']).toMatchObject({ zh: '有效期至须为日期，如 2026-05-01' });
    const po = messages(createPurchaseOrderBody, { orgId: 1, supplierId: 2, lines: [{ productId: 1, qty: '0' }] });
    expect(po.warehouseId).toMatchObject({ zh: '请选择仓库', en: 'Choose the warehouse' });
    expect(po['lines.0.qty']).toMatchObject({ zh: '数量必须大于 0', en: 'Quantity must be greater than 0' });
    const issue = {
      path: 'body.lines.2.qty',
      code: 'positive',
      message: '数量必须大于 0',
      messageZh: '数量必须大于 0',
      messageEn: 'Quantity must be greater than 0',
    };
    expect(messageWithRow(issue, 'zh-CN')).toBe('明细第 3 行：数量必须大于 0');
    expect(messageWithRow(issue, 'en')).toBe('Line 3: Quantity must be greater than 0');
  });

  it('a till sale: lines, payments and the receipt number', () => {
    const m = messages(saleBody, { clientId: 'not-a-uuid', receiptNo: 'R'.repeat(41), lines: [] });
    expect(m.clientId).toMatchObject({ zh: '单据标识须为 UUID', en: 'Client id must be a UUID' });
    expect(m.receiptNo).toMatchObject({ zh: '小票号最多 40 个字', en: 'Receipt number: at most 40 characters' });
    expect(m.lines).toMatchObject({ zh: '明细至少需要 1 项', en: 'Lines: at least 1 needed' });
    const paid = messages(saleBody, {
      clientId: '00000000-0000-4000-8000-000000000001',
      receiptNo: 'R1',
      lines: [{ productId: 1, qty: '-1', discount: { kind: 'gift', value: '1' } }],
      tenders: [{ method: 'cash', amount: '0' }],
    });
    expect(paid['lines.0.qty']).toMatchObject({ zh: '数量必须大于 0' });
    expect(paid['lines.0.discount.kind']).toMatchObject({
      zh: '折扣方式不是可选的值',
      en: 'Discount kind is not one of the choices',
    });
    expect(paid['tenders.0.amount']).toMatchObject({ zh: '金额必须大于 0', en: 'Amount must be greater than 0' });
  });

  it('an ambiguous name takes its label from the entity that holds it', () => {
    expect(messages(entity('supplier', createPartnerBody), {}).code?.zh).toBe('请填写供应商编码');
    expect(messages(entity('customer', createPartnerBody), {}).name?.en).toBe('Enter the customer name');
    // The catalog has no plain entry for them, so a schema that forgets its entity fails the label walk.
    for (const key of ['code', 'name', 'nameEn', 'kind', 'mode']) expect(FIELD_LABELS).not.toHaveProperty(key);
  });

  it('a discriminated union is read on the branch the input chose', () => {
    expect(messages(firstOperationAttrs, { kind: 'product', proposal: {} })['proposal.code']?.zh).toBe('请填写商品编码');
    expect(messages(firstOperationAttrs, { kind: 'supplier', proposal: {} })['proposal.code']?.zh).toBe('请填写往来单位编码');
  });

  it('without the schema (attrs checked later by a service) a field is still named by its key, never by zod', () => {
    const attrs = z.object({ reason: z.string().max(3), toWarehouseId: z.number() });
    const r = attrs.safeParse({ reason: 'abcd' });
    const issues = describeIssues(r.error?.issues as never, { prefix: 'attrs' });
    expect(issues.map((i) => i.messageZh)).toEqual(['原因最多 3 个字', '请选择移入仓库']);
    expect(issues.map((i) => i.messageEn)).toEqual(['Reason: at most 3 characters', 'Choose the target warehouse']);
    const named = z.object({ code: z.string() }).safeParse({});
    expect(describeIssues(named.error?.issues as never)[0]?.messageZh).toBe('请填写编码');
  });
});
