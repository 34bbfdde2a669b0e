import * as $protobuf from "protobufjs";
import Long = require("long");

export namespace snaptier {

    interface IRepoConfig extends snaptier.RepoConfig.$Properties {
    }

    class RepoConfig {
        constructor(p?: snaptier.RepoConfig.$Properties);
        $unknowns?: Uint8Array[];
        version: number;
        repoId: Uint8Array;
        key?: (snaptier.KeyWrap.$Properties|null);
        compression: snaptier.Compression;
        blockSize: number;
        fingerprintSize: number;
        segmentSize: number;
        fanout: number;
        packSize: number;
        maxChunkSize: number;
        dataTier: string;
        createdMs: number;
        lock?: (snaptier.RetentionLock.$Properties|null);
        static create(properties: snaptier.RepoConfig.$Shape): snaptier.RepoConfig & snaptier.RepoConfig.$Shape;
        static create(properties?: snaptier.RepoConfig.$Properties): snaptier.RepoConfig;
        static encode(m: snaptier.RepoConfig.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): snaptier.RepoConfig & snaptier.RepoConfig.$Shape;
        static getTypeUrl(prefix?: string): string;
    }

    namespace RepoConfig {
        interface $Properties {
            version?: (number|null);
            repoId?: (Uint8Array|null);
            key?: (snaptier.KeyWrap.$Properties|null);
            compression?: (snaptier.Compression|null);
            blockSize?: (number|null);
            fingerprintSize?: (number|null);
            segmentSize?: (number|null);
            fanout?: (number|null);
            packSize?: (number|null);
            maxChunkSize?: (number|null);
            dataTier?: (string|null);
            createdMs?: (number|null);
            lock?: (snaptier.RetentionLock.$Properties|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = snaptier.RepoConfig.$Properties;
    }

    interface IRetentionLock extends snaptier.RetentionLock.$Properties {
    }

    class RetentionLock {
        constructor(p?: snaptier.RetentionLock.$Properties);
        $unknowns?: Uint8Array[];
        mode: string;
        seconds: number;
        untilMs: number;
        static create(properties: snaptier.RetentionLock.$Shape): snaptier.RetentionLock & snaptier.RetentionLock.$Shape;
        static create(properties?: snaptier.RetentionLock.$Properties): snaptier.RetentionLock;
        static encode(m: snaptier.RetentionLock.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): snaptier.RetentionLock & snaptier.RetentionLock.$Shape;
        static getTypeUrl(prefix?: string): string;
    }

    namespace RetentionLock {
        interface $Properties {
            mode?: (string|null);
            seconds?: (number|null);
            untilMs?: (number|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = snaptier.RetentionLock.$Properties;
    }

    enum Compression {
        COMPRESSION_NONE = 0,
        COMPRESSION_ZSTD = 1,
        COMPRESSION_LZ4 = 2
    }

    interface IKeyWrap extends snaptier.KeyWrap.$Properties {
    }

    class KeyWrap {
        constructor(p?: snaptier.KeyWrap.$Properties);
        $unknowns?: Uint8Array[];
        kdf: string;
        log2N: number;
        r: number;
        p: number;
        salt: Uint8Array;
        wrapped: Uint8Array;
        static create(properties: snaptier.KeyWrap.$Shape): snaptier.KeyWrap & snaptier.KeyWrap.$Shape;
        static create(properties?: snaptier.KeyWrap.$Properties): snaptier.KeyWrap;
        static encode(m: snaptier.KeyWrap.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): snaptier.KeyWrap & snaptier.KeyWrap.$Shape;
        static getTypeUrl(prefix?: string): string;
    }

    namespace KeyWrap {
        interface $Properties {
            kdf?: (string|null);
            log2N?: (number|null);
            r?: (number|null);
            p?: (number|null);
            salt?: (Uint8Array|null);
            wrapped?: (Uint8Array|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = snaptier.KeyWrap.$Properties;
    }

    interface IBlobRef extends snaptier.BlobRef.$Properties {
    }

    class BlobRef {
        constructor(p?: snaptier.BlobRef.$Properties);
        $unknowns?: Uint8Array[];
        pack: Uint8Array;
        offset: number;
        length: number;
        id: Uint8Array;
        rawLength: number;
        static create(properties: snaptier.BlobRef.$Shape): snaptier.BlobRef & snaptier.BlobRef.$Shape;
        static create(properties?: snaptier.BlobRef.$Properties): snaptier.BlobRef;
        static encode(m: snaptier.BlobRef.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): snaptier.BlobRef & snaptier.BlobRef.$Shape;
        static getTypeUrl(prefix?: string): string;
    }

