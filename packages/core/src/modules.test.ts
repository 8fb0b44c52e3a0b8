import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The lists that name every module are generated from the files each module adds (scripts/modules.mjs): a
// module added or removed without regenerating them would be half-registered.
describe('generated module lists', () => {
  it('are up to date with the modules on disk', () => {
    const root = join(import.meta.dirname, '../../..');
    expect(() => execFileSync(process.execPath, [join(root, 'scripts/modules.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
