// Fault injection for crash tests of the CLI where no proxy can sit between it and the store
// (a local directory): SNAPTIER_FAULT_KILL_AT=<n>[:before|:after] kills this process with
// SIGKILL at its n-th store request, before the request starts or once it has taken effect;
// SNAPTIER_FAULT_REQUEST_LOG=<file> appends one line per request (operation and key), written
// synchronously so that it survives the kill. Kill points are request numbers, not times, so a
// failing run replays. Nothing is wrapped unless one of the two is set.
import { appendFileSync } from 'node:fs';
import type { GetOptions, ObjectInfo, ObjectStore, PutOptions } from '../object-store.js';
import { ForwardingStore } from './forwarding.js';

export class KillSwitchStore extends ForwardingStore {
  private n = 0;

  constructor(
    inner: ObjectStore,
    private readonly killAt: { request: number; when: 'before' | 'after' } | null,
    private readonly log: string | null,
  ) {
    super(inner);
  }

  private async step<T>(op: string, key: string, fn: () => Promise<T>): Promise<T> {
    const n = ++this.n;
    if (this.log) appendFileSync(this.log, `${n} ${op} ${key}\n`);
    const here = this.killAt?.request === n;
    if (here && this.killAt!.when === 'before') process.kill(process.pid, 'SIGKILL');
    const out = await fn();
    if (here) process.kill(process.pid, 'SIGKILL');
    return out;
  }

  override put(key: string, body: readonly Uint8Array[], options?: PutOptions): Promise<void> {
    return this.step('put', key, () => this.inner.put(key, body, options));
  }
  override get(key: string, options?: GetOptions): Promise<Buffer> {
    return this.step('get', key, () => this.inner.get(key, options));
  }
  override head(key: string): Promise<ObjectInfo> {
    return this.step('head', key, () => this.inner.head(key));
  }
  override async *list(prefix: string, signal?: AbortSignal): AsyncIterable<ObjectInfo> {
    const items = await this.step('list', prefix, async () => {
      const out: ObjectInfo[] = [];
      for await (const o of this.inner.list(prefix, signal)) out.push(o);
      return out;
    });
    yield* items;
  }
  override delete(key: string): Promise<void> {
    return this.step('delete', key, () => this.inner.delete(key));
  }
  /** Per key, so that each delete is a request of its own here too (as on the local store). */
  override async deleteMany(keys: readonly string[]): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < keys.length) await this.delete(keys[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(16, keys.length) }, worker));
  }
}

/** The adapter inside a kill switch when the environment asks for one, else the adapter itself. */
export function killSwitchFromEnv(adapter: ObjectStore, env: NodeJS.ProcessEnv = process.env): ObjectStore {
  const at = /^(\d+)(?::(before|after))?$/.exec(env.SNAPTIER_FAULT_KILL_AT ?? '');
  const log = env.SNAPTIER_FAULT_REQUEST_LOG || null;
  if (!at && !log) return adapter;
  return new KillSwitchStore(adapter, at ? { request: Number(at[1]), when: (at[2] as 'before' | 'after' | undefined) ?? 'before' } : null, log);
}
