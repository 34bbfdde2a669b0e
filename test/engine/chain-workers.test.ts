// The engine suite with the worker threads forced on (SNAPTIER_WORKERS=2): small images would
// otherwise be sealed and restored on the main thread, and the worker paths (read buffers sent
// back for reuse, segments written to the target from the workers) would go untested. The
// worker is bundled from the sources (not dist/), and the file fails if no worker answered.
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { workerJobsDone } from '../../src/engine/workers/pool.js';
import { Codec, LocalStore } from '../../src/index.js';
import { tempDir } from '../helpers/cli.js';
import { useSourceWorker } from '../helpers/worker-bundle.js';
import { describeEngineSuite } from './engine-suite.js';

process.env.SNAPTIER_WORKERS = '2';
await useSourceWorker();
afterAll(() => expect(workerJobsDone(), 'jobs answered by worker threads').toBeGreaterThan(0));

describeEngineSuite(
  'local, worker threads forced',
  async () => {
    const dir = await tempDir();
    return { store: new LocalStore(join(dir.path, 'repo')), cleanup: dir.cleanup };
  },
  [
    { seed: 44, size: 5 * 1024 * 1024 + 4321, steps: 12, encrypted: true, compression: Codec.Zstd },
    { seed: 55, size: 2 * 1024 * 1024 + 3, steps: 12, encrypted: false, compression: Codec.Lz4, geometry: { segmentSize: 65536, fanout: 4 } },
  ],
);
