// The order `npm test` hands test files to its two workers: the longest first, so the short ones
// fill in at the end and both workers finish together (longest-processing-time scheduling). A
// fresh clone has no duration cache, and vitest would then start the largest files by bytes,
// which are not the slowest; so the durations measured on 2 cores live here, in seconds. A file
// missing from the table (a new one) runs after them, the larger first, as vitest would order it.
import { relative } from 'node:path';
import { statSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds each slow file takes in a whole `npm test` on 2 cores (`npx vitest run --reporter=json`).
 * Only the order matters. Last measured on a machine shared with other jobs (load average ~30):
 * every file took ~6.5 times its quiet time (ceph 561 s against 82 s, s3rver 343 s against 55 s,
 * chain 156 s against 24 s), so these are those figures divided by 6.5; the kill-prune pair,
 * copy and faults ran into their timeouts there and keep estimates. Re-measure on a quiet machine
 * when a file grows past its neighbours, and add a new file once it takes more than ~10 s.
 */
export const MEASURED_SECONDS: Readonly<Record<string, number>> = {
  'test/cli/kill-resume.test.ts': 89,
  'test/cli/corruption.test.ts': 89,
  'test/store/ceph.test.ts': 86,
  'test/cli/trust.test.ts': 68,
  'test/cli/kill-prune-s3.test.ts': 65,
  'test/cli/kill-prune-local.test.ts': 60,
  'test/store/s3rver.test.ts': 53,
  'test/cli/faults.test.ts': 45,
  'test/store/azurite.test.ts': 39,
  'test/cli/errors.test.ts': 37,
  'test/archive/s3-archive.test.ts': 34,
  'test/cli/copy.test.ts': 30,
  'test/engine/chain.test.ts': 24,
  'test/engine/chain-workers.test.ts': 22,
  'test/nbd/serve-local.test.ts': 22,
  'test/archive/azure-archive.test.ts': 17,
  'test/cli/sparse.test.ts': 16,
  'test/service/daemon.test.ts': 16,
  'test/store/azure-immutability.test.ts': 15,
  'test/nbd/serve-s3.test.ts': 14,
  'test/cli/json.test.ts': 13,
  'test/engine/incremental-cost.test.ts': 9,
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