    namespace BlobRef {
        interface $Properties {
            pack?: (Uint8Array|null);
            offset?: (number|null);
            length?: (number|null);
            id?: (Uint8Array|null);
            rawLength?: (number|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = snaptier.BlobRef.$Properties;
    }

    interface IManifest extends snaptier.Manifest.$Properties {
    }

    class Manifest {
        constructor(p?: snaptier.Manifest.$Properties);
        $unknowns?: Uint8Array[];
        version: number;
        id: Uint8Array;
        volume: string;
        parent: Uint8Array;
        timeMs: number;
        size: number;
        labels: { [k: string]: string };
        root?: (snaptier.NodeRef.$Properties|null);
        rootLevel: number;
        imageDigest: Uint8Array;
        packs: Uint8Array[];
        stats?: (snaptier.SnapshotStats.$Properties|null);
        sourceId: string;
        static create(properties: snaptier.Manifest.$Shape): snaptier.Manifest & snaptier.Manifest.$Shape;
        static create(properties?: snaptier.Manifest.$Properties): snaptier.Manifest;
        static encode(m: snaptier.Manifest.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): snaptier.Manifest & snaptier.Manifest.$Shape;
        static getTypeUrl(prefix?: string): string;
    }

    namespace Manifest {
        interface $Properties {
            version?: (number|null);
            id?: (Uint8Array|null);
            volume?: (string|null);
            parent?: (Uint8Array|null);
            timeMs?: (number|null);
            size?: (number|null);
            labels?: ({ [k: string]: string }|null);
            root?: (snaptier.NodeRef.$Properties|null);
            rootLevel?: (number|null);
            imageDigest?: (Uint8Array|null);
            packs?: (Uint8Array[]|null);
            stats?: (snaptier.SnapshotStats.$Properties|null);
            sourceId?: (string|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = snaptier.Manifest.$Properties;
    }

    interface ISnapshotStats extends snaptier.SnapshotStats.$Properties {
    }

    class SnapshotStats {
        constructor(p?: snaptier.SnapshotStats.$Properties);
        $unknowns?: Uint8Array[];
        bytesRead: number;
        bytesChanged: number;
        bytesUploaded: number;
        objectsUploaded: number;
        mode: string;
        static create(properties: snaptier.SnapshotStats.$Shape): snaptier.SnapshotStats & snaptier.SnapshotStats.$Shape;
        static create(properties?: snaptier.SnapshotStats.$Properties): snaptier.SnapshotStats;
        static encode(m: snaptier.SnapshotStats.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): snaptier.SnapshotStats & snaptier.SnapshotStats.$Shape;
        static getTypeUrl(prefix?: string): string;
    }

    namespace SnapshotStats {
        interface $Properties {
            bytesRead?: (number|null);
            bytesChanged?: (number|null);
            bytesUploaded?: (number|null);
            objectsUploaded?: (number|null);
            mode?: (string|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = snaptier.SnapshotStats.$Properties;
    }

    interface INodeRef extends snaptier.NodeRef.$Properties {
    }

    class NodeRef {
        constructor(p?: snaptier.NodeRef.$Properties);
        $unknowns?: Uint8Array[];
        blob?: (snaptier.BlobRef.$Properties|null);
        digest: Uint8Array;
        static create(properties: snaptier.NodeRef.$Shape): snaptier.NodeRef & snaptier.NodeRef.$Shape;
        static create(properties?: snaptier.NodeRef.$Properties): snaptier.NodeRef;
        static encode(m: snaptier.NodeRef.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): snaptier.NodeRef & snaptier.NodeRef.$Shape;
        static getTypeUrl(prefix?: string): string;
    }

    namespace NodeRef {
        interface $Properties {
            blob?: (snaptier.BlobRef.$Properties|null);
            digest?: (Uint8Array|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = snaptier.NodeRef.$Properties;
    }

    interface IMapInterior extends snaptier.MapInterior.$Properties {
    }

    class MapInterior {
        constructor(p?: snaptier.MapInterior.$Properties);
        $unknowns?: Uint8Array[];
        version: number;
        level: number;
        children: snaptier.MapChild.$Properties[];
        static create(properties: snaptier.MapInterior.$Shape): snaptier.MapInterior & snaptier.MapInterior.$Shape;
        static create(properties?: snaptier.MapInterior.$Properties): snaptier.MapInterior;
        static encode(m: snaptier.MapInterior.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): snaptier.MapInterior & snaptier.MapInterior.$Shape;
        static getTypeUrl(prefix?: string): string;
    }

