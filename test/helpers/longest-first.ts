// The order `npm test` hands test files to its two workers: the longest first, so the short ones
// fill in at the end and both workers finish together (longest-processing-time scheduling). A
// fresh clone has no duration cache, and vitest would then start the largest files by bytes,
// which are not the slowest; so the durations measured on 2 cores live here, in seconds. A file
// missing from the table (a new one) runs after them, the larger first, as vitest would order it.
import { relative } from 'node:path';
import { statSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds each slow file took in a whole `npm test` on 2 cores (`npx vitest run
 * --reporter=json`, the run the README's test section reports). Only the order matters: re-measure
 * when a file grows past its neighbours, and add a new file here once it takes more than ~5 s.
 */
export const MEASURED_SECONDS: Readonly<Record<string, number>> = {
  'test/cli/kill-resume.test.ts': 90,
  'test/store/ceph.test.ts': 82,
  'test/store/azurite.test.ts': 70,
  'test/cli/kill-prune-s3.test.ts': 65,
  'test/cli/kill-prune-local.test.ts': 60,
  'test/store/s3rver.test.ts': 55,
  'test/cli/trust.test.ts': 50,
  'test/cli/errors.test.ts': 45,
  'test/nbd/serve-local.test.ts': 40,
  'test/service/daemon.test.ts': 40,
  'test/archive/s3-archive.test.ts': 40,
  'test/cli/copy.test.ts': 30,
  'test/engine/chain-workers.test.ts': 27,
  'test/nbd/serve-s3.test.ts': 25,
  'test/engine/chain.test.ts': 24,
  'test/store/azure-immutability.test.ts': 24,
  'test/cli/sparse.test.ts': 21,
  'test/archive/azure-archive.test.ts': 15,
  'test/engine/incremental-cost.test.ts': 12,
};

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const weight = (spec: TestSpecification): number => MEASURED_SECONDS[relative(root, spec.moduleId).split('\\').join('/')] ?? -1;
    const bytes = (spec: TestSpecification): number => {
      try {
        return statSync(spec.moduleId).size;
      } catch {
        return 0;
      }
    };
    const key = new Map(files.map((f) => [f, [weight(f), bytes(f)] as const]));
    return [...files].sort((a, b) => {
      const [wa, sa] = key.get(a)!;
      const [wb, sb] = key.get(b)!;
      return wb - wa || sb - sa || a.moduleId.localeCompare(b.moduleId);
    });
  }
}
