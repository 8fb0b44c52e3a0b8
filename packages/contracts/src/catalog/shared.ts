import { z } from 'zod';
import { bilingual } from '../validation.js';

export const masterCode = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9._-]+$/, bilingual('编码只能包含字母、数字和 - . _', 'Codes may contain letters, digits and - . _ only'));

/** Query-string booleans: 'true'/'false'/'1'/'0' (z.coerce.boolean would read 'false' as true). */
export const queryBool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
