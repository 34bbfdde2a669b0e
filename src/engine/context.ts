// What the engine needs of an open repository: the store, the sealer and the geometry.
import type { Sealer } from '../format/seal.js';
import type { Geometry } from '../format/geometry.js';
import type { RepoConfig } from '../format/types.js';
import type { ObjectStore } from '../store/object-store.js';
import type { ForwardTable } from './forward-table.js';

// The geometry lives in src/format/geometry.ts; engine modules import it from here as before.
export { type Geometry, geometryOf, nodeSpan, rootLevel, segmentCount } from '../format/geometry.js';

export interface RepoContext {
  readonly store: ObjectStore;
  readonly config: RepoConfig;
  readonly sealer: Sealer;
  readonly geometry: Geometry;
  /** The AEAD key, for worker threads that seal and open blobs (null: no encryption). */
  readonly aeadKey: Buffer | null;
  /** Keyed name of a volume, used in object keys so names reveal nothing. */
  volumeKey(volume: string): string;
  /** Where repacking moved blobs (loaded once, on first use; empty when nothing was repacked). */
  forwarding(): Promise<ForwardTable>;
}
