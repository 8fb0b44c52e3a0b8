import type { KeyboardEvent } from 'react';

/**
 * Spreadsheet-style keys in a line grid (a table with class `erp-lines`): Enter or ↓ moves to the same column
 * of the next line, ↑ to the previous one, so a keeper types quantities down a column without the mouse.
 * Put `onKeyDown={gridKeys}` on the table's wrapper.
 */
export function gridKeys(e: KeyboardEvent<HTMLElement>): void {
  if (e.defaultPrevented || e.nativeEvent.isComposing) return;
  const step = e.key === 'Enter' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
  if (!step) return;
  const input = e.target as HTMLElement;
  if (!(input instanceof HTMLInputElement) || input.type === 'checkbox') return;
  // Selects and date pickers use the arrow keys themselves.
  if (input.closest('.ant-select, .ant-picker')) return;
  const cell = input.closest('td');
  const row = cell?.closest('tr');
  if (!cell || !row) return;
  const col = Array.prototype.indexOf.call(row.children, cell);
  let next = (step > 0 ? row.nextElementSibling : row.previousElementSibling) as HTMLElement | null;
  while (next && !next.classList.contains('ant-table-row')) {
    next = (step > 0 ? next.nextElementSibling : next.previousElementSibling) as HTMLElement | null;
  }
  const target = next?.children[col]?.querySelector<HTMLInputElement>('input:not([type=checkbox])');
  if (!target) return;
  e.preventDefault();
  target.focus();
  target.select();
}

/** Focuses the first input of a column in a grid line (after a scan added or counted it). */
export function focusCell(table: HTMLElement | null, rowIndex: number, column: string): void {
  const el = table?.querySelector<HTMLInputElement>(`[data-cell="${column}-${rowIndex}"]`);
  if (!el) return;
  el.scrollIntoView({ block: 'nearest' });
  el.focus();
  el.select();
}
