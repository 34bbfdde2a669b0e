// The in-process test tier (`npm run test:unit`): test/unit/** only — the memory store, the
// engine and repository through the library API, pure plans — no servers, no CLI processes.
// Under a minute on two cores; `npm test` (vitest.config.ts) runs these files too, with the rest.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', SNAPTIER_CACHE_DIR: join(tmpdir(), 'snaptier-test-cache') },
  },
});
