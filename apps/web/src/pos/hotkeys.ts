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
