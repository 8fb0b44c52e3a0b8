import { toProblem } from '@erp/contracts';
import { describe, expect, it } from 'vitest';
import { NetworkError, TillApiError } from './api';
import { LocalizedError, TillError, tillErrorText, tillErrorTexts } from './errors';

/** Latin letters outside codes and numbers: what "no raw English reaches a Chinese-speaking cashier" rules out. */
const englishWords = /[A-Za-z]{3,}/;

describe('one place maps failures to what the cashier reads', () => {
  it('a server refusal shows its problem+json message in the till language', () => {
    const p = toProblem('POS_SHIFT_REQUIRED', 'en');
    const e = new TillApiError(409, p, 'HTTP 409 /api/pos/sales');
    expect(tillErrorText(e, 'zh-CN')).toBe('请先开班');
    expect(tillErrorText(e, 'en')).toBe('Open a shift first');
  });

  it('a problem without messages is worded from the error catalog; without a problem, from the status', () => {
    const e = new TillApiError(409, { code: 'POS_SHIFT_REQUIRED' } as never, 'HTTP 409');
    expect(tillErrorText(e, 'zh-CN')).toBe('请先开班');
    const html = new TillApiError(500, undefined, 'HTTP 500 /api/pos/uploads');
    expect(tillErrorText(html, 'zh-CN')).toContain('HTTP 500');
    expect(tillErrorText(html, 'zh-CN')).not.toContain('/api/');
    expect(tillErrorText(new TillApiError(404, undefined, 'x'), 'en')).toBe('The server has no such record');
  });

  it('network, IndexedDB and unexpected failures never show their English text', () => {
    const cases: unknown[] = [
      new NetworkError('Failed to fetch'),
      new DOMException('Key already exists in the object store.', 'ConstraintError'),
      Object.assign(new Error('ConstraintError Key already exists in the object store.'), { name: 'ConstraintError' }),
      Object.assign(new Error('Transaction committed too early'), { name: 'PrematureCommitError' }),
      new DOMException('The quota has been exceeded.', 'QuotaExceededError'),
      new TypeError("Cannot read properties of undefined (reading 'lines')"),
      'something odd',
      undefined,
    ];
    for (const e of cases) {
      const zh = tillErrorText(e, 'zh-CN');
      expect(zh, String(e)).not.toMatch(englishWords);
      expect(zh.length).toBeGreaterThan(4);
      const en = tillErrorText(e, 'en');
      expect(en).not.toMatch(/ConstraintError|Failed to fetch|quota|Cannot read/);
    }
    expect(tillErrorText(cases[1], 'zh-CN')).toBe('这笔记录本机已经保存过，不能重复保存');
  });

  it("the till's own failures are worded at display time, in both languages", () => {
    const e = new TillError('err.alreadyPaid', { receiptNo: 'S001-01-00000042' });
    expect(tillErrorText(e, 'zh-CN')).toBe('小票 S001-01-00000042 已经收款，不能再次收款；如需取消请办理退货');
    expect(tillErrorTexts(e).en).toContain('S001-01-00000042 is paid already');
    expect(tillErrorText(new LocalizedError('工号或收银密码错误'), 'en')).toBe('工号或收银密码错误');
  });

  it('a field error of a validation problem is named in the user language', () => {
    const p = {
      ...toProblem('VALIDATION_FAILED', 'zh-CN'),
      errors: [
        {
          path: 'lines.0.qty',
          code: 'too_small',
          message: 'x',
          messageZh: '数量必须大于 0',
          messageEn: 'Quantity must be greater than 0',
        },
      ],
    };
    const e = new TillApiError(400, p, 'HTTP 400');
    expect(tillErrorText(e, 'zh-CN')).toContain('数量必须大于 0');
    expect(tillErrorText(e, 'en')).toContain('Quantity must be greater than 0');
  });
});
