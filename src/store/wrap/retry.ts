// Retry as a wrapper: an operation that fails with a retriable StoreError (throttling, 5xx,
// timeouts, cut connections) is tried again with jittered exponential backoff inside a time
// budget. Objects are immutable, so every retry is idempotent; a create-once put that finds
// its own earlier attempt already stored counts as done. Aborted signals are never retried.
import type { ContainerOptions, ObjectImmutability, GetOptions, ObjectInfo, ObjectStore, PutOptions, RestoreObjectOptions, RestoreRequestOutcome } from '../object-store.js';
import { ObjectExistsError, StoreError, totalLength } from '../object-store.js';
import { unreachableCause } from '../transient.js';
import { ForwardingStore } from './forwarding.js';

export interface RetryOptions {
  /** Give up once this much time has passed since the first attempt. */
  budgetMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Random source in [0, 1) for jitter (injected for tests). */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  onRetry?: (op: string, key: string, attempt: number, err: unknown) => void;
  /**
   * Until the store has answered once, a failure to reach it at all (connection refused,
   * unknown host, TLS) is retried only this long: a wrong endpoint is named at once instead of
   * after the whole budget. Faults after the first answer get `budgetMs`. Absent: `budgetMs`.
   */
  firstContactBudgetMs?: number;
}

export function isRetriable(err: unknown): boolean {
  return err instanceof StoreError && err.retriable;
}

export class RetryingStore extends ForwardingStore {
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly now: () => number;
  /** Whether the store has answered (anything, errors included) since this wrapper was made. */
  private reached = false;

  constructor(
    inner: ObjectStore,
    private readonly opts: RetryOptions,
  ) {
    super(inner);
    this.random = opts.random ?? Math.random;
    this.sleep = opts.sleep ?? defaultSleep;
    this.now = opts.now ?? Date.now;
  }

  private async attempt<T>(op: string, key: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    const started = this.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await fn();
        this.reached = true;
        return r;
      } catch (err) {
        await this.backoff(op, key, attempt, started, err, signal);
      }
    }
  }

  /** Throws `err` when it is final; otherwise waits a jittered, growing delay. */
  private async backoff(op: string, key: string, attempt: number, started: number, err: unknown, signal?: AbortSignal): Promise<void> {
    const unreachable = this.reached ? null : unreachableCause(err);
    if (unreachable === null) this.reached = true;
    if (signal?.aborted) throw err;
    if (unreachable !== null && (!isRetriable(err) || this.now() - started > (this.opts.firstContactBudgetMs ?? this.opts.budgetMs))) {
      throw new StoreError(`${this.description} cannot be reached: ${unreachable}; ${op} ${key} gave up after ${attempt === 1 ? 'one attempt' : `${attempt} attempts`} in ${((this.now() - started) / 1000).toFixed(1)} s`, { cause: err });
    }
    if (!isRetriable(err)) throw err;
    // Full jitter: a random delay up to the exponential ceiling.
    const ceiling = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** (attempt - 1));
    const delay = Math.floor(this.random() * ceiling);
    if (this.now() + delay - started > this.opts.budgetMs) {
      throw new StoreError(`${op} ${key} still failing after ${attempt} attempts: ${(err as Error).message}`, { cause: err });
    }
    this.opts.onRetry?.(op, key, attempt, err);
    await this.sleep(delay, signal);
  }

  override put(key: string, body: readonly Uint8Array[], options?: PutOptions): Promise<void> {
    let failedBefore = false;
    return this.attempt('put', key, options?.signal, async () => {
      try {
        await this.inner.put(key, body, options);
      } catch (err) {
        if (err instanceof ObjectExistsError && failedBefore && (await this.holds(key, body))) return;
        failedBefore ||= isRetriable(err);
        throw err;
      }
    });
  }

  /** Whether `key` holds exactly `body`: our own earlier attempt, whose answer was lost. */
  private async holds(key: string, body: readonly Uint8Array[]): Promise<boolean> {
    const stored = await this.inner.get(key);
    if (stored.length !== totalLength(body)) return false;
    let off = 0;
    for (const part of body) {
      if (Buffer.compare(stored.subarray(off, off + part.length), part) !== 0) return false;
      off += part.length;
    }
    return true;
  }

  override get(key: string, options?: GetOptions): Promise<Buffer> {
    return this.attempt('get', key, options?.signal, () => this.inner.get(key, options));
  }

  override head(key: string): Promise<ObjectInfo> {
    return this.attempt('head', key, undefined, () => this.inner.head(key));
  }

  override async *list(prefix: string, signal?: AbortSignal): AsyncIterable<ObjectInfo> {
    // A listing that fails part-way starts again; keys already yielded are not repeated.
    const seen = new Set<string>();
    const started = this.now();
    for (let attempt = 1; ; attempt++) {
      try {
        for await (const o of this.inner.list(prefix, signal)) {
          this.reached = true;
          if (seen.has(o.key)) continue;
          seen.add(o.key);
          yield o;
        }
        this.reached = true;
        return;
      } catch (err) {
        await this.backoff('list', prefix, attempt, started, err, signal);
      }
    }
  }

  override delete(key: string): Promise<void> {
    return this.attempt('delete', key, undefined, () => this.inner.delete(key));
  }

  override deleteMany(keys: readonly string[]): Promise<void> {
    return this.attempt('delete', `${keys.length} keys`, undefined, () => this.innerDeleteMany(keys));
  }

  override extendImmutability(key: string, immutability: ObjectImmutability): Promise<void> {
    return this.attempt('extend immutability', key, undefined, () => super.extendImmutability(key, immutability));
  }

  override setTier(key: string, tier: string): Promise<void> {
    return this.attempt('set tier of', key, undefined, () => super.setTier(key, tier));
  }

  /** Safe to repeat: a restore already running is answered `in-progress`, not started again. */
  override requestRestore(key: string, options: RestoreObjectOptions): Promise<RestoreRequestOutcome> {
    return this.attempt('request restore of', key, undefined, () => super.requestRestore(key, options));
  }

  override ensureContainer(options?: ContainerOptions): Promise<void> {
    return this.attempt('create container', this.description, undefined, () => this.inner.ensureContainer(options));
  }
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
