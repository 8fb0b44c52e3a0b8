import { z } from 'zod';
import { pattern, text } from '../validation.js';

export const masterCode = text()
  .trim()
  .min(1)
  .max(32)
  .check(pattern(/^[A-Za-z0-9._-]+$/, 'code_chars', { chars: '- . _' }));

/** Query-string booleans: 'true'/'false'/'1'/'0' (z.coerce.boolean would read 'false' as true). */
export const queryBool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
