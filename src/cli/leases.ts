// Repository leases for the commands (src/repo/lease.ts): a command takes its lease with
// holdLease before it changes anything; main() releases every lease when the command returns or
// throws, and the SIGINT/SIGTERM handler here does the same (waiting at most
// RELEASE_ON_SIGNAL_MS for the store) before letting the signal end the process as it would
// have. After kill -9 the lease stays and turns stale (snaptier unlock).
import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage } from '../errors.js';
import type { LeaseKind } from '../format/lease-codec.js';
import { type LeaseHandle, acquireLease } from '../repo/lease.js';
import type { Repository } from '../repo/repository.js';

export interface LeaseSpec {
  operation: string;
  kind: LeaseKind;
  volume?: string;
}

const RELEASE_ON_SIGNAL_MS = 5000;
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
const held = new Set<LeaseHandle>();

/**
 * Takes the lease `spec` on `repo` until the command ends (no lease when `spec` is null: dry
 * runs). The signal returned aborts should the lease be lost.
 */
export async function holdLease(repo: Repository, spec: LeaseSpec | null): Promise<AbortSignal> {
  if (!spec) return new AbortController().signal;
  const handle = await acquireLease(repo, {
    operation: spec.operation,
    kind: spec.kind,
    ...(spec.volume !== undefined ? { volume: spec.volume } : {}),
  });
  if (held.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  held.add(handle);
  return handle.signal;
}

/** Releases every lease the command holds; one that cannot be removed is reported, not fatal. */
export async function releaseLeases(): Promise<void> {
  const handles = [...held];
  held.clear();
  for (const s of SIGNALS) process.off(s, onSignal);
  for (const h of handles) {
    await h.release().catch((err) => {
      process.stderr.write(
        `warning: the lease ${h.key} could not be removed (${errorMessage(err)}); snaptier unlock removes it once it is stale\n`,
      );
    });
  }
}

function onSignal(signal: NodeJS.Signals): void {
  for (const s of SIGNALS) process.off(s, onSignal);
  const handles = [...held];
  held.clear();
  void Promise.race([Promise.allSettled(handles.map((h) => h.release())), sleep(RELEASE_ON_SIGNAL_MS, undefined, { ref: false })]).then(
    () => process.kill(process.pid, signal),
  );
}
