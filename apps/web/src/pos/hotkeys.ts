import { DEFAULT_HOTKEYS, type HotkeyAction } from '@erp/contracts';

export { DEFAULT_HOTKEYS };

/**
 * Hotkeys (热键设置) are configured per store in the back office and arrive with the sync. A key is written as
 * KeyboardEvent.key with modifiers ("F2", "Ctrl+1", "Escape"); matching is case-insensitive for letters.
 */

/** The event as a hotkey string: modifiers in a fixed order, then the key. */
export function eventKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey'>): string {
  const parts: string[] = [];
  if (e.ctrlKey) parts.push('Ctrl');
  if (e.altKey) parts.push('Alt');
  if (e.metaKey) parts.push('Meta');
  let key = e.key;
  if (key.length === 1) key = key.toUpperCase();
  // Shift is part of the key for printable characters ("*" not "Shift+8").
  if (e.shiftKey && e.key.length > 1) parts.push('Shift');
  parts.push(key);
  return parts.join('+');
}

export function normalizeHotkey(k: string): string {
  const parts = k.split('+').filter(Boolean);
  const key = parts.pop() ?? '';
  const mods = new Set(parts.map((p) => p.toLowerCase()));
  const out: string[] = [];
  if (mods.has('ctrl')) out.push('Ctrl');
  if (mods.has('alt')) out.push('Alt');
  if (mods.has('meta')) out.push('Meta');
  if (mods.has('shift')) out.push('Shift');
  out.push(key.length === 1 ? key.toUpperCase() : key);
  return out.join('+');
}

export type HotkeyMap = Map<string, HotkeyAction>;

export function hotkeyMap(list: readonly { action: string; key: string }[] | undefined): HotkeyMap {
  const m: HotkeyMap = new Map();
  for (const h of list?.length ? list : DEFAULT_HOTKEYS) m.set(normalizeHotkey(h.key), h.action as HotkeyAction);
  return m;
}

export function keyFor(list: readonly { action: string; key: string }[] | undefined, action: HotkeyAction): string | undefined {
  return (list?.length ? list : DEFAULT_HOTKEYS).find((h) => h.action === action)?.key;
}

/** What a key press on the sale screen does while no dialog is open. */
export type KeyIntent =
  | { kind: 'action'; action: HotkeyAction }
  | { kind: 'select'; direction: 'up' | 'down' }
  | { kind: 'focusScan' }
  | { kind: 'none' };

/**
 * The sale screen's key dispatch: a configured hotkey runs its action; the arrows move the selected line;
 * Delete in the empty scan field deletes the selected line; any other printable key typed outside a field
 * goes to the scan field (a keyboard-wedge scanner never loses digits to a button that had the focus).
 */
export function keyIntent(
  e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey'>,
  hotkeys: HotkeyMap,
  where: { inField: boolean; inEmptyScanField: boolean },
): KeyIntent {
  const action = hotkeys.get(eventKey(e));
  if (action) return { kind: 'action', action };
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') return { kind: 'select', direction: e.key === 'ArrowDown' ? 'down' : 'up' };
  if (e.key === 'Delete' && where.inEmptyScanField) return { kind: 'action', action: 'void_line' };
  if (!where.inField && e.key.length === 1 && !e.ctrlKey && !e.metaKey) return { kind: 'focusScan' };
  return { kind: 'none' };
}

/** Whether the browser's own handling of the key is replaced (focusing the scan field lets the key through). */
export function takesKey(intent: KeyIntent): boolean {
  return intent.kind === 'action' || intent.kind === 'select';
}
