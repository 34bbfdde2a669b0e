// The `verify` policy: the repository's structure checked as `check` does, and a share of its
// packs read back and authenticated. The share rotates: each run starts after the last pack
// the previous run read (in key order, wrapping), so every pack is read over successive runs
// even as packs come and go. The cursor lives in the state directory.
import { join } from 'node:path';
import { checkRepository } from '../repo/check.js';
import type { Repository } from '../repo/repository.js';
import { IntegrityError } from '../errors.js';
import { readState, writeState } from '../sources/state.js';

/** The packs to read this run: `share` (0..1) of them, at least one, after `cursor`. */
export function rotatingShare(keys: readonly string[], share: number, cursor: string | null): string[] {
  if (keys.length === 0) return [];
  const n = Math.min(keys.length, Math.max(1, Math.ceil(keys.length * share)));
  let start = cursor === null ? 0 : keys.findIndex((k) => k > cursor);
  if (start < 0) start = 0;
  return Array.from({ length: n }, (_, i) => keys[(start + i) % keys.length]!);
}

export async function verifyRepository(repo: Repository, opts: { policy: string; readData: string; stateDir: string; onProgress?: (done: number, total: number) => void }): Promise<Record<string, unknown>> {
  const file = join(opts.stateDir, 'verify', `${opts.policy}.json`);
  const state = await readState<{ cursor: string | null; rounds: number }>(file, { cursor: null, rounds: 0 });
  const share = Number(opts.readData.replace('%', '')) / 100;
  let chosen: string[] = [];
  let total = 0;
  const r = await checkRepository(repo, {
    readData: true,
    selectPacks: (keys) => {
      total = keys.length;
      chosen = rotatingShare(keys, share, state.cursor);
      return chosen;
    },
    ...(opts.onProgress ? { onProgress: (p) => opts.onProgress?.(p.bytesDone, p.bytesTotal) } : {}),
  });
  const last = chosen[chosen.length - 1] ?? null;
  const wrapped = state.cursor !== null && last !== null && last <= state.cursor;
  await writeState(file, { cursor: last, rounds: state.rounds + (wrapped ? 1 : 0) });
  const doc = { ok: r.ok, errors: r.errors, warnings: r.warnings, snapshots: r.snapshots, packs: r.packs, packsRead: r.packsRead, packsTotal: total, firstPack: chosen[0] ?? null, lastPack: last };
  if (!r.ok) throw Object.assign(new IntegrityError(`verify found ${r.errors.length} problem(s): ${r.errors.slice(0, 3).join('; ')}`), { doc });
  return doc;
}