    namespace MapInterior {
        interface $Properties {
            version?: (number|null);
            level?: (number|null);
            children?: (snaptier.MapChild.$Properties[]|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = snaptier.MapInterior.$Properties;
    }

    interface IMapChild extends snaptier.MapChild.$Properties {
    }

    class MapChild {
        constructor(p?: snaptier.MapChild.$Properties);
        $unknowns?: Uint8Array[];
        index: number;
        ref?: (snaptier.NodeRef.$Properties|null);
        static create(properties: snaptier.MapChild.$Shape): snaptier.MapChild & snaptier.MapChild.$Shape;
        static create(properties?: snaptier.MapChild.$Properties): snaptier.MapChild;
        static encode(m: snaptier.MapChild.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): snaptier.MapChild & snaptier.MapChild.$Shape;
        static getTypeUrl(prefix?: string): string;
    }

    namespace MapChild {
        interface $Properties {
            index?: (number|null);
            ref?: (snaptier.NodeRef.$Properties|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = snaptier.MapChild.$Properties;
    }

    interface IMapLeaf extends snaptier.MapLeaf.$Properties {
    }

    class MapLeaf {
        constructor(p?: snaptier.MapLeaf.$Properties);
        $unknowns?: Uint8Array[];
        version: number;
        extents: snaptier.Extent.$Properties[];
        fingerprints: Uint8Array;
        static create(properties: snaptier.MapLeaf.$Shape): snaptier.MapLeaf & snaptier.MapLeaf.$Shape;
        static create(properties?: snaptier.MapLeaf.$Properties): snaptier.MapLeaf;
        static encode(m: snaptier.MapLeaf.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): snaptier.MapLeaf & snaptier.MapLeaf.$Shape;
        static getTypeUrl(prefix?: string): string;
    }

    namespace MapLeaf {
        interface $Properties {
            version?: (number|null);
            extents?: (snaptier.Extent.$Properties[]|null);
            fingerprints?: (Uint8Array|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = snaptier.MapLeaf.$Properties;
    }

    interface IExtent extends snaptier.Extent.$Properties {
    }

    class Extent {
        constructor(p?: snaptier.Extent.$Properties);
        $unknowns?: Uint8Array[];
        start: number;
        length: number;
        chunk?: (snaptier.BlobRef.$Properties|null);
        chunkOffset: number;
        static create(properties: snaptier.Extent.$Shape): snaptier.Extent & snaptier.Extent.$Shape;
        static create(properties?: snaptier.Extent.$Properties): snaptier.Extent;
        static encode(m: snaptier.Extent.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): snaptier.Extent & snaptier.Extent.$Shape;
        static getTypeUrl(prefix?: string): string;
    }

    namespace Extent {
        interface $Properties {
            start?: (number|null);
            length?: (number|null);
            chunk?: (snaptier.BlobRef.$Properties|null);
            chunkOffset?: (number|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = snaptier.Extent.$Properties;
    }

    interface IPackTrailer extends snaptier.PackTrailer.$Properties {
    }

    class PackTrailer {
        constructor(p?: snaptier.PackTrailer.$Properties);
        $unknowns?: Uint8Array[];
        version: number;
        pack: Uint8Array;
        kind: snaptier.PackKind;
        entries: snaptier.PackEntry.$Properties[];
        static create(properties: snaptier.PackTrailer.$Shape): snaptier.PackTrailer & snaptier.PackTrailer.$Shape;
        static create(properties?: snaptier.PackTrailer.$Properties): snaptier.PackTrailer;
        static encode(m: snaptier.PackTrailer.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): snaptier.PackTrailer & snaptier.PackTrailer.$Shape;
        static getTypeUrl(prefix?: string): string;
    }

    namespace PackTrailer {
        interface $Properties {
            version?: (number|null);
            pack?: (Uint8Array|null);
            kind?: (snaptier.PackKind|null);
            entries?: (snaptier.PackEntry.$Properties[]|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = snaptier.PackTrailer.$Properties;
    }

    enum PackKind {
        PACK_DATA = 0,
        PACK_TREE = 1
    }

    interface IPackEntry extends snaptier.PackEntry.$Properties {
    }

    class PackEntry {
        constructor(p?: snaptier.PackEntry.$Properties);
        $unknowns?: Uint8Array[];
        id: Uint8Array;
        offset: number;
        length: number;
        rawLength: number;
        static create(properties: snaptier.PackEntry.$Shape): snaptier.PackEntry & snaptier.PackEntry.$Shape;
        static create(properties?: snaptier.PackEntry.$Properties): snaptier.PackEntry;
        static encode(m: snaptier.PackEntry.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): snaptier.PackEntry & snaptier.PackEntry.$Shape;
        static getTypeUrl(prefix?: string): string;
    }

