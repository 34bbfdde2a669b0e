// How a backup finds changes, decided from the hint it was given (a previous source, a change
// list, none) and from what checking that hint found: the hint's sample is read through the
// backup's own node reader, so the leaves it fetches are the backup's too and cost no requests
// of their own. A stream is read whole; a change list given with it is only tallied.
import type { Manifest } from '../format/types.js';
import type { DetectMode } from './change-detect.js';
import type { Geometry } from './context.js';
import { type CheckedHint, type HintMode, HintTally, checkHint } from './hint-check.js';
import { normaliseExtents } from './change-detect.js';
import type { NodeReader } from './node-store.js';
import type { SourceFile } from './source.js';
import { type VolumeSource, isStream } from './volume-source.js';

/** A change hint, relative to the backup's parent. Checked for sense by the library API before. */
export type BackupHint =
  | { kind: 'previous-source'; previous: SourceFile }
  | { kind: 'changed-extents'; extents: Array<{ offset: number; length: number }> };

export interface HintOptions {
  hint: BackupHint;
  /** How much of what the hint calls unchanged is checked against the parent (default `sample`). */
  verify?: HintMode;
  /** Names for the warning: the hint (`previous source X`, `--changed-extents FILE`) and the parent. */
  hintName: string;
  parentName: string;
  /** Uniform in [0, 1): which segments a sample reads (tests pass a seeded one). */
  random?: () => number;
}

export interface HintReport {
  /** The check applied: `sample`, `full` (every block the hint calls unchanged), or `off`. */
  mode: HintMode;
  sampled: number;
  mismatched: number;
  /** The hint was found wrong and every fingerprint was compared instead. */
  fellBack: boolean;
}

export interface HintPlan {
  mode: DetectMode;
  report: HintReport | null;
  /** A stream's change list, tallied against what changed; finished by `settle`. */
  tally: HintTally | null;
}

export async function planHint(input: {
  g: Geometry;
  reader: NodeReader;
  parent: Manifest | null;
  source: VolumeSource;
  hints: HintOptions | undefined;
  signal?: AbortSignal;
  onWarning?: (message: string) => void;
}): Promise<HintPlan> {
  const { g, parent, source, hints } = input;
  if (!parent) return { mode: { kind: 'full' }, report: null, tally: null };
  if (!hints) return { mode: { kind: 'fingerprints' }, report: null, tally: null };
  const { hint } = hints;
  if (isStream(source)) {
    // A stream is read whole anyway: every fingerprint is compared, and a change list is only
    // tallied against what really changed.
    if (hint.kind !== 'changed-extents') return { mode: { kind: 'fingerprints' }, report: null, tally: null };
    const ranges = normaliseExtents(hint.extents, Number.MAX_SAFE_INTEGER, g.blockSize);
    const tally = new HintTally(g, ranges, Math.floor(parent.size / g.fingerprintSize) * g.fingerprintSize);
    return { mode: { kind: 'fingerprints' }, report: { mode: 'full', sampled: 0, mismatched: 0, fellBack: false }, tally };
  }
  const verify = hints.verify ?? 'sample';
  const mode: DetectMode = hint.kind === 'previous-source' ? { kind: 'previous-source', previous: hint.previous } : { kind: 'changed-extents', extents: hint.extents };
  if (verify === 'off') return { mode, report: { mode: verify, sampled: 0, mismatched: 0, fellBack: false }, tally: null };
  const checked: CheckedHint =
    hint.kind === 'previous-source' ? hint : { kind: 'changed-extents', ranges: normaliseExtents(hint.extents, source.size, g.blockSize) };
  const c = await checkHint({
    g,
    reader: input.reader,
    base: parent,
    source,
    hint: checked,
    mode: verify,
    ...(hints.random ? { random: hints.random } : {}),
    ...(input.signal ? { signal: input.signal } : {}),
  });
  const report = { mode: verify, sampled: c.sampled, mismatched: c.mismatched, fellBack: c.mismatched > 0 };
  if (c.mismatched === 0) return { mode, report, tally: null };
  input.onWarning?.(
    `the ${hints.hintName} is not relative to ${hints.parentName}: ${c.mismatched} of ${c.sampled} blocks it calls unchanged differ from it ` +
      `(first at byte ${c.firstMismatch}); comparing every fingerprint instead`,
  );
  return { mode: { kind: 'fingerprints' }, report, tally: null };
}

/**
 * A stream's tally, once its size is known: how many blocks the list left out although they
 * changed, and the warning to give when any did.
 */
export function settleTally(
  plan: HintPlan,
  hints: HintOptions,
  parent: Manifest,
  size: number,
  g: Geometry,
): { report: HintReport | null; warning: string | null } {
  const { tally } = plan;
  if (!tally || hints.hint.kind !== 'changed-extents') return { report: plan.report, warning: null };
  const listed = normaliseExtents(hints.hint.extents, size, g.blockSize).reduce((n, [s, e]) => n + (e - s), 0);
  const report: HintReport = {
    mode: 'full',
    sampled: Math.max(0, Math.ceil((Math.min(parent.size, size) - listed) / g.fingerprintSize)),
    mismatched: tally.mismatched,
    fellBack: tally.mismatched > 0,
  };
  const warning =
    tally.mismatched > 0
      ? `the ${hints.hintName} is not relative to ${hints.parentName}: ${tally.mismatched} blocks it calls unchanged ` +
        `differ from it (first at byte ${tally.firstMismatch}); they were stored from the stream`
      : null;
  return { report, warning };
}
