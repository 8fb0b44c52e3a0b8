import { defineConfig } from 'vitest/config';

// Browser tests: the real server (demo data on a throwaway PGlite dir) serving the freshly built web app,
// driven by Debian's Chromium through playwright-core. Files run one after another against one server.
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    globalSetup: ['tests/browser/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
