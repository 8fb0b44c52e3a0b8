import { describe, expect, it } from 'vitest';
import { eventKey, hotkeyMap, keyFor, keyIntent, normalizeHotkey, takesKey } from './hotkeys';

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey', boolean>> = {}) => ({
  key: k,
  ctrlKey: false,
  altKey: false,
  shiftKey: false,
  metaKey: false,
  ...mods,
});
const outside = { inField: false, inEmptyScanField: false };
const inScan = { inField: true, inEmptyScanField: false };

describe('hotkeys (热键设置)', () => {
  it('writes an event and a configured key the same way, modifiers in a fixed order', () => {
    expect(eventKey(key('o', { ctrlKey: true }))).toBe('Ctrl+O');
    expect(eventKey(key('*', { shiftKey: true }))).toBe('*');
    expect(eventKey(key('F5', { shiftKey: true, altKey: true }))).toBe('Alt+Shift+F5');
    expect(normalizeHotkey('shift+alt+f5')).toBe('Alt+Shift+f5');
    expect(normalizeHotkey('ctrl+o')).toBe('Ctrl+O');
  });

  it("uses the store's keys, or the defaults when the store has none", () => {
    const store = hotkeyMap([{ action: 'pay', key: 'Enter' }]);
    expect(store.get('Enter')).toBe('pay');
    expect(store.get('F12')).toBeUndefined();
    expect(hotkeyMap(undefined).get('F12')).toBe('pay');
    expect(keyFor(undefined, 'hold')).toBe('F7');
    expect(keyFor([{ action: 'hold', key: 'F9' }], 'hold')).toBe('F9');
  });
});

describe('the sale screen keys', () => {
  const defaults = hotkeyMap(undefined);

  it('a hotkey runs its action wherever the focus is', () => {
    expect(keyIntent(key('F12'), defaults, inScan)).toEqual({ kind: 'action', action: 'pay' });
    expect(keyIntent(key('1', { ctrlKey: true }), defaults, outside)).toEqual({ kind: 'action', action: 'pay_cash' });
  });

  it('the arrows move the selected line', () => {
    expect(keyIntent(key('ArrowDown'), defaults, inScan)).toEqual({ kind: 'select', direction: 'down' });
    expect(keyIntent(key('ArrowUp'), defaults, outside)).toEqual({ kind: 'select', direction: 'up' });
  });

  it('Delete in the empty scan field deletes the selected line, and types as usual elsewhere', () => {
    expect(keyIntent(key('Delete'), defaults, { inField: true, inEmptyScanField: true })).toEqual({
      kind: 'action',
      action: 'void_line',
    });
    expect(keyIntent(key('Delete'), defaults, inScan)).toEqual({ kind: 'none' });
  });

  it('a character typed outside a field goes to the scan field; modified keys and keys in fields do not', () => {
    expect(keyIntent(key('6'), defaults, outside)).toEqual({ kind: 'focusScan' });
    expect(keyIntent(key('6'), defaults, inScan)).toEqual({ kind: 'none' });
    expect(keyIntent(key('c', { ctrlKey: true }), defaults, outside)).toEqual({ kind: 'none' });
    expect(keyIntent(key('Tab'), defaults, outside)).toEqual({ kind: 'none' });
  });

  it("replaces the browser's handling only for actions and the arrows (the scan field gets the typed key)", () => {
    expect(takesKey({ kind: 'action', action: 'pay' })).toBe(true);
    expect(takesKey({ kind: 'select', direction: 'up' })).toBe(true);
    expect(takesKey({ kind: 'focusScan' })).toBe(false);
    expect(takesKey({ kind: 'none' })).toBe(false);
  });
});
