// Public API of the imports module (MD-4): master-data import from .xlsx/.csv/.txt, templates, job history.
export { decodeText, formatOf, parseDelimited, readTable } from './imports.files.js';
export { kinds as importKinds } from './imports.kinds.js';
export { wallTime } from './imports.rows.js';
export * from './imports.service.js';