    namespace PackEntry {
        interface $Properties {
            id?: (Uint8Array|null);
            offset?: (number|null);
            length?: (number|null);
            rawLength?: (number|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = snaptier.PackEntry.$Properties;
    }

    interface IHold extends snaptier.Hold.$Properties {
    }

    class Hold {
        constructor(p?: snaptier.Hold.$Properties);
        $unknowns?: Uint8Array[];
        version: number;
        id: Uint8Array;
        volume: string;
        snapshot: Uint8Array;
        untilMs: number;
        reason: string;
        createdMs: number;
        static create(properties: snaptier.Hold.$Shape): snaptier.Hold & snaptier.Hold.$Shape;
        static create(properties?: snaptier.Hold.$Properties): snaptier.Hold;
        static encode(m: snaptier.Hold.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): snaptier.Hold & snaptier.Hold.$Shape;
        static getTypeUrl(prefix?: string): string;
    }

    namespace Hold {
        interface $Properties {
            version?: (number|null);
            id?: (Uint8Array|null);
            volume?: (string|null);
            snapshot?: (Uint8Array|null);
            untilMs?: (number|null);
            reason?: (string|null);
            createdMs?: (number|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = snaptier.Hold.$Properties;
    }

    interface IPruneRecord extends snaptier.PruneRecord.$Properties {
    }

    class PruneRecord {
        constructor(p?: snaptier.PruneRecord.$Properties);
        $unknowns?: Uint8Array[];
        version: number;
        id: Uint8Array;
        createdMs: number;
        packs: snaptier.PrunePack.$Properties[];
        static create(properties: snaptier.PruneRecord.$Shape): snaptier.PruneRecord & snaptier.PruneRecord.$Shape;
        static create(properties?: snaptier.PruneRecord.$Properties): snaptier.PruneRecord;
        static encode(m: snaptier.PruneRecord.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): snaptier.PruneRecord & snaptier.PruneRecord.$Shape;
        static getTypeUrl(prefix?: string): string;
    }

    namespace PruneRecord {
        interface $Properties {
            version?: (number|null);
            id?: (Uint8Array|null);
            createdMs?: (number|null);
            packs?: (snaptier.PrunePack.$Properties[]|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = snaptier.PruneRecord.$Properties;
    }

    interface IPrunePack extends snaptier.PrunePack.$Properties {
    }

    class PrunePack {
        constructor(p?: snaptier.PrunePack.$Properties);
        $unknowns?: Uint8Array[];
        pack: Uint8Array;
        sinceMs: number;
        released: boolean;
        static create(properties: snaptier.PrunePack.$Shape): snaptier.PrunePack & snaptier.PrunePack.$Shape;
        static create(properties?: snaptier.PrunePack.$Properties): snaptier.PrunePack;
        static encode(m: snaptier.PrunePack.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): snaptier.PrunePack & snaptier.PrunePack.$Shape;
        static getTypeUrl(prefix?: string): string;
    }

    namespace PrunePack {
        interface $Properties {
            pack?: (Uint8Array|null);
            sinceMs?: (number|null);
            released?: (boolean|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = snaptier.PrunePack.$Properties;
    }

    interface IForwardRecord extends snaptier.ForwardRecord.$Properties {
    }

    class ForwardRecord {
        constructor(p?: snaptier.ForwardRecord.$Properties);
        $unknowns?: Uint8Array[];
        version: number;
        id: Uint8Array;
        createdMs: number;
        moves: snaptier.ForwardMove.$Properties[];
        static create(properties: snaptier.ForwardRecord.$Shape): snaptier.ForwardRecord & snaptier.ForwardRecord.$Shape;
        static create(properties?: snaptier.ForwardRecord.$Properties): snaptier.ForwardRecord;
        static encode(m: snaptier.ForwardRecord.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): snaptier.ForwardRecord & snaptier.ForwardRecord.$Shape;
        static getTypeUrl(prefix?: string): string;
    }

    namespace ForwardRecord {
        interface $Properties {
            version?: (number|null);
            id?: (Uint8Array|null);
            createdMs?: (number|null);
            moves?: (snaptier.ForwardMove.$Properties[]|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = snaptier.ForwardRecord.$Properties;
    }

    interface IForwardMove extends snaptier.ForwardMove.$Properties {
    }

