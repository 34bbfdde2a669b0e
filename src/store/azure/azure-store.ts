// Azure Blob Storage as an ObjectStore: one block blob per key under a prefix of one container.
// Small bodies are one Put Blob, large ones staged blocks and one commit; create-once is
// If-None-Match: * on whichever request makes the blob appear. Immutability is version-level
// immutability policies (azure-immutability.ts). SDK errors end in azure-errors.ts.
import type { Agent } from 'node:http';
import type { BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import { AZURE_UPLOAD } from '../../defaults.js';
import {
  AccessDeniedError,
  type ContainerOptions,
  type GetOptions,
  InvalidRangeError,
  ObjectExistsError,
  type ObjectInfo,
  ObjectNotFoundError,
  type ObjectStore,
  type PutOptions,
  type RestoreObjectOptions,
  type RestoreRequestOutcome,
  type ObjectImmutability,
  type StoreCapabilities,
  StoreError,
  totalLength,
} from '../object-store.js';
import { type AgentTimeouts, createAzureAgent } from './azure-agent.js';
import { type AzureTarget, containerClient, defaultChainContainerClient, type Env, resolveTarget } from './azure-client.js';
import { downloadBlob } from './azure-download.js';
import { type ErrorContext, toStoreError } from './azure-errors.js';
import {
  checkImmutableContainer,
  immutabilityPolicyOf,
  isLockedMode,
  immutableUntilOf,
  immutableUntilOnWire,
  policyModeOf,
} from './azure-immutability.js';
import { type AzureLocation, parseAzureUrl } from './azure-url.js';
import { deletePreviousVersions } from './azure-versions.js';
import { uploadBlocks } from './block-upload.js';

export type { AzureLocation } from './azure-url.js';
export { parseAzureUrl } from './azure-url.js';

/** Access tiers a block blob can be written in (Premium accounts' P-tiers are for page blobs). */
export const AZURE_TIERS = ['Hot', 'Cool', 'Cold', 'Archive'] as const;
/** The tier whose blobs cannot be read until rehydrated to an online tier. */
export const AZURE_ARCHIVE_TIERS = ['Archive'] as const;

export interface AzureStoreOptions {
  /** Environment to read credentials from (default: process.env). */
  env?: Env;
  /** Bodies up to this many bytes are one Put Blob; larger ones are staged blocks. */
  singlePutMax?: number;
  blockSize?: number;
  /** Blocks of one large put staged at once. */
  blocksInFlight?: number;
  /** Blobs asked for per list request (Azure's default and maximum is 5000). */
  listPageSize?: number;
  /** Connection timeouts (default: 10 s to connect, 60 s without a byte moving; azure-agent.ts). */
  timeouts?: AgentTimeouts;
}

export class AzureStore implements ObjectStore {
  /**
   * Immutability is a property of the container (version-level immutability, switched on
   * through the management plane), not of the API: every Azure store offers them, and
   * `ensureContainer({ immutability: true })` refuses a container that cannot keep them.
   */
  readonly capabilities: StoreCapabilities = { atomicCreate: true, tiers: AZURE_TIERS, immutability: true, archiveTiers: AZURE_ARCHIVE_TIERS };
  readonly description: string;
  readonly location: AzureLocation;
  private readonly target: AzureTarget;
  private readonly env: Env;
  private readonly upload: { singlePutMax: number; blockSize: number; blocksInFlight: number };
  private readonly listPageSize: number | undefined;
  private client: Promise<ContainerClient> | undefined;
  private agent: Agent | undefined;
  private readonly agentFor: (serviceUrl: string) => Agent;
  /**
   * Whether the container keeps blob versions, so that a delete must also delete the previous
   * version it leaves: true once seen (a container with version-level immutability, a version
   * id in an answer), false once a delete found none; unknown until then.
   */
  private versioned: boolean | undefined;

  /** Throws UsageError for a malformed URL or an unusable mix of URL and environment; sends nothing. */
  constructor(url: string | AzureLocation, options: AzureStoreOptions = {}) {
    this.location = typeof url === 'string' ? parseAzureUrl(url) : url;
    this.env = options.env ?? process.env;
    this.target = resolveTarget(this.location, this.env);
    this.upload = {
      singlePutMax: options.singlePutMax ?? AZURE_UPLOAD.singlePutMax,
      blockSize: options.blockSize ?? AZURE_UPLOAD.blockSize,
      blocksInFlight: options.blocksInFlight ?? AZURE_UPLOAD.blocksInFlight,
    };
    this.listPageSize = options.listPageSize;
    const timeouts = options.timeouts;
    this.agentFor = (serviceUrl) => (this.agent ??= createAzureAgent(serviceUrl, timeouts));
    const client = containerClient(this.location, this.target, this.env, this.agentFor);
    if (client) this.client = Promise.resolve(client);
    // The container URL without its query, which may hold a SAS token.
    const at = client ? client.url.split('?')[0] : `${this.target.endpoint}/${this.location.container}`;
    this.description = `Azure Blob ${at}/${this.location.prefix} (credential: ${this.target.source})`;
  }

  /** How the store authenticates: connection-string, shared-key, sas or default-chain. */
  get credentialSource(): AzureTarget['source'] {
    return this.target.source;
  }

  async ensureContainer(options?: ContainerOptions): Promise<void> {
    const container = await this.container();
    if (options?.immutability) {
      // Checked, never created: only the management plane can create a container with WORM.
      await checkImmutableContainer(container);
      this.versioned = true; // version-level immutability needs blob versioning
      return;
    }
    const ctx: ErrorContext = { op: 'ensureContainer', key: `container ${this.location.container}` };
    try {
      await container.createIfNotExists();
    } catch (err) {
      const translated = toStoreError(err, ctx);
      // A container-scoped SAS may not create containers; one that may list this one proves it exists.
      if (translated instanceof AccessDeniedError && (await this.canList(container))) return;
      throw translated;
    }
  }

  async put(key: string, body: readonly Uint8Array[], options?: PutOptions): Promise<void> {
    const ifNotExists = options?.ifNotExists ?? false;
    const signal = options?.signal;
    const ctx: ErrorContext = { op: 'put', key, signal, conditional: ifNotExists };
    const tier = options?.tier === undefined ? undefined : canonicalTier(options.tier, key);
    const immutabilityPolicy = options?.immutability ? immutabilityPolicyOf(options.immutability) : undefined;
    const size = totalLength(body);
    const blob = await this.blob(key);
    try {
      if (size <= this.upload.singlePutMax) {
        const res = await blob.upload(oneBuffer(body, size), size, {
          ...(ifNotExists ? { conditions: { ifNoneMatch: '*' } } : {}),
          ...(tier ? { tier } : {}),
          ...(immutabilityPolicy ? { immutabilityPolicy } : {}),
          ...(signal ? { abortSignal: signal } : {}),
        });
        if (res.versionId) this.versioned = true;
        return;
      }
      // Do not stage megabytes for a create that is bound to fail; the commit's condition stays the guard.
      if (ifNotExists && (await this.exists(blob, ctx))) throw new ObjectExistsError(key);
      await uploadBlocks(blob, body, size, {
        blockSize: this.upload.blockSize,
        inFlight: this.upload.blocksInFlight,
        ifNotExists,
        ...(tier ? { tier } : {}),
        ...(immutabilityPolicy ? { immutabilityPolicy } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      throw await this.putFailure(err, blob, ctx);
    }
  }

  /**
   * A commit fails with 400 InvalidBlockList when another writer committed the key first: Azure
   * then discards every uncommitted block, ours included. For a create-once put the key now
   * exists; for an overwrite, staging again (a retry) succeeds.
   */
  private async putFailure(err: unknown, blob: BlockBlobClient, ctx: ErrorContext): Promise<StoreError> {
    const e = err as { statusCode?: number; code?: string; details?: { errorCode?: string } };
    if (e.statusCode !== 400 || (e.details?.errorCode ?? e.code) !== 'InvalidBlockList') return toStoreError(err, ctx);
    if (ctx.conditional && (await this.exists(blob, ctx).catch(() => false))) return new ObjectExistsError(ctx.key, { cause: err });
    return new StoreError(`Azure: put ${ctx.key}: staged blocks were discarded by a concurrent write of the same key`, {
      cause: err,
      retriable: true,
    });
  }

  async get(key: string, options?: GetOptions): Promise<Buffer> {
    const range = options?.range;
    const signal = options?.signal;
    const ctx: ErrorContext = { op: 'get', key, signal };
    if (range && !(isCount(range.offset) && isCount(range.length))) {
      throw new InvalidRangeError(`range ${range.offset}+${range.length} of object ${key} is not a valid byte range`);
    }
    // download(offset, 0) would mean "to the end", so an empty range is answered from the size.
    if (range?.length === 0) {
      const { size } = await this.head(key);
      if (range.offset > size) throw new InvalidRangeError(`range ${range.offset}+0 is outside object ${key} of ${size} bytes`);
      return Buffer.alloc(0);
    }
    return downloadBlob(await this.blob(key), ctx, range);
  }

  async head(key: string): Promise<ObjectInfo> {
    const blob = await this.blob(key);
    try {
      const props = await blob.getProperties();
      if (props.versionId) this.versioned = true;
      const until = immutableUntilOf(props);
      // x-ms-archive-status: rehydrate-pending-to-hot / -to-cool while a rehydration runs.
      const tier = props.accessTier ?? 'Hot';
      const restoring = /^rehydrate-pending/i.test(props.archiveStatus ?? '');
      return {
        key,
        size: props.contentLength ?? 0,
        ...(until !== undefined ? { immutableUntil: until } : {}),
        archive: { tier, cold: tier.toLowerCase() === 'archive', restoring },
      };
    } catch (err) {
      throw toStoreError(err, { op: 'head', key });
    }
  }

  async *list(prefix: string, signal?: AbortSignal): AsyncIterable<ObjectInfo> {
    const container = await this.container();
    const base = this.location.prefix;
    const pages = container
      .listBlobsFlat({ prefix: base + prefix, ...(signal ? { abortSignal: signal } : {}) })
      .byPage(this.listPageSize ? { maxPageSize: this.listPageSize } : {});
    try {
      for await (const page of pages) {
        for (const item of page.segment.blobItems) {
          const p = item.properties;
          yield {
            key: item.name.slice(base.length),
            size: p.contentLength ?? 0,
            modifiedMs: p.lastModified.getTime(),
            ...(p.accessTier ? { tier: p.accessTier } : {}),
          };
        }
      }
    } catch (err) {
      const translated = toStoreError(err, { op: 'list', key: base + prefix, signal });
      // No container, no objects: as a local store with no directory yet.
      if (translated instanceof ObjectNotFoundError) return;
      throw translated;
    }
  }

  /**
   * A blob under an active immutability policy is refused by Azure (409 BlobImmutableDueToPolicy:
   * ImmutableObjectError) and stays as it was. In a container that keeps versions, the delete
   * leaves the blob's data as a previous version, which is deleted by its id next; whether the
   * container keeps versions is learnt from the first delete that finds the blob.
   */
  async delete(key: string): Promise<void> {
    const blob = await this.blob(key);
    let deleted: boolean;
    try {
      // Snapshots of the blob go with it: the key is gone either way, and Azure refuses otherwise.
      deleted = (await blob.deleteIfExists({ deleteSnapshots: 'include' })).succeeded;
    } catch (err) {
      const translated = toStoreError(err, { op: 'delete', key });
      if (translated instanceof ObjectNotFoundError) return; // the container does not exist
      throw translated;
    }
    if (this.versioned === false) return;
    // Looked for even when the blob was missing: a delete retried after its listing failed finds
    // the blob gone and its previous version still there. Only a blob just deleted that left no
    // version proves the container keeps none.
    const seen = await deletePreviousVersions(await this.container(), this.location.prefix + key, key);
    if (seen) this.versioned = true;
    else if (deleted && this.versioned === undefined) this.versioned = false;
  }

  /**
   * Moves the end of the blob's immutability policy to `immutability.untilMs`, never earlier: a later
   * end already there is kept, and a Locked policy stays Locked (Azure refuses to unlock one).
   */
  async extendImmutability(key: string, immutability: ObjectImmutability): Promise<void> {
    const blob = await this.blob(key);
    const ctx: ErrorContext = { op: 'extendImmutability', key };
    try {
      const props = await blob.getProperties();
      const current = immutableUntilOf(props);
      if (current !== undefined && current >= immutableUntilOnWire(immutability.untilMs)) return;
      const mode = isLockedMode(props.immutabilityPolicyMode) ? 'Locked' : policyModeOf(immutability);
      // The SDK (12.32) does not pass an abort signal on this call; there is none to pass here.
      await blob.setImmutabilityPolicy(immutabilityPolicyOf(immutability, mode));
    } catch (err) {
      throw toStoreError(err, ctx);
    }
  }

  /** Set Blob Tier: moving to Archive is at once; the bytes and the key stay the same. */
  async setTier(key: string, tier: string): Promise<void> {
    const blob = await this.blob(key);
    try {
      await blob.setAccessTier(canonicalTier(tier, key) as 'Hot');
    } catch (err) {
      throw toStoreError(err, { op: 'setTier', key });
    }
  }

  /**
   * Rehydration in place: Set Blob Tier to Hot with a priority (High for `expedited`, else
   * Standard). 202 starts it, 200 means the blob was online already; a second request while one
   * runs is refused with 409 (BlobBeingRehydrated), which means it is in progress.
   */
  async requestRestore(key: string, options: RestoreObjectOptions): Promise<RestoreRequestOutcome> {
    const blob = await this.blob(key);
    try {
      const res = await blob.setAccessTier('Hot', { rehydratePriority: options.priority === 'expedited' ? 'High' : 'Standard' });
      return res._response.status === 202 ? 'requested' : 'restored';
    } catch (err) {
      const e = err as { statusCode?: number; code?: string; details?: { errorCode?: string } };
      if (e.statusCode === 409 && /rehydrat/i.test(e.details?.errorCode ?? e.code ?? '')) return 'in-progress';
      throw toStoreError(err, { op: 'rehydrate', key });
    }
  }

  /** Closes the store's pooled connections; requests still running fail. */
  async close(): Promise<void> {
    this.agent?.destroy();
  }

  private container(): Promise<ContainerClient> {
    this.client ??= defaultChainContainerClient(this.location, this.target, this.agentFor).catch((err: unknown) => {
      this.client = undefined;
      throw new StoreError(`Azure: cannot set up the default Azure credential chain: ${(err as Error).message}`, { cause: err });
    });
    return this.client;
  }

  private async blob(key: string): Promise<BlockBlobClient> {
    if (key === '' || key.startsWith('/')) throw new StoreError(`Azure: invalid object key "${key}"`);
    return (await this.container()).getBlockBlobClient(this.location.prefix + key);
  }

  private async exists(blob: BlockBlobClient, ctx: ErrorContext): Promise<boolean> {
    try {
      await blob.getProperties(ctx.signal ? { abortSignal: ctx.signal } : {});
      return true;
    } catch (err) {
      const translated = toStoreError(err, ctx);
      if (translated instanceof ObjectNotFoundError) return false;
      throw translated;
    }
  }

  private async canList(container: ContainerClient): Promise<boolean> {
    try {
      await container.listBlobsFlat().byPage({ maxPageSize: 1 }).next();
      return true;
    } catch {
      return false;
    }
  }
}

/** The body as one Buffer for Put Blob: the part itself when there is one, else a copy (<= singlePutMax). */
function oneBuffer(body: readonly Uint8Array[], size: number): Buffer {
  const only = body.length === 1 ? body[0]! : undefined;
  if (only) return Buffer.from(only.buffer, only.byteOffset, only.byteLength);
  return Buffer.concat(body as Uint8Array[], size);
}

function canonicalTier(tier: string, key: string): string {
  const found = AZURE_TIERS.find((t) => t.toLowerCase() === tier.toLowerCase());
  if (!found) throw new StoreError(`Azure: put ${key}: unknown access tier "${tier}" (use ${AZURE_TIERS.join(', ')})`);
  return found;
}

function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}
