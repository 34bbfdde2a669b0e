// `npm test` starts its slowest files first (test/helpers/longest-first.ts): the table of measured
// durations names files that exist, and the order it gives is longest first, then unknown files
// by size, so that a renamed file is noticed instead of silently falling to the back of the queue.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TestSpecification } from 'vitest/node';
import { LongestFirstSequencer, MEASURED_SECONDS } from '../helpers/longest-first.js';

const ROOT = resolve(import.meta.dirname, '../..');
const bytes = (f: string): number => statSync(join(ROOT, f)).size;
const spec = (f: string) => ({ moduleId: join(ROOT, f) }) as TestSpecification;

describe('the order of test files', () => {
  it('every file in the table of measured durations exists', () => {
    const missing = Object.keys(MEASURED_SECONDS).filter((f) => !existsSync(join(ROOT, f)));
    expect(missing).toEqual([]);
  });

  it('starts the measured files longest first, then the others larger first', async () => {
    const sequencer = new LongestFirstSequencer({ config: { root: ROOT } } as never);
    const measured = Object.entries(MEASURED_SECONDS);
    const [longest] = measured.reduce((a, b) => (b[1] > a[1] ? b : a));
    const [shortest] = measured.reduce((a, b) => (b[1] < a[1] ? b : a));
    const unknown = readdirSync(join(ROOT, 'test'), { recursive: true, encoding: 'utf8' })
      .map((f) => relative(ROOT, join(ROOT, 'test', f)))
      .filter((f) => f.endsWith('.test.ts') && MEASURED_SECONDS[f] === undefined)
      .sort((a, b) => bytes(b) - bytes(a))
      .slice(0, 2);
    // The largest files outside the table outweigh the table's files in bytes: an order by size
    // alone (vitest's own, from a fresh clone) would start them first.
    expect(bytes(unknown[0]!)).toBeGreaterThan(Math.max(bytes(longest), bytes(shortest)));
    const sorted = await sequencer.sort([unknown[1]!, shortest, unknown[0]!, longest].map(spec));
    expect(sorted.map((s) => relative(ROOT, s.moduleId))).toEqual([longest, shortest, ...unknown]);
  });
});
