import type { Bilingual } from './i18n.js';
import type { Action } from './permissions.js';

/** What a module contributes to the error catalog: code → HTTP status and zh/en messages with {placeholders}. */
export type ErrorDefs = Record<string, Bilingual & { status: number }>;

/** What a module contributes to the permission catalog: function code → labels, menu module and actions. */
export type FunctionDefs = Record<string, Bilingual & { module: string; actions: readonly Action[] }>;