    class ForwardMove {
        constructor(p?: snaptier.ForwardMove.$Properties);
        $unknowns?: Uint8Array[];
        from: Uint8Array;
        to: Uint8Array;
        fromOffsets: number[];
        toOffsets: number[];
        static create(properties: snaptier.ForwardMove.$Shape): snaptier.ForwardMove & snaptier.ForwardMove.$Shape;
        static create(properties?: snaptier.ForwardMove.$Properties): snaptier.ForwardMove;
        static encode(m: snaptier.ForwardMove.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): snaptier.ForwardMove & snaptier.ForwardMove.$Shape;
        static getTypeUrl(prefix?: string): string;
    }

    namespace ForwardMove {
        interface $Properties {
            from?: (Uint8Array|null);
            to?: (Uint8Array|null);
            fromOffsets?: (number[]|null);
            toOffsets?: (number[]|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = snaptier.ForwardMove.$Properties;
    }

    interface IRepoLock extends snaptier.RepoLock.$Properties {
    }

    class RepoLock {
        constructor(p?: snaptier.RepoLock.$Properties);
        $unknowns?: Uint8Array[];
        version: number;
        id: Uint8Array;
        owner: Uint8Array;
        host: string;
        pid: number;
        operation: string;
        kind: snaptier.LockKind;
        volume: string;
        startedMs: number;
        refreshedMs: number;
        static create(properties: snaptier.RepoLock.$Shape): snaptier.RepoLock & snaptier.RepoLock.$Shape;
        static create(properties?: snaptier.RepoLock.$Properties): snaptier.RepoLock;
        static encode(m: snaptier.RepoLock.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): snaptier.RepoLock & snaptier.RepoLock.$Shape;
        static getTypeUrl(prefix?: string): string;
    }

    namespace RepoLock {
        interface $Properties {
            version?: (number|null);
            id?: (Uint8Array|null);
            owner?: (Uint8Array|null);
            host?: (string|null);
            pid?: (number|null);
            operation?: (string|null);
            kind?: (snaptier.LockKind|null);
            volume?: (string|null);
            startedMs?: (number|null);
            refreshedMs?: (number|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = snaptier.RepoLock.$Properties;
    }

    enum LockKind {
        LOCK_SHARED = 0,
        LOCK_EXCLUSIVE = 1
    }

    interface ICheckpoint extends snaptier.Checkpoint.$Properties {
    }

    class Checkpoint {
        constructor(p?: snaptier.Checkpoint.$Properties);
        $unknowns?: Uint8Array[];
        version: number;
        id: Uint8Array;
        run: Uint8Array;
        volume: string;
        parent: Uint8Array;
        size: number;
        rootLevel: number;
        done: number;
        nodes: snaptier.CheckpointNode.$Properties[];
        startedMs: number;
        timeMs: number;
        static create(properties: snaptier.Checkpoint.$Shape): snaptier.Checkpoint & snaptier.Checkpoint.$Shape;
        static create(properties?: snaptier.Checkpoint.$Properties): snaptier.Checkpoint;
        static encode(m: snaptier.Checkpoint.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): snaptier.Checkpoint & snaptier.Checkpoint.$Shape;
        static getTypeUrl(prefix?: string): string;
    }

    namespace Checkpoint {
        interface $Properties {
            version?: (number|null);
            id?: (Uint8Array|null);
            run?: (Uint8Array|null);
            volume?: (string|null);
            parent?: (Uint8Array|null);
            size?: (number|null);
            rootLevel?: (number|null);
            done?: (number|null);
            nodes?: (snaptier.CheckpointNode.$Properties[]|null);
            startedMs?: (number|null);
            timeMs?: (number|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = snaptier.Checkpoint.$Properties;
    }

    interface ICheckpointNode extends snaptier.CheckpointNode.$Properties {
    }

    class CheckpointNode {
        constructor(p?: snaptier.CheckpointNode.$Properties);
        $unknowns?: Uint8Array[];
        level: number;
        index: number;
        ref?: (snaptier.NodeRef.$Properties|null);
        static create(properties: snaptier.CheckpointNode.$Shape): snaptier.CheckpointNode & snaptier.CheckpointNode.$Shape;
        static create(properties?: snaptier.CheckpointNode.$Properties): snaptier.CheckpointNode;
        static encode(m: snaptier.CheckpointNode.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
        static decode(r: ($protobuf.Reader|Uint8Array), l?: number): snaptier.CheckpointNode & snaptier.CheckpointNode.$Shape;
        static getTypeUrl(prefix?: string): string;
    }

    namespace CheckpointNode {
        interface $Properties {
            level?: (number|null);
            index?: (number|null);
            ref?: (snaptier.NodeRef.$Properties|null);
            $unknowns?: Uint8Array[];
        }
        type $Shape = snaptier.CheckpointNode.$Properties;
    }
}
