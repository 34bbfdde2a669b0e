import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/helpers/longest-first.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    // The slowest files start first, so that both workers finish together (test/helpers/longest-first.ts).
    sequence: { sequencer: LongestFirstSequencer },
    // The AWS SDK warns once per process that it will need Node 22 after January 2027; our
    // support matrix is in the README, and the CLI turns the same warning off.
    // The manifest cache of tests (and of the CLI processes they start) stays out of ~/.cache.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', SNAPTIER_CACHE_DIR: join(tmpdir(), 'snaptier-test-cache') },
  },
});
