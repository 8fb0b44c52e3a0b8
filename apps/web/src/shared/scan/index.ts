/**
 * Scanning for every line-entry grid (INV-8). The API below is shared by purchasing and inventory screens;
 * keep it stable.
 *
 * Usage: put one `<ScanBox onHit={…} orgId={…} />` above the grid. It takes
 * - a keyboard-wedge scanner's burst (digits a few ms apart, then Enter) wherever the focus is on the page —
 *   typed into a grid cell by accident, the digits are taken back out of that cell (`WedgeBurst` decides by
 *   the burst's average pace, so a page busy re-rendering does not split a scan);
 * - a code typed into the box and Enter; F2 focuses the box;
 * - on a phone-width screen, the camera (`CameraScanner`, @zxing/browser, loaded on first use).
 * Each code is resolved by `lookupScan`: a barcode of any pack unit, a weighed-goods label (2x EAN-13: weight,
 * or price ÷ the store's retail price), else an exact product code. `onHit(hit)` receives a `ScanHit`
 * (product, scanned unit and factor, quantity in that unit and in base units) and returns a `ScanOutcome`
 * ({ ok: false, message } to refuse, e.g. "not on this order"), shown beside the box.
 *
 * Grid helpers: `applyScan(lines, hit, { field, newLine, match? })` increments the first line of the product
 * whose unit takes the scanned amount exactly, else appends `newLine(hit)` (pure; returns the new lines and the
 * index touched). `gridKeys` (./gridNav) gives Enter/↑/↓ spreadsheet movement between the grid's cells, and
 * `focusCell(table, row, column)` focuses a cell marked `data-cell="<column>-<row>"`.
 *
 * Inputs of a grid should always render the same structure (e.g. an antd Input whose suffix comes and goes
 * must keep a `<span />` suffix): a re-created input loses the caret in the middle of a scanner burst.
 */
export { CameraScanner } from './CameraScanner';
export { focusCell, gridKeys } from './gridNav';
export { applyScan, decOrZero, factorOf, type ScanApplied, type ScannableLine, scannedQtyIn } from './lines';
export { lookupScan, ScanError, type ScanFailure, type ScanHit } from './lookup';
export { scanMessages } from './messages';
export { ScanBox, type ScanBoxProps, type ScanOutcome } from './ScanBox';
export { type Burst, WedgeBurst, type WedgeOptions } from './wedge';
