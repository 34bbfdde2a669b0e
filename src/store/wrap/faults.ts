// Fault injection for tests (kopia's blobtesting idea): a plan of failures for given calls,
// and a report of which planned faults were exercised, so a test can prove each one happened.
import type { GetOptions, ObjectInfo, PutOptions } from '../object-store.js';
import { StoreError } from '../object-store.js';
import { ForwardingStore } from './forwarding.js';

export type FaultOp = 'put' | 'get' | 'head' | 'list' | 'delete';

export interface Fault {
  /** The operation to fail, or '*' for the `call`-th request of any operation. */
  op: FaultOp | '*';
  /** 1-based number of the call of that operation (of any, for '*') to fail. */
  call: number;
  /** Fail after the operation took effect (the answer is lost), instead of before. */
  after?: boolean;
  retriable?: boolean;
}

export class FaultyStore extends ForwardingStore {
  private readonly calls: Record<FaultOp | '*', number> = { put: 0, get: 0, head: 0, list: 0, delete: 0, '*': 0 };
  private readonly pending: Fault[];
  readonly exercised: Fault[] = [];

  constructor(inner: ConstructorParameters<typeof ForwardingStore>[0], plan: Fault[]) {
    super(inner);
    this.pending = [...plan];
  }

  /** Planned faults no call has reached yet. */
  unexercised(): Fault[] {
    return [...this.pending];
  }

  /** Throws when a planned fault was never reached: the test did not exercise what it meant to. */
  assertExercised(): void {
    if (this.pending.length === 0) return;
    const what = this.pending.map((f) => `${f.op} #${f.call}${f.after ? ' (after)' : ''}`).join(', ');
    throw new StoreError(`planned faults never reached: ${what}`);
  }

  private async inject<T>(op: FaultOp, key: string, fn: () => Promise<T>): Promise<T> {
    const n = ++this.calls[op];
    const any = ++this.calls['*'];
    const i = this.pending.findIndex((f) => (f.op === op && f.call === n) || (f.op === '*' && f.call === any));
    if (i < 0) return fn();
    const [fault] = this.pending.splice(i, 1);
    this.exercised.push(fault!);
    if (fault!.after) await fn();
    throw new StoreError(`injected fault: ${op} ${key} (call ${n})`, { retriable: fault!.retriable ?? true });
  }

  override put(key: string, body: readonly Uint8Array[], options?: PutOptions): Promise<void> {
    return this.inject('put', key, () => this.inner.put(key, body, options));
  }

  override get(key: string, options?: GetOptions): Promise<Buffer> {
    return this.inject('get', key, () => this.inner.get(key, options));
  }

  override head(key: string): Promise<ObjectInfo> {
    return this.inject('head', key, () => this.inner.head(key));
  }

  override async *list(prefix: string, signal?: AbortSignal): AsyncIterable<ObjectInfo> {
    const items = await this.inject('list', prefix, async () => {
      const out: ObjectInfo[] = [];
      for await (const o of this.inner.list(prefix, signal)) out.push(o);
      return out;
    });
    yield* items;
  }

  override delete(key: string): Promise<void> {
    return this.inject('delete', key, () => this.inner.delete(key));
  }
}
