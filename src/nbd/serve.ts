// Serving one snapshot: resolve it, build its export (read-only, under an overlay, or hydrating a
// target), listen, and on close report what was served. The library entry point of `serve`.
import { type ReaderStats, type SegmentSpill, SnapshotReader } from '../engine/index.js';
import { UsageError } from '../errors.js';
import type { Manifest } from '../format/types.js';
import { checkVolumeName, describe, resolveSnapshot, snapshotId } from '../repo/catalog.js';
import type { Repository } from '../repo/repository.js';
import { DiskCache } from './cache.js';
import { ClusterMap } from './cluster-map.js';
import type { BlockExport } from './export.js';
import { Hydration, type HydrationProgress } from './hydrate.js';
import { CowExport } from './overlay.js';
import { NbdServer, parseListen } from './server.js';
import type { ServeStats } from './session.js';
import { SnapshotExport } from './snapshot-export.js';

export interface ServeRequest {
  volume: string;
  /** A snapshot id, unique prefix, or `latest`. */
  snapshot: string;
  /** `HOST:PORT` or `unix:PATH`. */
  listen: string;
  /** Accept writes: into `overlay`, or into the `hydrate` target. */
  writable?: boolean;
  overlay?: string;
  hydrate?: string;
  /** Memory for proven segments (default 64 MiB). */
  cacheBytes?: number;
  /** A file for the on-disk cache of proven segments (removed on close). */
  diskCache?: string;
  /** Or any other second-level store of proven segments. */
  spill?: SegmentSpill;
  onLog?: (line: string) => void;
  /** Told once when hydration has finished or failed. */
  onHydrated?: (p: HydrationProgress) => void;
  now?: () => number;
}

export interface ServeSummary {
  volume: string;
  snapshot: string;
  export: string;
  address: string;
  writable: boolean;
  overlay: string | null;
  served: ServeStats;
  cache: ReaderStats & { diskCacheBytes: number };
  /** Milliseconds from the start of serving to the first READ answered; null when none was. */
  firstReadMs: number | null;
  hydration: HydrationProgress | null;
  durationMs: number;
}

export interface Serving {
  manifest: Manifest;
  address: string;
  exportName: string;
  server: NbdServer;
  reader: SnapshotReader;
  hydration: Hydration | null;
  /** Resolves when hydration has finished (at once when there is none). */
  hydrated: Promise<HydrationProgress | null>;
  summary(): ServeSummary;
  /** Stops listening, ends connections and hydration, flushes the overlay or target. */
  close(): Promise<ServeSummary>;
}

/** Refuses a request that cannot be served, before anything is opened (exit 2). */
export function checkServeRequest(req: Pick<ServeRequest, 'volume' | 'listen' | 'writable' | 'overlay' | 'hydrate'>): void {
  checkVolumeName(req.volume);
  parseListen(req.listen);
  if (req.overlay && req.hydrate)
    throw new UsageError('serve: --overlay and --hydrate exclude each other (with --hydrate, writes go to the target)');
  if (req.writable && !req.overlay && !req.hydrate)
    throw new UsageError('serve: --writable needs --overlay FILE (or --hydrate TARGET) to hold the writes');
  if (req.overlay && !req.writable) throw new UsageError('serve: --overlay is for --writable');
}

export async function serveSnapshot(repo: Repository, req: ServeRequest): Promise<Serving> {
  const now = req.now ?? Date.now;
  const started = now();
  checkServeRequest(req);
  const { manifest } = await resolveSnapshot(repo, req.volume, req.snapshot);
  const disk = req.diskCache ? await DiskCache.create(req.diskCache, manifest.size, repo.geometry.segmentSize) : null;
  const spill = disk ?? req.spill;
  const reader = new SnapshotReader(repo, manifest, describe(manifest), {
    ...(req.cacheBytes !== undefined ? { cacheBytes: req.cacheBytes } : {}),
    ...(spill ? { spill } : {}),
  });
  const exportName = `${manifest.volume}@${snapshotId(manifest)}`;
  const snapshot = new SnapshotExport(reader, exportName);
  let cow: CowExport | null = null;
  const file = req.overlay ?? req.hydrate;
  const mapPath = file ? `${file}.map` : null;
  try {
    if (file) cow = await CowExport.open(snapshot, file, { writeZeros: !!req.hydrate, snapshotId: manifest.id, mapPath });
  } catch (err) {
    await disk?.close();
    throw err;
  }
  const exp: BlockExport = cow ? (req.writable ? cow : readOnly(cow)) : snapshot;

  let hydration: Hydration | null = null;
  let hydrated: Promise<HydrationProgress | null> = Promise.resolve(null);
  let server: NbdServer;
  try {
    server = await NbdServer.listen(req.listen, [exp], { ...(req.onLog ? { onLog: req.onLog } : {}), now });
  } catch (err) {
    await cow?.close();
    await disk?.close();
    throw err;
  }
  if (req.hydrate && cow) {
    const h = new Hydration(cow, now);
    hydration = h;
    hydrated = h.run().then(async () => {
      // A complete target is the volume: its map has nothing left to say.
      if (h.progress.done && mapPath && !cow.isBlockDevice) await ClusterMap.remove(mapPath);
      req.onHydrated?.(h.progress);
      return h.progress;
    });
  }

  const summary = (): ServeSummary => ({
    volume: manifest.volume,
    snapshot: snapshotId(manifest),
    export: exportName,
    address: server.address,
    writable: exp.writable,
    overlay: req.overlay ?? null,
    served: { ...server.stats },
    cache: { ...reader.stats, diskCacheBytes: disk?.bytesStored ?? 0 },
    firstReadMs: server.stats.firstReadAt === null ? null : server.stats.firstReadAt - started,
    hydration: hydration ? { ...hydration.progress } : null,
    durationMs: now() - started,
  });
  return {
    manifest,
    address: server.address,
    exportName,
    server,
    reader,
    hydration,
    hydrated,
    summary,
    async close() {
      hydration?.stop();
      await server.close();
      await hydrated;
      await cow?.close();
      await disk?.close();
      return summary();
    },
  };
}

/** A hydration target served to clients that may not write (serve --hydrate without --writable). */
function readOnly(e: BlockExport): BlockExport {
  return {
    name: e.name,
    description: e.description,
    size: e.size,
    writable: false,
    read: (o, l, c) => e.read(o, l, c),
    allocation: (o, l) => e.allocation(o, l),
    write: () => Promise.reject(new UsageError('the export is read-only')),
    trim: () => Promise.reject(new UsageError('the export is read-only')),
    writeZeroes: () => Promise.reject(new UsageError('the export is read-only')),
    flush: () => e.flush(),
  };
}
