import { describe, expect, it } from 'vitest';
import { GS1_GS, gtinCandidates, isExpiredOn, looksLikeGs1, parseGs1 } from './gs1.js';

const now = new Date('2026-03-15T10:00:00+08:00');
const GTIN = '06901234567892'; // EAN-13 6901234567892 with indicator digit 0

function ok(raw: string) {
  const r = parseGs1(raw, now);
  if (!r.ok) throw new Error(`${raw}: ${r.error.reason} ${r.error.en}`);
  return r.data;
}

describe('GS1 element strings', () => {
  it('reads the human-readable form: GTIN, expiry, lot', () => {
    const d = ok(`(01)${GTIN}(17)260630(10)L2401`);
    expect(d.gtin).toBe(GTIN);
    expect(d.expiry).toBe('2026-06-30');
    expect(d.lot).toBe('L2401');
    expect(d.elements.map((e) => e.ai)).toEqual(['01', '17', '10']);
  });

  it('reads the raw form: a variable-length lot ended by FNC1 (GS), then a serial', () => {
    const d = ok(`01${GTIN}10ABC-12${GS1_GS}21SN0001`);
    expect(d.lot).toBe('ABC-12');
    expect(d.serial).toBe('SN0001');
  });

  it('a variable-length field without GS runs to the end of the data', () => {
    const d = ok(`01${GTIN}17261231${'10'}LOT9`);
    expect(d.lot).toBe('LOT9');
    expect(d.expiry).toBe('2026-12-31');
  });

  it('without the GS the next AI is read as part of the lot (why FNC1 must end a variable field)', () => {
    const d = ok(`01${GTIN}10ABC21SN1`);
    expect(d.lot).toBe('ABC21SN1');
    expect(d.serial).toBeNull();
  });

  it('takes a redundant GS after a fixed-length field and a symbology identifier in front', () => {
    const d = ok(`]d201${GTIN}${GS1_GS}17260101${GS1_GS}10X1`);
    expect(d.gtin).toBe(GTIN);
    expect(d.expiry).toBe('2026-01-01');
    expect(d.lot).toBe('X1');
  });

  it('reads the net weight in kg from 310n with n decimals', () => {
    expect(ok(`01${GTIN}3103001250`).netWeightKg).toBe('1.25');
    expect(ok(`01${GTIN}3102000075`).netWeightKg).toBe('0.75');
    expect(ok(`01${GTIN}3100000012`).netWeightKg).toBe('12');
    expect(ok(`(01)${GTIN}(3105)123456`).netWeightKg).toBe('1.23456');
  });

  it('reads AI 02 as the GTIN when there is no 01, and best before (15)', () => {
    const d = ok(`02${GTIN}15260400`);
    expect(d.gtin).toBe(GTIN);
    // Day 00 is the last day of the month.
    expect(d.bestBefore).toBe('2026-04-30');
  });

  it('refuses a GTIN with a wrong check digit', () => {
    const r = parseGs1(`(01)06901234567891(10)L1`, now);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.reason).toBe('check_digit');
      expect(r.error.zh).toContain('校验位');
    }
  });

  it('refuses impossible dates, truncated fixed fields, over-long lots and unknown AIs', () => {
    const reason = (raw: string) => {
      const r = parseGs1(raw, now);
      return r.ok ? 'ok' : r.error.reason;
    };
    expect(reason(`01${GTIN}17261332`)).toBe('bad_date');
    expect(reason(`01${GTIN}17260231`)).toBe('bad_date');
    expect(reason(`01${GTIN}1726`)).toBe('truncated');
    expect(reason(`0169012345`)).toBe('truncated');
    expect(reason(`01${GTIN}10${'A'.repeat(21)}`)).toBe('too_long');
    expect(reason(`01${GTIN}99XYZ`)).toBe('unknown_ai');
    expect(reason(`(01)${GTIN}(99)X`)).toBe('unknown_ai');
    expect(reason('')).toBe('empty');
  });

  it('puts two-digit years in the right century (GS1 §7.12)', () => {
    expect(ok(`01${GTIN}17991231`).expiry).toBe('1999-12-31');
    expect(ok(`01${GTIN}17301231`).expiry).toBe('2030-12-31');
    expect(ok(`01${GTIN}17761231`).expiry).toBe('2076-12-31');
    expect(ok(`01${GTIN}17771231`).expiry).toBe('1977-12-31');
  });

  it('tells GS1 strings from plain barcodes', () => {
    expect(looksLikeGs1('6901234567892')).toBe(false);
    expect(looksLikeGs1(GTIN)).toBe(false);
    expect(looksLikeGs1(`01${GTIN}`)).toBe(false);
    expect(looksLikeGs1(`01${GTIN}10L1`)).toBe(true);
    expect(looksLikeGs1(`(01)${GTIN}`)).toBe(true);
    expect(looksLikeGs1(`]C101${GTIN}`)).toBe(true);
    expect(looksLikeGs1(`10L1${GS1_GS}01${GTIN}`)).toBe(true);
    // Digits after a GTIN with a wrong check digit are not taken for GS1.
    expect(looksLikeGs1('010690123456789110L1')).toBe(false);
  });

  it('maps a GTIN-14 to the barcodes a product may be registered under', () => {
    expect(gtinCandidates(GTIN)).toEqual([GTIN, '6901234567892']);
    expect(gtinCandidates('00012345678905')).toEqual(['00012345678905', '0012345678905', '012345678905']);
    expect(gtinCandidates('16901234567899')).toEqual(['16901234567899']);
  });

  it('a lot is expired only after its expiry day', () => {
    expect(isExpiredOn('2026-03-14', '2026-03-15')).toBe(true);
    expect(isExpiredOn('2026-03-15', '2026-03-15')).toBe(false);
    expect(isExpiredOn('2026-04-01', '2026-03-15')).toBe(false);
  });
});
