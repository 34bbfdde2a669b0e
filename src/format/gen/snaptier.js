/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const snaptier = $root.snaptier = (() => {

    /**
     * Namespace snaptier.
     * @exports snaptier
     * @namespace
     */
    const snaptier = {};

    snaptier.RepoConfig = (function() {

        /**
         * Properties of a RepoConfig.
         * @typedef {Object} snaptier.RepoConfig.$Properties
         * @property {number|null} [version] RepoConfig version
         * @property {Uint8Array|null} [repoId] RepoConfig repoId
         * @property {snaptier.KeyWrap.$Properties|null} [key] RepoConfig key
         * @property {snaptier.Compression|null} [compression] RepoConfig compression
         * @property {number|null} [blockSize] RepoConfig blockSize
         * @property {number|null} [fingerprintSize] RepoConfig fingerprintSize
         * @property {number|null} [segmentSize] RepoConfig segmentSize
         * @property {number|null} [fanout] RepoConfig fanout
         * @property {number|null} [packSize] RepoConfig packSize
         * @property {number|null} [maxChunkSize] RepoConfig maxChunkSize
         * @property {string|null} [dataTier] RepoConfig dataTier
         * @property {number|null} [createdMs] RepoConfig createdMs
         * @property {snaptier.RetentionLock.$Properties|null} [lock] RepoConfig lock
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a RepoConfig.
         * @memberof snaptier
         * @interface IRepoConfig
         * @augments snaptier.RepoConfig.$Properties
         * @deprecated Use snaptier.RepoConfig.$Properties instead.
         */

        /**
         * Shape of a RepoConfig.
         * @typedef {snaptier.RepoConfig.$Properties} snaptier.RepoConfig.$Shape
         */

        /**
         * Constructs a new RepoConfig.
         * @memberof snaptier
         * @classdesc Represents a RepoConfig.
         * @constructor
         * @param {snaptier.RepoConfig.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const RepoConfig = function (p) {
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * RepoConfig version.
         * @member {number} version
         * @memberof snaptier.RepoConfig
         * @instance
         */
        RepoConfig.prototype.version = 0;

        /**
         * RepoConfig repoId.
         * @member {Uint8Array} repoId
         * @memberof snaptier.RepoConfig
         * @instance
         */
        RepoConfig.prototype.repoId = $util.newBuffer([]);

        /**
         * RepoConfig key.
         * @member {snaptier.KeyWrap.$Properties|null|undefined} key
         * @memberof snaptier.RepoConfig
         * @instance
         */
        RepoConfig.prototype.key = null;

        /**
         * RepoConfig compression.
         * @member {snaptier.Compression} compression
         * @memberof snaptier.RepoConfig
         * @instance
         */
        RepoConfig.prototype.compression = 0;

        /**
         * RepoConfig blockSize.
         * @member {number} blockSize
         * @memberof snaptier.RepoConfig
         * @instance
         */
        RepoConfig.prototype.blockSize = 0;

        /**
         * RepoConfig fingerprintSize.
         * @member {number} fingerprintSize
         * @memberof snaptier.RepoConfig
         * @instance
         */
        RepoConfig.prototype.fingerprintSize = 0;

        /**
         * RepoConfig segmentSize.
         * @member {number} segmentSize
         * @memberof snaptier.RepoConfig
         * @instance
         */
        RepoConfig.prototype.segmentSize = 0;

        /**
         * RepoConfig fanout.
         * @member {number} fanout
         * @memberof snaptier.RepoConfig
         * @instance
         */
        RepoConfig.prototype.fanout = 0;

        /**
         * RepoConfig packSize.
         * @member {number} packSize
         * @memberof snaptier.RepoConfig
         * @instance
         */
        RepoConfig.prototype.packSize = 0;

        /**
         * RepoConfig maxChunkSize.
         * @member {number} maxChunkSize
         * @memberof snaptier.RepoConfig
         * @instance
         */
        RepoConfig.prototype.maxChunkSize = 0;

        /**
         * RepoConfig dataTier.
         * @member {string} dataTier
         * @memberof snaptier.RepoConfig
         * @instance
         */
        RepoConfig.prototype.dataTier = "";

        /**
         * RepoConfig createdMs.
         * @member {number} createdMs
         * @memberof snaptier.RepoConfig
         * @instance
         */
        RepoConfig.prototype.createdMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * RepoConfig lock.
         * @member {snaptier.RetentionLock.$Properties|null|undefined} lock
         * @memberof snaptier.RepoConfig
         * @instance
         */
        RepoConfig.prototype.lock = null;

        /**
         * Creates a new RepoConfig instance using the specified properties.
         * @function create
         * @memberof snaptier.RepoConfig
         * @static
         * @param {snaptier.RepoConfig.$Properties=} [properties] Properties to set
         * @returns {snaptier.RepoConfig} RepoConfig instance
         * @type {{
         *   (properties: snaptier.RepoConfig.$Shape): snaptier.RepoConfig & snaptier.RepoConfig.$Shape;
         *   (properties?: snaptier.RepoConfig.$Properties): snaptier.RepoConfig;
         * }}
         */
        RepoConfig.create = function(properties) {
            return new RepoConfig(properties);
        };

        /**
         * Encodes the specified RepoConfig message. Does not implicitly {@link snaptier.RepoConfig.verify|verify} messages.
         * @function encode
         * @memberof snaptier.RepoConfig
         * @static
         * @param {snaptier.RepoConfig.$Properties} m RepoConfig message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        RepoConfig.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.version != null && $Object.hasOwnProperty.call(m, "version") && m.version !== 0)
                w.uint32(/* id 1, wireType 0 =*/8).uint32(m.version);
            if (m.repoId != null && $Object.hasOwnProperty.call(m, "repoId") && m.repoId.length)
                w.uint32(/* id 2, wireType 2 =*/18).bytes(m.repoId);
            if (m.key != null && $Object.hasOwnProperty.call(m, "key"))
                $root.snaptier.KeyWrap.encode(m.key, w.uint32(/* id 3, wireType 2 =*/26).fork(), q + 1).ldelim();
            if (m.compression != null && $Object.hasOwnProperty.call(m, "compression") && m.compression !== 0)
                w.uint32(/* id 4, wireType 0 =*/32).int32(m.compression);
            if (m.blockSize != null && $Object.hasOwnProperty.call(m, "blockSize") && m.blockSize !== 0)
                w.uint32(/* id 5, wireType 0 =*/40).uint32(m.blockSize);
            if (m.fingerprintSize != null && $Object.hasOwnProperty.call(m, "fingerprintSize") && m.fingerprintSize !== 0)
                w.uint32(/* id 6, wireType 0 =*/48).uint32(m.fingerprintSize);
            if (m.segmentSize != null && $Object.hasOwnProperty.call(m, "segmentSize") && m.segmentSize !== 0)
                w.uint32(/* id 7, wireType 0 =*/56).uint32(m.segmentSize);
            if (m.fanout != null && $Object.hasOwnProperty.call(m, "fanout") && m.fanout !== 0)
                w.uint32(/* id 8, wireType 0 =*/64).uint32(m.fanout);
            if (m.packSize != null && $Object.hasOwnProperty.call(m, "packSize") && m.packSize !== 0)
                w.uint32(/* id 9, wireType 0 =*/72).uint32(m.packSize);
            if (m.maxChunkSize != null && $Object.hasOwnProperty.call(m, "maxChunkSize") && m.maxChunkSize !== 0)
                w.uint32(/* id 10, wireType 0 =*/80).uint32(m.maxChunkSize);
            if (m.dataTier != null && $Object.hasOwnProperty.call(m, "dataTier") && m.dataTier !== "")
                w.uint32(/* id 11, wireType 2 =*/90).string(m.dataTier);
            if (m.createdMs != null && $Object.hasOwnProperty.call(m, "createdMs") && (typeof m.createdMs === "object" ? m.createdMs.low || m.createdMs.high : m.createdMs !== 0))
                w.uint32(/* id 12, wireType 0 =*/96).int64(m.createdMs);
            if (m.lock != null && $Object.hasOwnProperty.call(m, "lock"))
                $root.snaptier.RetentionLock.encode(m.lock, w.uint32(/* id 13, wireType 2 =*/106).fork(), q + 1).ldelim();
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Decodes a RepoConfig message from the specified reader or buffer.
         * @function decode
         * @memberof snaptier.RepoConfig
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {snaptier.RepoConfig & snaptier.RepoConfig.$Shape} RepoConfig
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        RepoConfig.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.snaptier.RepoConfig();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.version = v;
                        else
                            delete m.version;
                        continue;
                    }
                case 2: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.repoId = v;
                        else
                            delete m.repoId;
                        continue;
                    }
                case 3: {
                        if (u !== 2)
                            break;
                        m.key = $root.snaptier.KeyWrap.decode(r, r.size(), $undefined, q + 1, m.key);
                        continue;
                    }
                case 4: {
                        if (u !== 0)
                            break;
                        if (v = r.int32())
                            m.compression = v;
                        else
                            delete m.compression;
                        continue;
                    }
                case 5: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.blockSize = v;
                        else
                            delete m.blockSize;
                        continue;
                    }
                case 6: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.fingerprintSize = v;
                        else
                            delete m.fingerprintSize;
                        continue;
                    }
                case 7: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.segmentSize = v;
                        else
                            delete m.segmentSize;
                        continue;
                    }
                case 8: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.fanout = v;
                        else
                            delete m.fanout;
                        continue;
                    }
                case 9: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.packSize = v;
                        else
                            delete m.packSize;
                        continue;
                    }
                case 10: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.maxChunkSize = v;
                        else
                            delete m.maxChunkSize;
                        continue;
                    }
                case 11: {
                        if (u !== 2)
                            break;
                        if ((v = r.stringVerify()).length)
                            m.dataTier = v;
                        else
                            delete m.dataTier;
                        continue;
                    }
                case 12: {
                        if (u !== 0)
                            break;
                        if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                            m.createdMs = v;
                        else
                            delete m.createdMs;
                        continue;
                    }
                case 13: {
                        if (u !== 2)
                            break;
                        m.lock = $root.snaptier.RetentionLock.decode(r, r.size(), $undefined, q + 1, m.lock);
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Gets the type url for RepoConfig
         * @function getTypeUrl
         * @memberof snaptier.RepoConfig
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        RepoConfig.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/snaptier.RepoConfig";
        };

        return RepoConfig;
    })();

    snaptier.RetentionLock = (function() {

        /**
         * Properties of a RetentionLock.
         * @typedef {Object} snaptier.RetentionLock.$Properties
         * @property {string|null} [mode] RetentionLock mode
         * @property {number|null} [seconds] RetentionLock seconds
         * @property {number|null} [untilMs] RetentionLock untilMs
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a RetentionLock.
         * @memberof snaptier
         * @interface IRetentionLock
         * @augments snaptier.RetentionLock.$Properties
         * @deprecated Use snaptier.RetentionLock.$Properties instead.
         */

        /**
         * Shape of a RetentionLock.
         * @typedef {snaptier.RetentionLock.$Properties} snaptier.RetentionLock.$Shape
         */

        /**
         * Constructs a new RetentionLock.
         * @memberof snaptier
         * @classdesc Represents a RetentionLock.
         * @constructor
         * @param {snaptier.RetentionLock.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const RetentionLock = function (p) {
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * RetentionLock mode.
         * @member {string} mode
         * @memberof snaptier.RetentionLock
         * @instance
         */
        RetentionLock.prototype.mode = "";

        /**
         * RetentionLock seconds.
         * @member {number} seconds
         * @memberof snaptier.RetentionLock
         * @instance
         */
        RetentionLock.prototype.seconds = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * RetentionLock untilMs.
         * @member {number} untilMs
         * @memberof snaptier.RetentionLock
         * @instance
         */
        RetentionLock.prototype.untilMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * Creates a new RetentionLock instance using the specified properties.
         * @function create
         * @memberof snaptier.RetentionLock
         * @static
         * @param {snaptier.RetentionLock.$Properties=} [properties] Properties to set
         * @returns {snaptier.RetentionLock} RetentionLock instance
         * @type {{
         *   (properties: snaptier.RetentionLock.$Shape): snaptier.RetentionLock & snaptier.RetentionLock.$Shape;
         *   (properties?: snaptier.RetentionLock.$Properties): snaptier.RetentionLock;
         * }}
         */
        RetentionLock.create = function(properties) {
            return new RetentionLock(properties);
        };

        /**
         * Encodes the specified RetentionLock message. Does not implicitly {@link snaptier.RetentionLock.verify|verify} messages.
         * @function encode
         * @memberof snaptier.RetentionLock
         * @static
         * @param {snaptier.RetentionLock.$Properties} m RetentionLock message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        RetentionLock.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.mode != null && $Object.hasOwnProperty.call(m, "mode") && m.mode !== "")
                w.uint32(/* id 1, wireType 2 =*/10).string(m.mode);
            if (m.seconds != null && $Object.hasOwnProperty.call(m, "seconds") && (typeof m.seconds === "object" ? m.seconds.low || m.seconds.high : m.seconds !== 0))
                w.uint32(/* id 2, wireType 0 =*/16).uint64(m.seconds);
            if (m.untilMs != null && $Object.hasOwnProperty.call(m, "untilMs") && (typeof m.untilMs === "object" ? m.untilMs.low || m.untilMs.high : m.untilMs !== 0))
                w.uint32(/* id 3, wireType 0 =*/24).int64(m.untilMs);
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Decodes a RetentionLock message from the specified reader or buffer.
         * @function decode
         * @memberof snaptier.RetentionLock
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {snaptier.RetentionLock & snaptier.RetentionLock.$Shape} RetentionLock
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        RetentionLock.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.snaptier.RetentionLock();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 2)
                            break;
                        if ((v = r.stringVerify()).length)
                            m.mode = v;
                        else
                            delete m.mode;
                        continue;
                    }
                case 2: {
                        if (u !== 0)
                            break;
                        if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                            m.seconds = v;
                        else
                            delete m.seconds;
                        continue;
                    }
                case 3: {
                        if (u !== 0)
                            break;
                        if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                            m.untilMs = v;
                        else
                            delete m.untilMs;
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Gets the type url for RetentionLock
         * @function getTypeUrl
         * @memberof snaptier.RetentionLock
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        RetentionLock.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/snaptier.RetentionLock";
        };

        return RetentionLock;
    })();

    /**
     * Compression enum.
     * @name snaptier.Compression
     * @enum {number}
     * @property {number} COMPRESSION_NONE=0 COMPRESSION_NONE value
     * @property {number} COMPRESSION_ZSTD=1 COMPRESSION_ZSTD value
     * @property {number} COMPRESSION_LZ4=2 COMPRESSION_LZ4 value
     */
    snaptier.Compression = (function() {
        const valuesById = $Object.create(null), values = $Object.create(valuesById);
        values[valuesById[0] = "COMPRESSION_NONE"] = 0;
        values[valuesById[1] = "COMPRESSION_ZSTD"] = 1;
        values[valuesById[2] = "COMPRESSION_LZ4"] = 2;
        return values;
    })();

    snaptier.KeyWrap = (function() {

        /**
         * Properties of a KeyWrap.
         * @typedef {Object} snaptier.KeyWrap.$Properties
         * @property {string|null} [kdf] KeyWrap kdf
         * @property {number|null} [log2N] KeyWrap log2N
         * @property {number|null} [r] KeyWrap r
         * @property {number|null} [p] KeyWrap p
         * @property {Uint8Array|null} [salt] KeyWrap salt
         * @property {Uint8Array|null} [wrapped] KeyWrap wrapped
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a KeyWrap.
         * @memberof snaptier
         * @interface IKeyWrap
         * @augments snaptier.KeyWrap.$Properties
         * @deprecated Use snaptier.KeyWrap.$Properties instead.
         */

        /**
         * Shape of a KeyWrap.
         * @typedef {snaptier.KeyWrap.$Properties} snaptier.KeyWrap.$Shape
         */

        /**
         * Constructs a new KeyWrap.
         * @memberof snaptier
         * @classdesc Represents a KeyWrap.
         * @constructor
         * @param {snaptier.KeyWrap.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const KeyWrap = function (p) {
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * KeyWrap kdf.
         * @member {string} kdf
         * @memberof snaptier.KeyWrap
         * @instance
         */
        KeyWrap.prototype.kdf = "";

        /**
         * KeyWrap log2N.
         * @member {number} log2N
         * @memberof snaptier.KeyWrap
         * @instance
         */
        KeyWrap.prototype.log2N = 0;

        /**
         * KeyWrap r.
         * @member {number} r
         * @memberof snaptier.KeyWrap
         * @instance
         */
        KeyWrap.prototype.r = 0;

        /**
         * KeyWrap p.
         * @member {number} p
         * @memberof snaptier.KeyWrap
         * @instance
         */
        KeyWrap.prototype.p = 0;

        /**
         * KeyWrap salt.
         * @member {Uint8Array} salt
         * @memberof snaptier.KeyWrap
         * @instance
         */
        KeyWrap.prototype.salt = $util.newBuffer([]);

        /**
         * KeyWrap wrapped.
         * @member {Uint8Array} wrapped
         * @memberof snaptier.KeyWrap
         * @instance
         */
        KeyWrap.prototype.wrapped = $util.newBuffer([]);

        /**
         * Creates a new KeyWrap instance using the specified properties.
         * @function create
         * @memberof snaptier.KeyWrap
         * @static
         * @param {snaptier.KeyWrap.$Properties=} [properties] Properties to set
         * @returns {snaptier.KeyWrap} KeyWrap instance
         * @type {{
         *   (properties: snaptier.KeyWrap.$Shape): snaptier.KeyWrap & snaptier.KeyWrap.$Shape;
         *   (properties?: snaptier.KeyWrap.$Properties): snaptier.KeyWrap;
         * }}
         */
        KeyWrap.create = function(properties) {
            return new KeyWrap(properties);
        };

        /**
         * Encodes the specified KeyWrap message. Does not implicitly {@link snaptier.KeyWrap.verify|verify} messages.
         * @function encode
         * @memberof snaptier.KeyWrap
         * @static
         * @param {snaptier.KeyWrap.$Properties} m KeyWrap message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        KeyWrap.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.kdf != null && $Object.hasOwnProperty.call(m, "kdf") && m.kdf !== "")
                w.uint32(/* id 1, wireType 2 =*/10).string(m.kdf);
            if (m.log2N != null && $Object.hasOwnProperty.call(m, "log2N") && m.log2N !== 0)
                w.uint32(/* id 2, wireType 0 =*/16).uint32(m.log2N);
            if (m.r != null && $Object.hasOwnProperty.call(m, "r") && m.r !== 0)
                w.uint32(/* id 3, wireType 0 =*/24).uint32(m.r);
            if (m.p != null && $Object.hasOwnProperty.call(m, "p") && m.p !== 0)
                w.uint32(/* id 4, wireType 0 =*/32).uint32(m.p);
            if (m.salt != null && $Object.hasOwnProperty.call(m, "salt") && m.salt.length)
                w.uint32(/* id 5, wireType 2 =*/42).bytes(m.salt);
            if (m.wrapped != null && $Object.hasOwnProperty.call(m, "wrapped") && m.wrapped.length)
                w.uint32(/* id 6, wireType 2 =*/50).bytes(m.wrapped);
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Decodes a KeyWrap message from the specified reader or buffer.
         * @function decode
         * @memberof snaptier.KeyWrap
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {snaptier.KeyWrap & snaptier.KeyWrap.$Shape} KeyWrap
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        KeyWrap.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.snaptier.KeyWrap();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 2)
                            break;
                        if ((v = r.stringVerify()).length)
                            m.kdf = v;
                        else
                            delete m.kdf;
                        continue;
                    }
                case 2: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.log2N = v;
                        else
                            delete m.log2N;
                        continue;
                    }
                case 3: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.r = v;
                        else
                            delete m.r;
                        continue;
                    }
                case 4: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.p = v;
                        else
                            delete m.p;
                        continue;
                    }
                case 5: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.salt = v;
                        else
                            delete m.salt;
                        continue;
                    }
                case 6: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.wrapped = v;
                        else
                            delete m.wrapped;
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Gets the type url for KeyWrap
         * @function getTypeUrl
         * @memberof snaptier.KeyWrap
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        KeyWrap.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/snaptier.KeyWrap";
        };

        return KeyWrap;
    })();

    snaptier.BlobRef = (function() {

        /**
         * Properties of a BlobRef.
         * @typedef {Object} snaptier.BlobRef.$Properties
         * @property {Uint8Array|null} [pack] BlobRef pack
         * @property {number|null} [offset] BlobRef offset
         * @property {number|null} [length] BlobRef length
         * @property {Uint8Array|null} [id] BlobRef id
         * @property {number|null} [rawLength] BlobRef rawLength
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a BlobRef.
         * @memberof snaptier
         * @interface IBlobRef
         * @augments snaptier.BlobRef.$Properties
         * @deprecated Use snaptier.BlobRef.$Properties instead.
         */

        /**
         * Shape of a BlobRef.
         * @typedef {snaptier.BlobRef.$Properties} snaptier.BlobRef.$Shape
         */

        /**
         * Constructs a new BlobRef.
         * @memberof snaptier
         * @classdesc Represents a BlobRef.
         * @constructor
         * @param {snaptier.BlobRef.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const BlobRef = function (p) {
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * BlobRef pack.
         * @member {Uint8Array} pack
         * @memberof snaptier.BlobRef
         * @instance
         */
        BlobRef.prototype.pack = $util.newBuffer([]);

        /**
         * BlobRef offset.
         * @member {number} offset
         * @memberof snaptier.BlobRef
         * @instance
         */
        BlobRef.prototype.offset = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * BlobRef length.
         * @member {number} length
         * @memberof snaptier.BlobRef
         * @instance
         */
        BlobRef.prototype.length = 0;

        /**
         * BlobRef id.
         * @member {Uint8Array} id
         * @memberof snaptier.BlobRef
         * @instance
         */
        BlobRef.prototype.id = $util.newBuffer([]);

        /**
         * BlobRef rawLength.
         * @member {number} rawLength
         * @memberof snaptier.BlobRef
         * @instance
         */
        BlobRef.prototype.rawLength = 0;

        /**
         * Creates a new BlobRef instance using the specified properties.
         * @function create
         * @memberof snaptier.BlobRef
         * @static
         * @param {snaptier.BlobRef.$Properties=} [properties] Properties to set
         * @returns {snaptier.BlobRef} BlobRef instance
         * @type {{
         *   (properties: snaptier.BlobRef.$Shape): snaptier.BlobRef & snaptier.BlobRef.$Shape;
         *   (properties?: snaptier.BlobRef.$Properties): snaptier.BlobRef;
         * }}
         */
        BlobRef.create = function(properties) {
            return new BlobRef(properties);
        };

        /**
         * Encodes the specified BlobRef message. Does not implicitly {@link snaptier.BlobRef.verify|verify} messages.
         * @function encode
         * @memberof snaptier.BlobRef
         * @static
         * @param {snaptier.BlobRef.$Properties} m BlobRef message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        BlobRef.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.pack != null && $Object.hasOwnProperty.call(m, "pack") && m.pack.length)
                w.uint32(/* id 1, wireType 2 =*/10).bytes(m.pack);
            if (m.offset != null && $Object.hasOwnProperty.call(m, "offset") && (typeof m.offset === "object" ? m.offset.low || m.offset.high : m.offset !== 0))
                w.uint32(/* id 2, wireType 0 =*/16).uint64(m.offset);
            if (m.length != null && $Object.hasOwnProperty.call(m, "length") && m.length !== 0)
                w.uint32(/* id 3, wireType 0 =*/24).uint32(m.length);
            if (m.id != null && $Object.hasOwnProperty.call(m, "id") && m.id.length)
                w.uint32(/* id 4, wireType 2 =*/34).bytes(m.id);
            if (m.rawLength != null && $Object.hasOwnProperty.call(m, "rawLength") && m.rawLength !== 0)
                w.uint32(/* id 5, wireType 0 =*/40).uint32(m.rawLength);
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Decodes a BlobRef message from the specified reader or buffer.
         * @function decode
         * @memberof snaptier.BlobRef
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {snaptier.BlobRef & snaptier.BlobRef.$Shape} BlobRef
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        BlobRef.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.snaptier.BlobRef();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.pack = v;
                        else
                            delete m.pack;
                        continue;
                    }
                case 2: {
                        if (u !== 0)
                            break;
                        if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                            m.offset = v;
                        else
                            delete m.offset;
                        continue;
                    }
                case 3: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.length = v;
                        else
                            delete m.length;
                        continue;
                    }
                case 4: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.id = v;
                        else
                            delete m.id;
                        continue;
                    }
                case 5: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.rawLength = v;
                        else
                            delete m.rawLength;
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Gets the type url for BlobRef
         * @function getTypeUrl
         * @memberof snaptier.BlobRef
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        BlobRef.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/snaptier.BlobRef";
        };

        return BlobRef;
    })();

    snaptier.Manifest = (function() {

        /**
         * Properties of a Manifest.
         * @typedef {Object} snaptier.Manifest.$Properties
         * @property {number|null} [version] Manifest version
         * @property {Uint8Array|null} [id] Manifest id
         * @property {string|null} [volume] Manifest volume
         * @property {Uint8Array|null} [parent] Manifest parent
         * @property {number|null} [timeMs] Manifest timeMs
         * @property {number|null} [size] Manifest size
         * @property {Object.<string,string>|null} [labels] Manifest labels
         * @property {snaptier.NodeRef.$Properties|null} [root] Manifest root
         * @property {number|null} [rootLevel] Manifest rootLevel
         * @property {Uint8Array|null} [imageDigest] Manifest imageDigest
         * @property {Array.<Uint8Array>|null} [packs] Manifest packs
         * @property {snaptier.SnapshotStats.$Properties|null} [stats] Manifest stats
         * @property {string|null} [sourceId] Manifest sourceId
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a Manifest.
         * @memberof snaptier
         * @interface IManifest
         * @augments snaptier.Manifest.$Properties
         * @deprecated Use snaptier.Manifest.$Properties instead.
         */

        /**
         * Shape of a Manifest.
         * @typedef {snaptier.Manifest.$Properties} snaptier.Manifest.$Shape
         */

        /**
         * Constructs a new Manifest.
         * @memberof snaptier
         * @classdesc Represents a Manifest.
         * @constructor
         * @param {snaptier.Manifest.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const Manifest = function (p) {
            this.labels = {};
            this.packs = [];
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * Manifest version.
         * @member {number} version
         * @memberof snaptier.Manifest
         * @instance
         */
        Manifest.prototype.version = 0;

        /**
         * Manifest id.
         * @member {Uint8Array} id
         * @memberof snaptier.Manifest
         * @instance
         */
        Manifest.prototype.id = $util.newBuffer([]);

        /**
         * Manifest volume.
         * @member {string} volume
         * @memberof snaptier.Manifest
         * @instance
         */
        Manifest.prototype.volume = "";

        /**
         * Manifest parent.
         * @member {Uint8Array} parent
         * @memberof snaptier.Manifest
         * @instance
         */
        Manifest.prototype.parent = $util.newBuffer([]);

        /**
         * Manifest timeMs.
         * @member {number} timeMs
         * @memberof snaptier.Manifest
         * @instance
         */
        Manifest.prototype.timeMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * Manifest size.
         * @member {number} size
         * @memberof snaptier.Manifest
         * @instance
         */
        Manifest.prototype.size = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * Manifest labels.
         * @member {Object.<string,string>} labels
         * @memberof snaptier.Manifest
         * @instance
         */
        Manifest.prototype.labels = $util.emptyObject;

        /**
         * Manifest root.
         * @member {snaptier.NodeRef.$Properties|null|undefined} root
         * @memberof snaptier.Manifest
         * @instance
         */
        Manifest.prototype.root = null;

        /**
         * Manifest rootLevel.
         * @member {number} rootLevel
         * @memberof snaptier.Manifest
         * @instance
         */
        Manifest.prototype.rootLevel = 0;

        /**
         * Manifest imageDigest.
         * @member {Uint8Array} imageDigest
         * @memberof snaptier.Manifest
         * @instance
         */
        Manifest.prototype.imageDigest = $util.newBuffer([]);

        /**
         * Manifest packs.
         * @member {Array.<Uint8Array>} packs
         * @memberof snaptier.Manifest
         * @instance
         */
        Manifest.prototype.packs = $util.emptyArray;

        /**
         * Manifest stats.
         * @member {snaptier.SnapshotStats.$Properties|null|undefined} stats
         * @memberof snaptier.Manifest
         * @instance
         */
        Manifest.prototype.stats = null;

        /**
         * Manifest sourceId.
         * @member {string} sourceId
         * @memberof snaptier.Manifest
         * @instance
         */
        Manifest.prototype.sourceId = "";

        /**
         * Creates a new Manifest instance using the specified properties.
         * @function create
         * @memberof snaptier.Manifest
         * @static
         * @param {snaptier.Manifest.$Properties=} [properties] Properties to set
         * @returns {snaptier.Manifest} Manifest instance
         * @type {{
         *   (properties: snaptier.Manifest.$Shape): snaptier.Manifest & snaptier.Manifest.$Shape;
         *   (properties?: snaptier.Manifest.$Properties): snaptier.Manifest;
         * }}
         */
        Manifest.create = function(properties) {
            return new Manifest(properties);
        };

        /**
         * Encodes the specified Manifest message. Does not implicitly {@link snaptier.Manifest.verify|verify} messages.
         * @function encode
         * @memberof snaptier.Manifest
         * @static
         * @param {snaptier.Manifest.$Properties} m Manifest message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        Manifest.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.version != null && $Object.hasOwnProperty.call(m, "version") && m.version !== 0)
                w.uint32(/* id 1, wireType 0 =*/8).uint32(m.version);
            if (m.id != null && $Object.hasOwnProperty.call(m, "id") && m.id.length)
                w.uint32(/* id 2, wireType 2 =*/18).bytes(m.id);
            if (m.volume != null && $Object.hasOwnProperty.call(m, "volume") && m.volume !== "")
                w.uint32(/* id 3, wireType 2 =*/26).string(m.volume);
            if (m.parent != null && $Object.hasOwnProperty.call(m, "parent") && m.parent.length)
                w.uint32(/* id 4, wireType 2 =*/34).bytes(m.parent);
            if (m.timeMs != null && $Object.hasOwnProperty.call(m, "timeMs") && (typeof m.timeMs === "object" ? m.timeMs.low || m.timeMs.high : m.timeMs !== 0))
                w.uint32(/* id 5, wireType 0 =*/40).int64(m.timeMs);
            if (m.size != null && $Object.hasOwnProperty.call(m, "size") && (typeof m.size === "object" ? m.size.low || m.size.high : m.size !== 0))
                w.uint32(/* id 6, wireType 0 =*/48).uint64(m.size);
            if (m.labels != null && $Object.hasOwnProperty.call(m, "labels")) {
                for (var ks = $Object.keys(m.labels), i = 0; i < ks.length; ++i) {
                    w.uint32(/* id 7, wireType 2 =*/58).fork().uint32(/* id 1, wireType 2 =*/10).string(ks[i]).uint32(/* id 2, wireType 2 =*/18).string(m.labels[ks[i]]).ldelim();
                }
            }
            if (m.root != null && $Object.hasOwnProperty.call(m, "root"))
                $root.snaptier.NodeRef.encode(m.root, w.uint32(/* id 8, wireType 2 =*/66).fork(), q + 1).ldelim();
            if (m.rootLevel != null && $Object.hasOwnProperty.call(m, "rootLevel") && m.rootLevel !== 0)
                w.uint32(/* id 9, wireType 0 =*/72).uint32(m.rootLevel);
            if (m.imageDigest != null && $Object.hasOwnProperty.call(m, "imageDigest") && m.imageDigest.length)
                w.uint32(/* id 10, wireType 2 =*/82).bytes(m.imageDigest);
            if (m.packs != null && m.packs.length) {
                for (var i = 0; i < m.packs.length; ++i)
                    w.uint32(/* id 11, wireType 2 =*/90).bytes(m.packs[i]);
            }
            if (m.stats != null && $Object.hasOwnProperty.call(m, "stats"))
                $root.snaptier.SnapshotStats.encode(m.stats, w.uint32(/* id 12, wireType 2 =*/98).fork(), q + 1).ldelim();
            if (m.sourceId != null && $Object.hasOwnProperty.call(m, "sourceId") && m.sourceId !== "")
                w.uint32(/* id 13, wireType 2 =*/106).string(m.sourceId);
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Decodes a Manifest message from the specified reader or buffer.
         * @function decode
         * @memberof snaptier.Manifest
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {snaptier.Manifest & snaptier.Manifest.$Shape} Manifest
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        Manifest.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, k, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.snaptier.Manifest();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.version = v;
                        else
                            delete m.version;
                        continue;
                    }
                case 2: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.id = v;
                        else
                            delete m.id;
                        continue;
                    }
                case 3: {
                        if (u !== 2)
                            break;
                        if ((v = r.stringVerify()).length)
                            m.volume = v;
                        else
                            delete m.volume;
                        continue;
                    }
                case 4: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.parent = v;
                        else
                            delete m.parent;
                        continue;
                    }
                case 5: {
                        if (u !== 0)
                            break;
                        if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                            m.timeMs = v;
                        else
                            delete m.timeMs;
                        continue;
                    }
                case 6: {
                        if (u !== 0)
                            break;
                        if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                            m.size = v;
                        else
                            delete m.size;
                        continue;
                    }
                case 7: {
                        if (u !== 2)
                            break;
                        if (m.labels === $util.emptyObject)
                            m.labels = {};
                        var c2 = r.size() + r.pos;
                        if (c2 > r.len)
                            throw $RangeError("index out of range");
                        r.len = c2;
                        k = "";
                        v = "";
                        while (r.pos < c2) {
                            var t2 = r.tag();
                            u = t2 & 7;
                            switch (t2 >>>= 3) {
                            case 1:
                                if (u !== 2)
                                    break;
                                k = r.stringVerify();
                                continue;
                            case 2:
                                if (u !== 2)
                                    break;
                                v = r.stringVerify();
                                continue;
                            }
                            r.skipType(u, q, t2);
                        }
                        if (r.pos !== c2)
                            throw $RangeError("index out of range");
                        r.len = c;
                        if (k === "__proto__")
                            $util.makeProp(m.labels, k);
                        m.labels[k] = v;
                        continue;
                    }
                case 8: {
                        if (u !== 2)
                            break;
                        m.root = $root.snaptier.NodeRef.decode(r, r.size(), $undefined, q + 1, m.root);
                        continue;
                    }
                case 9: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.rootLevel = v;
                        else
                            delete m.rootLevel;
                        continue;
                    }
                case 10: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.imageDigest = v;
                        else
                            delete m.imageDigest;
                        continue;
                    }
                case 11: {
                        if (u !== 2)
                            break;
                        if (!(m.packs && m.packs.length))
                            m.packs = [];
                        m.packs.push(r.bytes());
                        continue;
                    }
                case 12: {
                        if (u !== 2)
                            break;
                        m.stats = $root.snaptier.SnapshotStats.decode(r, r.size(), $undefined, q + 1, m.stats);
                        continue;
                    }
                case 13: {
                        if (u !== 2)
                            break;
                        if ((v = r.stringVerify()).length)
                            m.sourceId = v;
                        else
                            delete m.sourceId;
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Gets the type url for Manifest
         * @function getTypeUrl
         * @memberof snaptier.Manifest
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        Manifest.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/snaptier.Manifest";
        };

        return Manifest;
    })();

    snaptier.SnapshotStats = (function() {

        /**
         * Properties of a SnapshotStats.
         * @typedef {Object} snaptier.SnapshotStats.$Properties
         * @property {number|null} [bytesRead] SnapshotStats bytesRead
         * @property {number|null} [bytesChanged] SnapshotStats bytesChanged
         * @property {number|null} [bytesUploaded] SnapshotStats bytesUploaded
         * @property {number|null} [objectsUploaded] SnapshotStats objectsUploaded
         * @property {string|null} [mode] SnapshotStats mode
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a SnapshotStats.
         * @memberof snaptier
         * @interface ISnapshotStats
         * @augments snaptier.SnapshotStats.$Properties
         * @deprecated Use snaptier.SnapshotStats.$Properties instead.
         */

        /**
         * Shape of a SnapshotStats.
         * @typedef {snaptier.SnapshotStats.$Properties} snaptier.SnapshotStats.$Shape
         */

        /**
         * Constructs a new SnapshotStats.
         * @memberof snaptier
         * @classdesc Represents a SnapshotStats.
         * @constructor
         * @param {snaptier.SnapshotStats.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const SnapshotStats = function (p) {
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * SnapshotStats bytesRead.
         * @member {number} bytesRead
         * @memberof snaptier.SnapshotStats
         * @instance
         */
        SnapshotStats.prototype.bytesRead = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * SnapshotStats bytesChanged.
         * @member {number} bytesChanged
         * @memberof snaptier.SnapshotStats
         * @instance
         */
        SnapshotStats.prototype.bytesChanged = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * SnapshotStats bytesUploaded.
         * @member {number} bytesUploaded
         * @memberof snaptier.SnapshotStats
         * @instance
         */
        SnapshotStats.prototype.bytesUploaded = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * SnapshotStats objectsUploaded.
         * @member {number} objectsUploaded
         * @memberof snaptier.SnapshotStats
         * @instance
         */
        SnapshotStats.prototype.objectsUploaded = 0;

        /**
         * SnapshotStats mode.
         * @member {string} mode
         * @memberof snaptier.SnapshotStats
         * @instance
         */
        SnapshotStats.prototype.mode = "";

        /**
         * Creates a new SnapshotStats instance using the specified properties.
         * @function create
         * @memberof snaptier.SnapshotStats
         * @static
         * @param {snaptier.SnapshotStats.$Properties=} [properties] Properties to set
         * @returns {snaptier.SnapshotStats} SnapshotStats instance
         * @type {{
         *   (properties: snaptier.SnapshotStats.$Shape): snaptier.SnapshotStats & snaptier.SnapshotStats.$Shape;
         *   (properties?: snaptier.SnapshotStats.$Properties): snaptier.SnapshotStats;
         * }}
         */
        SnapshotStats.create = function(properties) {
            return new SnapshotStats(properties);
        };

        /**
         * Encodes the specified SnapshotStats message. Does not implicitly {@link snaptier.SnapshotStats.verify|verify} messages.
         * @function encode
         * @memberof snaptier.SnapshotStats
         * @static
         * @param {snaptier.SnapshotStats.$Properties} m SnapshotStats message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        SnapshotStats.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.bytesRead != null && $Object.hasOwnProperty.call(m, "bytesRead") && (typeof m.bytesRead === "object" ? m.bytesRead.low || m.bytesRead.high : m.bytesRead !== 0))
                w.uint32(/* id 1, wireType 0 =*/8).uint64(m.bytesRead);
            if (m.bytesChanged != null && $Object.hasOwnProperty.call(m, "bytesChanged") && (typeof m.bytesChanged === "object" ? m.bytesChanged.low || m.bytesChanged.high : m.bytesChanged !== 0))
                w.uint32(/* id 2, wireType 0 =*/16).uint64(m.bytesChanged);
            if (m.bytesUploaded != null && $Object.hasOwnProperty.call(m, "bytesUploaded") && (typeof m.bytesUploaded === "object" ? m.bytesUploaded.low || m.bytesUploaded.high : m.bytesUploaded !== 0))
                w.uint32(/* id 3, wireType 0 =*/24).uint64(m.bytesUploaded);
            if (m.objectsUploaded != null && $Object.hasOwnProperty.call(m, "objectsUploaded") && m.objectsUploaded !== 0)
                w.uint32(/* id 4, wireType 0 =*/32).uint32(m.objectsUploaded);
            if (m.mode != null && $Object.hasOwnProperty.call(m, "mode") && m.mode !== "")
                w.uint32(/* id 5, wireType 2 =*/42).string(m.mode);
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Decodes a SnapshotStats message from the specified reader or buffer.
         * @function decode
         * @memberof snaptier.SnapshotStats
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {snaptier.SnapshotStats & snaptier.SnapshotStats.$Shape} SnapshotStats
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        SnapshotStats.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.snaptier.SnapshotStats();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 0)
                            break;
                        if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                            m.bytesRead = v;
                        else
                            delete m.bytesRead;
                        continue;
                    }
                case 2: {
                        if (u !== 0)
                            break;
                        if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                            m.bytesChanged = v;
                        else
                            delete m.bytesChanged;
                        continue;
                    }
                case 3: {
                        if (u !== 0)
                            break;
                        if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                            m.bytesUploaded = v;
                        else
                            delete m.bytesUploaded;
                        continue;
                    }
                case 4: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.objectsUploaded = v;
                        else
                            delete m.objectsUploaded;
                        continue;
                    }
                case 5: {
                        if (u !== 2)
                            break;
                        if ((v = r.stringVerify()).length)
                            m.mode = v;
                        else
                            delete m.mode;
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Gets the type url for SnapshotStats
         * @function getTypeUrl
         * @memberof snaptier.SnapshotStats
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        SnapshotStats.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/snaptier.SnapshotStats";
        };

        return SnapshotStats;
    })();

    snaptier.NodeRef = (function() {

        /**
         * Properties of a NodeRef.
         * @typedef {Object} snaptier.NodeRef.$Properties
         * @property {snaptier.BlobRef.$Properties|null} [blob] NodeRef blob
         * @property {Uint8Array|null} [digest] NodeRef digest
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a NodeRef.
         * @memberof snaptier
         * @interface INodeRef
         * @augments snaptier.NodeRef.$Properties
         * @deprecated Use snaptier.NodeRef.$Properties instead.
         */

        /**
         * Shape of a NodeRef.
         * @typedef {snaptier.NodeRef.$Properties} snaptier.NodeRef.$Shape
         */

        /**
         * Constructs a new NodeRef.
         * @memberof snaptier
         * @classdesc Represents a NodeRef.
         * @constructor
         * @param {snaptier.NodeRef.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const NodeRef = function (p) {
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * NodeRef blob.
         * @member {snaptier.BlobRef.$Properties|null|undefined} blob
         * @memberof snaptier.NodeRef
         * @instance
         */
        NodeRef.prototype.blob = null;

        /**
         * NodeRef digest.
         * @member {Uint8Array} digest
         * @memberof snaptier.NodeRef
         * @instance
         */
        NodeRef.prototype.digest = $util.newBuffer([]);

        /**
         * Creates a new NodeRef instance using the specified properties.
         * @function create
         * @memberof snaptier.NodeRef
         * @static
         * @param {snaptier.NodeRef.$Properties=} [properties] Properties to set
         * @returns {snaptier.NodeRef} NodeRef instance
         * @type {{
         *   (properties: snaptier.NodeRef.$Shape): snaptier.NodeRef & snaptier.NodeRef.$Shape;
         *   (properties?: snaptier.NodeRef.$Properties): snaptier.NodeRef;
         * }}
         */
        NodeRef.create = function(properties) {
            return new NodeRef(properties);
        };

        /**
         * Encodes the specified NodeRef message. Does not implicitly {@link snaptier.NodeRef.verify|verify} messages.
         * @function encode
         * @memberof snaptier.NodeRef
         * @static
         * @param {snaptier.NodeRef.$Properties} m NodeRef message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        NodeRef.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.blob != null && $Object.hasOwnProperty.call(m, "blob"))
                $root.snaptier.BlobRef.encode(m.blob, w.uint32(/* id 1, wireType 2 =*/10).fork(), q + 1).ldelim();
            if (m.digest != null && $Object.hasOwnProperty.call(m, "digest") && m.digest.length)
                w.uint32(/* id 2, wireType 2 =*/18).bytes(m.digest);
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Decodes a NodeRef message from the specified reader or buffer.
         * @function decode
         * @memberof snaptier.NodeRef
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {snaptier.NodeRef & snaptier.NodeRef.$Shape} NodeRef
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        NodeRef.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.snaptier.NodeRef();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 2)
                            break;
                        m.blob = $root.snaptier.BlobRef.decode(r, r.size(), $undefined, q + 1, m.blob);
                        continue;
                    }
                case 2: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.digest = v;
                        else
                            delete m.digest;
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Gets the type url for NodeRef
         * @function getTypeUrl
         * @memberof snaptier.NodeRef
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        NodeRef.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/snaptier.NodeRef";
        };

        return NodeRef;
    })();

    snaptier.MapInterior = (function() {

        /**
         * Properties of a MapInterior.
         * @typedef {Object} snaptier.MapInterior.$Properties
         * @property {number|null} [version] MapInterior version
         * @property {number|null} [level] MapInterior level
         * @property {Array.<snaptier.MapChild.$Properties>|null} [children] MapInterior children
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a MapInterior.
         * @memberof snaptier
         * @interface IMapInterior
         * @augments snaptier.MapInterior.$Properties
         * @deprecated Use snaptier.MapInterior.$Properties instead.
         */

        /**
         * Shape of a MapInterior.
         * @typedef {snaptier.MapInterior.$Properties} snaptier.MapInterior.$Shape
         */

        /**
         * Constructs a new MapInterior.
         * @memberof snaptier
         * @classdesc Represents a MapInterior.
         * @constructor
         * @param {snaptier.MapInterior.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const MapInterior = function (p) {
            this.children = [];
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * MapInterior version.
         * @member {number} version
         * @memberof snaptier.MapInterior
         * @instance
         */
        MapInterior.prototype.version = 0;

        /**
         * MapInterior level.
         * @member {number} level
         * @memberof snaptier.MapInterior
         * @instance
         */
        MapInterior.prototype.level = 0;

        /**
         * MapInterior children.
         * @member {Array.<snaptier.MapChild.$Properties>} children
         * @memberof snaptier.MapInterior
         * @instance
         */
        MapInterior.prototype.children = $util.emptyArray;

        /**
         * Creates a new MapInterior instance using the specified properties.
         * @function create
         * @memberof snaptier.MapInterior
         * @static
         * @param {snaptier.MapInterior.$Properties=} [properties] Properties to set
         * @returns {snaptier.MapInterior} MapInterior instance
         * @type {{
         *   (properties: snaptier.MapInterior.$Shape): snaptier.MapInterior & snaptier.MapInterior.$Shape;
         *   (properties?: snaptier.MapInterior.$Properties): snaptier.MapInterior;
         * }}
         */
        MapInterior.create = function(properties) {
            return new MapInterior(properties);
        };

        /**
         * Encodes the specified MapInterior message. Does not implicitly {@link snaptier.MapInterior.verify|verify} messages.
         * @function encode
         * @memberof snaptier.MapInterior
         * @static
         * @param {snaptier.MapInterior.$Properties} m MapInterior message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        MapInterior.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.version != null && $Object.hasOwnProperty.call(m, "version") && m.version !== 0)
                w.uint32(/* id 1, wireType 0 =*/8).uint32(m.version);
            if (m.level != null && $Object.hasOwnProperty.call(m, "level") && m.level !== 0)
                w.uint32(/* id 2, wireType 0 =*/16).uint32(m.level);
            if (m.children != null && m.children.length) {
                for (var i = 0; i < m.children.length; ++i)
                    $root.snaptier.MapChild.encode(m.children[i], w.uint32(/* id 3, wireType 2 =*/26).fork(), q + 1).ldelim();
            }
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Decodes a MapInterior message from the specified reader or buffer.
         * @function decode
         * @memberof snaptier.MapInterior
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {snaptier.MapInterior & snaptier.MapInterior.$Shape} MapInterior
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        MapInterior.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.snaptier.MapInterior();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.version = v;
                        else
                            delete m.version;
                        continue;
                    }
                case 2: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.level = v;
                        else
                            delete m.level;
                        continue;
                    }
                case 3: {
                        if (u !== 2)
                            break;
                        if (!(m.children && m.children.length))
                            m.children = [];
                        m.children.push($root.snaptier.MapChild.decode(r, r.size(), $undefined, q + 1));
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Gets the type url for MapInterior
         * @function getTypeUrl
         * @memberof snaptier.MapInterior
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        MapInterior.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/snaptier.MapInterior";
        };

        return MapInterior;
    })();

    snaptier.MapChild = (function() {

        /**
         * Properties of a MapChild.
         * @typedef {Object} snaptier.MapChild.$Properties
         * @property {number|null} [index] MapChild index
         * @property {snaptier.NodeRef.$Properties|null} [ref] MapChild ref
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a MapChild.
         * @memberof snaptier
         * @interface IMapChild
         * @augments snaptier.MapChild.$Properties
         * @deprecated Use snaptier.MapChild.$Properties instead.
         */

        /**
         * Shape of a MapChild.
         * @typedef {snaptier.MapChild.$Properties} snaptier.MapChild.$Shape
         */

        /**
         * Constructs a new MapChild.
         * @memberof snaptier
         * @classdesc Represents a MapChild.
         * @constructor
         * @param {snaptier.MapChild.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const MapChild = function (p) {
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * MapChild index.
         * @member {number} index
         * @memberof snaptier.MapChild
         * @instance
         */
        MapChild.prototype.index = 0;

        /**
         * MapChild ref.
         * @member {snaptier.NodeRef.$Properties|null|undefined} ref
         * @memberof snaptier.MapChild
         * @instance
         */
        MapChild.prototype.ref = null;

        /**
         * Creates a new MapChild instance using the specified properties.
         * @function create
         * @memberof snaptier.MapChild
         * @static
         * @param {snaptier.MapChild.$Properties=} [properties] Properties to set
         * @returns {snaptier.MapChild} MapChild instance
         * @type {{
         *   (properties: snaptier.MapChild.$Shape): snaptier.MapChild & snaptier.MapChild.$Shape;
         *   (properties?: snaptier.MapChild.$Properties): snaptier.MapChild;
         * }}
         */
        MapChild.create = function(properties) {
            return new MapChild(properties);
        };

        /**
         * Encodes the specified MapChild message. Does not implicitly {@link snaptier.MapChild.verify|verify} messages.
         * @function encode
         * @memberof snaptier.MapChild
         * @static
         * @param {snaptier.MapChild.$Properties} m MapChild message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        MapChild.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.index != null && $Object.hasOwnProperty.call(m, "index") && m.index !== 0)
                w.uint32(/* id 1, wireType 0 =*/8).uint32(m.index);
            if (m.ref != null && $Object.hasOwnProperty.call(m, "ref"))
                $root.snaptier.NodeRef.encode(m.ref, w.uint32(/* id 2, wireType 2 =*/18).fork(), q + 1).ldelim();
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Decodes a MapChild message from the specified reader or buffer.
         * @function decode
         * @memberof snaptier.MapChild
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {snaptier.MapChild & snaptier.MapChild.$Shape} MapChild
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        MapChild.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.snaptier.MapChild();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.index = v;
                        else
                            delete m.index;
                        continue;
                    }
                case 2: {
                        if (u !== 2)
                            break;
                        m.ref = $root.snaptier.NodeRef.decode(r, r.size(), $undefined, q + 1, m.ref);
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Gets the type url for MapChild
         * @function getTypeUrl
         * @memberof snaptier.MapChild
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        MapChild.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/snaptier.MapChild";
        };

        return MapChild;
    })();

    snaptier.MapLeaf = (function() {

        /**
         * Properties of a MapLeaf.
         * @typedef {Object} snaptier.MapLeaf.$Properties
         * @property {number|null} [version] MapLeaf version
         * @property {Array.<snaptier.Extent.$Properties>|null} [extents] MapLeaf extents
         * @property {Uint8Array|null} [fingerprints] MapLeaf fingerprints
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a MapLeaf.
         * @memberof snaptier
         * @interface IMapLeaf
         * @augments snaptier.MapLeaf.$Properties
         * @deprecated Use snaptier.MapLeaf.$Properties instead.
         */

        /**
         * Shape of a MapLeaf.
         * @typedef {snaptier.MapLeaf.$Properties} snaptier.MapLeaf.$Shape
         */

        /**
         * Constructs a new MapLeaf.
         * @memberof snaptier
         * @classdesc Represents a MapLeaf.
         * @constructor
         * @param {snaptier.MapLeaf.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const MapLeaf = function (p) {
            this.extents = [];
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * MapLeaf version.
         * @member {number} version
         * @memberof snaptier.MapLeaf
         * @instance
         */
        MapLeaf.prototype.version = 0;

        /**
         * MapLeaf extents.
         * @member {Array.<snaptier.Extent.$Properties>} extents
         * @memberof snaptier.MapLeaf
         * @instance
         */
        MapLeaf.prototype.extents = $util.emptyArray;

        /**
         * MapLeaf fingerprints.
         * @member {Uint8Array} fingerprints
         * @memberof snaptier.MapLeaf
         * @instance
         */
        MapLeaf.prototype.fingerprints = $util.newBuffer([]);

        /**
         * Creates a new MapLeaf instance using the specified properties.
         * @function create
         * @memberof snaptier.MapLeaf
         * @static
         * @param {snaptier.MapLeaf.$Properties=} [properties] Properties to set
         * @returns {snaptier.MapLeaf} MapLeaf instance
         * @type {{
         *   (properties: snaptier.MapLeaf.$Shape): snaptier.MapLeaf & snaptier.MapLeaf.$Shape;
         *   (properties?: snaptier.MapLeaf.$Properties): snaptier.MapLeaf;
         * }}
         */
        MapLeaf.create = function(properties) {
            return new MapLeaf(properties);
        };

        /**
         * Encodes the specified MapLeaf message. Does not implicitly {@link snaptier.MapLeaf.verify|verify} messages.
         * @function encode
         * @memberof snaptier.MapLeaf
         * @static
         * @param {snaptier.MapLeaf.$Properties} m MapLeaf message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        MapLeaf.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.version != null && $Object.hasOwnProperty.call(m, "version") && m.version !== 0)
                w.uint32(/* id 1, wireType 0 =*/8).uint32(m.version);
            if (m.extents != null && m.extents.length) {
                for (var i = 0; i < m.extents.length; ++i)
                    $root.snaptier.Extent.encode(m.extents[i], w.uint32(/* id 2, wireType 2 =*/18).fork(), q + 1).ldelim();
            }
            if (m.fingerprints != null && $Object.hasOwnProperty.call(m, "fingerprints") && m.fingerprints.length)
                w.uint32(/* id 3, wireType 2 =*/26).bytes(m.fingerprints);
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Decodes a MapLeaf message from the specified reader or buffer.
         * @function decode
         * @memberof snaptier.MapLeaf
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {snaptier.MapLeaf & snaptier.MapLeaf.$Shape} MapLeaf
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        MapLeaf.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.snaptier.MapLeaf();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.version = v;
                        else
                            delete m.version;
                        continue;
                    }
                case 2: {
                        if (u !== 2)
                            break;
                        if (!(m.extents && m.extents.length))
                            m.extents = [];
                        m.extents.push($root.snaptier.Extent.decode(r, r.size(), $undefined, q + 1));
                        continue;
                    }
                case 3: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.fingerprints = v;
                        else
                            delete m.fingerprints;
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Gets the type url for MapLeaf
         * @function getTypeUrl
         * @memberof snaptier.MapLeaf
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        MapLeaf.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/snaptier.MapLeaf";
        };

        return MapLeaf;
    })();

    snaptier.Extent = (function() {

        /**
         * Properties of an Extent.
         * @typedef {Object} snaptier.Extent.$Properties
         * @property {number|null} [start] Extent start
         * @property {number|null} [length] Extent length
         * @property {snaptier.BlobRef.$Properties|null} [chunk] Extent chunk
         * @property {number|null} [chunkOffset] Extent chunkOffset
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of an Extent.
         * @memberof snaptier
         * @interface IExtent
         * @augments snaptier.Extent.$Properties
         * @deprecated Use snaptier.Extent.$Properties instead.
         */

        /**
         * Shape of an Extent.
         * @typedef {snaptier.Extent.$Properties} snaptier.Extent.$Shape
         */

        /**
         * Constructs a new Extent.
         * @memberof snaptier
         * @classdesc Represents an Extent.
         * @constructor
         * @param {snaptier.Extent.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const Extent = function (p) {
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * Extent start.
         * @member {number} start
         * @memberof snaptier.Extent
         * @instance
         */
        Extent.prototype.start = 0;

        /**
         * Extent length.
         * @member {number} length
         * @memberof snaptier.Extent
         * @instance
         */
        Extent.prototype.length = 0;

        /**
         * Extent chunk.
         * @member {snaptier.BlobRef.$Properties|null|undefined} chunk
         * @memberof snaptier.Extent
         * @instance
         */
        Extent.prototype.chunk = null;

        /**
         * Extent chunkOffset.
         * @member {number} chunkOffset
         * @memberof snaptier.Extent
         * @instance
         */
        Extent.prototype.chunkOffset = 0;

        /**
         * Creates a new Extent instance using the specified properties.
         * @function create
         * @memberof snaptier.Extent
         * @static
         * @param {snaptier.Extent.$Properties=} [properties] Properties to set
         * @returns {snaptier.Extent} Extent instance
         * @type {{
         *   (properties: snaptier.Extent.$Shape): snaptier.Extent & snaptier.Extent.$Shape;
         *   (properties?: snaptier.Extent.$Properties): snaptier.Extent;
         * }}
         */
        Extent.create = function(properties) {
            return new Extent(properties);
        };

        /**
         * Encodes the specified Extent message. Does not implicitly {@link snaptier.Extent.verify|verify} messages.
         * @function encode
         * @memberof snaptier.Extent
         * @static
         * @param {snaptier.Extent.$Properties} m Extent message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        Extent.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.start != null && $Object.hasOwnProperty.call(m, "start") && m.start !== 0)
                w.uint32(/* id 1, wireType 0 =*/8).uint32(m.start);
            if (m.length != null && $Object.hasOwnProperty.call(m, "length") && m.length !== 0)
                w.uint32(/* id 2, wireType 0 =*/16).uint32(m.length);
            if (m.chunk != null && $Object.hasOwnProperty.call(m, "chunk"))
                $root.snaptier.BlobRef.encode(m.chunk, w.uint32(/* id 3, wireType 2 =*/26).fork(), q + 1).ldelim();
            if (m.chunkOffset != null && $Object.hasOwnProperty.call(m, "chunkOffset") && m.chunkOffset !== 0)
                w.uint32(/* id 4, wireType 0 =*/32).uint32(m.chunkOffset);
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Decodes an Extent message from the specified reader or buffer.
         * @function decode
         * @memberof snaptier.Extent
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {snaptier.Extent & snaptier.Extent.$Shape} Extent
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        Extent.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.snaptier.Extent();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.start = v;
                        else
                            delete m.start;
                        continue;
                    }
                case 2: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.length = v;
                        else
                            delete m.length;
                        continue;
                    }
                case 3: {
                        if (u !== 2)
                            break;
                        m.chunk = $root.snaptier.BlobRef.decode(r, r.size(), $undefined, q + 1, m.chunk);
                        continue;
                    }
                case 4: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.chunkOffset = v;
                        else
                            delete m.chunkOffset;
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Gets the type url for Extent
         * @function getTypeUrl
         * @memberof snaptier.Extent
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        Extent.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/snaptier.Extent";
        };

        return Extent;
    })();

    snaptier.PackTrailer = (function() {

        /**
         * Properties of a PackTrailer.
         * @typedef {Object} snaptier.PackTrailer.$Properties
         * @property {number|null} [version] PackTrailer version
         * @property {Uint8Array|null} [pack] PackTrailer pack
         * @property {snaptier.PackKind|null} [kind] PackTrailer kind
         * @property {Array.<snaptier.PackEntry.$Properties>|null} [entries] PackTrailer entries
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a PackTrailer.
         * @memberof snaptier
         * @interface IPackTrailer
         * @augments snaptier.PackTrailer.$Properties
         * @deprecated Use snaptier.PackTrailer.$Properties instead.
         */

        /**
         * Shape of a PackTrailer.
         * @typedef {snaptier.PackTrailer.$Properties} snaptier.PackTrailer.$Shape
         */

        /**
         * Constructs a new PackTrailer.
         * @memberof snaptier
         * @classdesc Represents a PackTrailer.
         * @constructor
         * @param {snaptier.PackTrailer.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const PackTrailer = function (p) {
            this.entries = [];
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * PackTrailer version.
         * @member {number} version
         * @memberof snaptier.PackTrailer
         * @instance
         */
        PackTrailer.prototype.version = 0;

        /**
         * PackTrailer pack.
         * @member {Uint8Array} pack
         * @memberof snaptier.PackTrailer
         * @instance
         */
        PackTrailer.prototype.pack = $util.newBuffer([]);

        /**
         * PackTrailer kind.
         * @member {snaptier.PackKind} kind
         * @memberof snaptier.PackTrailer
         * @instance
         */
        PackTrailer.prototype.kind = 0;

        /**
         * PackTrailer entries.
         * @member {Array.<snaptier.PackEntry.$Properties>} entries
         * @memberof snaptier.PackTrailer
         * @instance
         */
        PackTrailer.prototype.entries = $util.emptyArray;

        /**
         * Creates a new PackTrailer instance using the specified properties.
         * @function create
         * @memberof snaptier.PackTrailer
         * @static
         * @param {snaptier.PackTrailer.$Properties=} [properties] Properties to set
         * @returns {snaptier.PackTrailer} PackTrailer instance
         * @type {{
         *   (properties: snaptier.PackTrailer.$Shape): snaptier.PackTrailer & snaptier.PackTrailer.$Shape;
         *   (properties?: snaptier.PackTrailer.$Properties): snaptier.PackTrailer;
         * }}
         */
        PackTrailer.create = function(properties) {
            return new PackTrailer(properties);
        };

        /**
         * Encodes the specified PackTrailer message. Does not implicitly {@link snaptier.PackTrailer.verify|verify} messages.
         * @function encode
         * @memberof snaptier.PackTrailer
         * @static
         * @param {snaptier.PackTrailer.$Properties} m PackTrailer message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        PackTrailer.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.version != null && $Object.hasOwnProperty.call(m, "version") && m.version !== 0)
                w.uint32(/* id 1, wireType 0 =*/8).uint32(m.version);
            if (m.pack != null && $Object.hasOwnProperty.call(m, "pack") && m.pack.length)
                w.uint32(/* id 2, wireType 2 =*/18).bytes(m.pack);
            if (m.kind != null && $Object.hasOwnProperty.call(m, "kind") && m.kind !== 0)
                w.uint32(/* id 3, wireType 0 =*/24).int32(m.kind);
            if (m.entries != null && m.entries.length) {
                for (var i = 0; i < m.entries.length; ++i)
                    $root.snaptier.PackEntry.encode(m.entries[i], w.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
            }
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Decodes a PackTrailer message from the specified reader or buffer.
         * @function decode
         * @memberof snaptier.PackTrailer
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {snaptier.PackTrailer & snaptier.PackTrailer.$Shape} PackTrailer
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        PackTrailer.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.snaptier.PackTrailer();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.version = v;
                        else
                            delete m.version;
                        continue;
                    }
                case 2: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.pack = v;
                        else
                            delete m.pack;
                        continue;
                    }
                case 3: {
                        if (u !== 0)
                            break;
                        if (v = r.int32())
                            m.kind = v;
                        else
                            delete m.kind;
                        continue;
                    }
                case 4: {
                        if (u !== 2)
                            break;
                        if (!(m.entries && m.entries.length))
                            m.entries = [];
                        m.entries.push($root.snaptier.PackEntry.decode(r, r.size(), $undefined, q + 1));
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Gets the type url for PackTrailer
         * @function getTypeUrl
         * @memberof snaptier.PackTrailer
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        PackTrailer.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/snaptier.PackTrailer";
        };

        return PackTrailer;
    })();

    /**
     * PackKind enum.
     * @name snaptier.PackKind
     * @enum {number}
     * @property {number} PACK_DATA=0 PACK_DATA value
     * @property {number} PACK_TREE=1 PACK_TREE value
     */
    snaptier.PackKind = (function() {
        const valuesById = $Object.create(null), values = $Object.create(valuesById);
        values[valuesById[0] = "PACK_DATA"] = 0;
        values[valuesById[1] = "PACK_TREE"] = 1;
        return values;
    })();

    snaptier.PackEntry = (function() {

        /**
         * Properties of a PackEntry.
         * @typedef {Object} snaptier.PackEntry.$Properties
         * @property {Uint8Array|null} [id] PackEntry id
         * @property {number|null} [offset] PackEntry offset
         * @property {number|null} [length] PackEntry length
         * @property {number|null} [rawLength] PackEntry rawLength
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a PackEntry.
         * @memberof snaptier
         * @interface IPackEntry
         * @augments snaptier.PackEntry.$Properties
         * @deprecated Use snaptier.PackEntry.$Properties instead.
         */

        /**
         * Shape of a PackEntry.
         * @typedef {snaptier.PackEntry.$Properties} snaptier.PackEntry.$Shape
         */

        /**
         * Constructs a new PackEntry.
         * @memberof snaptier
         * @classdesc Represents a PackEntry.
         * @constructor
         * @param {snaptier.PackEntry.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const PackEntry = function (p) {
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * PackEntry id.
         * @member {Uint8Array} id
         * @memberof snaptier.PackEntry
         * @instance
         */
        PackEntry.prototype.id = $util.newBuffer([]);

        /**
         * PackEntry offset.
         * @member {number} offset
         * @memberof snaptier.PackEntry
         * @instance
         */
        PackEntry.prototype.offset = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * PackEntry length.
         * @member {number} length
         * @memberof snaptier.PackEntry
         * @instance
         */
        PackEntry.prototype.length = 0;

        /**
         * PackEntry rawLength.
         * @member {number} rawLength
         * @memberof snaptier.PackEntry
         * @instance
         */
        PackEntry.prototype.rawLength = 0;

        /**
         * Creates a new PackEntry instance using the specified properties.
         * @function create
         * @memberof snaptier.PackEntry
         * @static
         * @param {snaptier.PackEntry.$Properties=} [properties] Properties to set
         * @returns {snaptier.PackEntry} PackEntry instance
         * @type {{
         *   (properties: snaptier.PackEntry.$Shape): snaptier.PackEntry & snaptier.PackEntry.$Shape;
         *   (properties?: snaptier.PackEntry.$Properties): snaptier.PackEntry;
         * }}
         */
        PackEntry.create = function(properties) {
            return new PackEntry(properties);
        };

        /**
         * Encodes the specified PackEntry message. Does not implicitly {@link snaptier.PackEntry.verify|verify} messages.
         * @function encode
         * @memberof snaptier.PackEntry
         * @static
         * @param {snaptier.PackEntry.$Properties} m PackEntry message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        PackEntry.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.id != null && $Object.hasOwnProperty.call(m, "id") && m.id.length)
                w.uint32(/* id 1, wireType 2 =*/10).bytes(m.id);
            if (m.offset != null && $Object.hasOwnProperty.call(m, "offset") && (typeof m.offset === "object" ? m.offset.low || m.offset.high : m.offset !== 0))
                w.uint32(/* id 2, wireType 0 =*/16).uint64(m.offset);
            if (m.length != null && $Object.hasOwnProperty.call(m, "length") && m.length !== 0)
                w.uint32(/* id 3, wireType 0 =*/24).uint32(m.length);
            if (m.rawLength != null && $Object.hasOwnProperty.call(m, "rawLength") && m.rawLength !== 0)
                w.uint32(/* id 4, wireType 0 =*/32).uint32(m.rawLength);
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Decodes a PackEntry message from the specified reader or buffer.
         * @function decode
         * @memberof snaptier.PackEntry
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {snaptier.PackEntry & snaptier.PackEntry.$Shape} PackEntry
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        PackEntry.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.snaptier.PackEntry();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.id = v;
                        else
                            delete m.id;
                        continue;
                    }
                case 2: {
                        if (u !== 0)
                            break;
                        if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                            m.offset = v;
                        else
                            delete m.offset;
                        continue;
                    }
                case 3: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.length = v;
                        else
                            delete m.length;
                        continue;
                    }
                case 4: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.rawLength = v;
                        else
                            delete m.rawLength;
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Gets the type url for PackEntry
         * @function getTypeUrl
         * @memberof snaptier.PackEntry
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        PackEntry.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/snaptier.PackEntry";
        };

        return PackEntry;
    })();

    snaptier.Hold = (function() {

        /**
         * Properties of a Hold.
         * @typedef {Object} snaptier.Hold.$Properties
         * @property {number|null} [version] Hold version
         * @property {Uint8Array|null} [id] Hold id
         * @property {string|null} [volume] Hold volume
         * @property {Uint8Array|null} [snapshot] Hold snapshot
         * @property {number|null} [untilMs] Hold untilMs
         * @property {string|null} [reason] Hold reason
         * @property {number|null} [createdMs] Hold createdMs
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a Hold.
         * @memberof snaptier
         * @interface IHold
         * @augments snaptier.Hold.$Properties
         * @deprecated Use snaptier.Hold.$Properties instead.
         */

        /**
         * Shape of a Hold.
         * @typedef {snaptier.Hold.$Properties} snaptier.Hold.$Shape
         */

        /**
         * Constructs a new Hold.
         * @memberof snaptier
         * @classdesc Represents a Hold.
         * @constructor
         * @param {snaptier.Hold.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const Hold = function (p) {
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * Hold version.
         * @member {number} version
         * @memberof snaptier.Hold
         * @instance
         */
        Hold.prototype.version = 0;

        /**
         * Hold id.
         * @member {Uint8Array} id
         * @memberof snaptier.Hold
         * @instance
         */
        Hold.prototype.id = $util.newBuffer([]);

        /**
         * Hold volume.
         * @member {string} volume
         * @memberof snaptier.Hold
         * @instance
         */
        Hold.prototype.volume = "";

        /**
         * Hold snapshot.
         * @member {Uint8Array} snapshot
         * @memberof snaptier.Hold
         * @instance
         */
        Hold.prototype.snapshot = $util.newBuffer([]);

        /**
         * Hold untilMs.
         * @member {number} untilMs
         * @memberof snaptier.Hold
         * @instance
         */
        Hold.prototype.untilMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * Hold reason.
         * @member {string} reason
         * @memberof snaptier.Hold
         * @instance
         */
        Hold.prototype.reason = "";

        /**
         * Hold createdMs.
         * @member {number} createdMs
         * @memberof snaptier.Hold
         * @instance
         */
        Hold.prototype.createdMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * Creates a new Hold instance using the specified properties.
         * @function create
         * @memberof snaptier.Hold
         * @static
         * @param {snaptier.Hold.$Properties=} [properties] Properties to set
         * @returns {snaptier.Hold} Hold instance
         * @type {{
         *   (properties: snaptier.Hold.$Shape): snaptier.Hold & snaptier.Hold.$Shape;
         *   (properties?: snaptier.Hold.$Properties): snaptier.Hold;
         * }}
         */
        Hold.create = function(properties) {
            return new Hold(properties);
        };

        /**
         * Encodes the specified Hold message. Does not implicitly {@link snaptier.Hold.verify|verify} messages.
         * @function encode
         * @memberof snaptier.Hold
         * @static
         * @param {snaptier.Hold.$Properties} m Hold message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        Hold.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.version != null && $Object.hasOwnProperty.call(m, "version") && m.version !== 0)
                w.uint32(/* id 1, wireType 0 =*/8).uint32(m.version);
            if (m.id != null && $Object.hasOwnProperty.call(m, "id") && m.id.length)
                w.uint32(/* id 2, wireType 2 =*/18).bytes(m.id);
            if (m.volume != null && $Object.hasOwnProperty.call(m, "volume") && m.volume !== "")
                w.uint32(/* id 3, wireType 2 =*/26).string(m.volume);
            if (m.snapshot != null && $Object.hasOwnProperty.call(m, "snapshot") && m.snapshot.length)
                w.uint32(/* id 4, wireType 2 =*/34).bytes(m.snapshot);
            if (m.untilMs != null && $Object.hasOwnProperty.call(m, "untilMs") && (typeof m.untilMs === "object" ? m.untilMs.low || m.untilMs.high : m.untilMs !== 0))
                w.uint32(/* id 5, wireType 0 =*/40).int64(m.untilMs);
            if (m.reason != null && $Object.hasOwnProperty.call(m, "reason") && m.reason !== "")
                w.uint32(/* id 6, wireType 2 =*/50).string(m.reason);
            if (m.createdMs != null && $Object.hasOwnProperty.call(m, "createdMs") && (typeof m.createdMs === "object" ? m.createdMs.low || m.createdMs.high : m.createdMs !== 0))
                w.uint32(/* id 7, wireType 0 =*/56).int64(m.createdMs);
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Decodes a Hold message from the specified reader or buffer.
         * @function decode
         * @memberof snaptier.Hold
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {snaptier.Hold & snaptier.Hold.$Shape} Hold
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        Hold.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.snaptier.Hold();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.version = v;
                        else
                            delete m.version;
                        continue;
                    }
                case 2: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.id = v;
                        else
                            delete m.id;
                        continue;
                    }
                case 3: {
                        if (u !== 2)
                            break;
                        if ((v = r.stringVerify()).length)
                            m.volume = v;
                        else
                            delete m.volume;
                        continue;
                    }
                case 4: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.snapshot = v;
                        else
                            delete m.snapshot;
                        continue;
                    }
                case 5: {
                        if (u !== 0)
                            break;
                        if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                            m.untilMs = v;
                        else
                            delete m.untilMs;
                        continue;
                    }
                case 6: {
                        if (u !== 2)
                            break;
                        if ((v = r.stringVerify()).length)
                            m.reason = v;
                        else
                            delete m.reason;
                        continue;
                    }
                case 7: {
                        if (u !== 0)
                            break;
                        if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                            m.createdMs = v;
                        else
                            delete m.createdMs;
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Gets the type url for Hold
         * @function getTypeUrl
         * @memberof snaptier.Hold
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        Hold.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/snaptier.Hold";
        };

        return Hold;
    })();

    snaptier.PruneRecord = (function() {

        /**
         * Properties of a PruneRecord.
         * @typedef {Object} snaptier.PruneRecord.$Properties
         * @property {number|null} [version] PruneRecord version
         * @property {Uint8Array|null} [id] PruneRecord id
         * @property {number|null} [createdMs] PruneRecord createdMs
         * @property {Array.<snaptier.PrunePack.$Properties>|null} [packs] PruneRecord packs
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a PruneRecord.
         * @memberof snaptier
         * @interface IPruneRecord
         * @augments snaptier.PruneRecord.$Properties
         * @deprecated Use snaptier.PruneRecord.$Properties instead.
         */

        /**
         * Shape of a PruneRecord.
         * @typedef {snaptier.PruneRecord.$Properties} snaptier.PruneRecord.$Shape
         */

        /**
         * Constructs a new PruneRecord.
         * @memberof snaptier
         * @classdesc Represents a PruneRecord.
         * @constructor
         * @param {snaptier.PruneRecord.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const PruneRecord = function (p) {
            this.packs = [];
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * PruneRecord version.
         * @member {number} version
         * @memberof snaptier.PruneRecord
         * @instance
         */
        PruneRecord.prototype.version = 0;

        /**
         * PruneRecord id.
         * @member {Uint8Array} id
         * @memberof snaptier.PruneRecord
         * @instance
         */
        PruneRecord.prototype.id = $util.newBuffer([]);

        /**
         * PruneRecord createdMs.
         * @member {number} createdMs
         * @memberof snaptier.PruneRecord
         * @instance
         */
        PruneRecord.prototype.createdMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * PruneRecord packs.
         * @member {Array.<snaptier.PrunePack.$Properties>} packs
         * @memberof snaptier.PruneRecord
         * @instance
         */
        PruneRecord.prototype.packs = $util.emptyArray;

        /**
         * Creates a new PruneRecord instance using the specified properties.
         * @function create
         * @memberof snaptier.PruneRecord
         * @static
         * @param {snaptier.PruneRecord.$Properties=} [properties] Properties to set
         * @returns {snaptier.PruneRecord} PruneRecord instance
         * @type {{
         *   (properties: snaptier.PruneRecord.$Shape): snaptier.PruneRecord & snaptier.PruneRecord.$Shape;
         *   (properties?: snaptier.PruneRecord.$Properties): snaptier.PruneRecord;
         * }}
         */
        PruneRecord.create = function(properties) {
            return new PruneRecord(properties);
        };

        /**
         * Encodes the specified PruneRecord message. Does not implicitly {@link snaptier.PruneRecord.verify|verify} messages.
         * @function encode
         * @memberof snaptier.PruneRecord
         * @static
         * @param {snaptier.PruneRecord.$Properties} m PruneRecord message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        PruneRecord.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.version != null && $Object.hasOwnProperty.call(m, "version") && m.version !== 0)
                w.uint32(/* id 1, wireType 0 =*/8).uint32(m.version);
            if (m.id != null && $Object.hasOwnProperty.call(m, "id") && m.id.length)
                w.uint32(/* id 2, wireType 2 =*/18).bytes(m.id);
            if (m.createdMs != null && $Object.hasOwnProperty.call(m, "createdMs") && (typeof m.createdMs === "object" ? m.createdMs.low || m.createdMs.high : m.createdMs !== 0))
                w.uint32(/* id 3, wireType 0 =*/24).int64(m.createdMs);
            if (m.packs != null && m.packs.length) {
                for (var i = 0; i < m.packs.length; ++i)
                    $root.snaptier.PrunePack.encode(m.packs[i], w.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
            }
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Decodes a PruneRecord message from the specified reader or buffer.
         * @function decode
         * @memberof snaptier.PruneRecord
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {snaptier.PruneRecord & snaptier.PruneRecord.$Shape} PruneRecord
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        PruneRecord.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.snaptier.PruneRecord();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.version = v;
                        else
                            delete m.version;
                        continue;
                    }
                case 2: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.id = v;
                        else
                            delete m.id;
                        continue;
                    }
                case 3: {
                        if (u !== 0)
                            break;
                        if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                            m.createdMs = v;
                        else
                            delete m.createdMs;
                        continue;
                    }
                case 4: {
                        if (u !== 2)
                            break;
                        if (!(m.packs && m.packs.length))
                            m.packs = [];
                        m.packs.push($root.snaptier.PrunePack.decode(r, r.size(), $undefined, q + 1));
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Gets the type url for PruneRecord
         * @function getTypeUrl
         * @memberof snaptier.PruneRecord
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        PruneRecord.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/snaptier.PruneRecord";
        };

        return PruneRecord;
    })();

    snaptier.PrunePack = (function() {

        /**
         * Properties of a PrunePack.
         * @typedef {Object} snaptier.PrunePack.$Properties
         * @property {Uint8Array|null} [pack] PrunePack pack
         * @property {number|null} [sinceMs] PrunePack sinceMs
         * @property {boolean|null} [released] PrunePack released
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a PrunePack.
         * @memberof snaptier
         * @interface IPrunePack
         * @augments snaptier.PrunePack.$Properties
         * @deprecated Use snaptier.PrunePack.$Properties instead.
         */

        /**
         * Shape of a PrunePack.
         * @typedef {snaptier.PrunePack.$Properties} snaptier.PrunePack.$Shape
         */

        /**
         * Constructs a new PrunePack.
         * @memberof snaptier
         * @classdesc Represents a PrunePack.
         * @constructor
         * @param {snaptier.PrunePack.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const PrunePack = function (p) {
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * PrunePack pack.
         * @member {Uint8Array} pack
         * @memberof snaptier.PrunePack
         * @instance
         */
        PrunePack.prototype.pack = $util.newBuffer([]);

        /**
         * PrunePack sinceMs.
         * @member {number} sinceMs
         * @memberof snaptier.PrunePack
         * @instance
         */
        PrunePack.prototype.sinceMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * PrunePack released.
         * @member {boolean} released
         * @memberof snaptier.PrunePack
         * @instance
         */
        PrunePack.prototype.released = false;

        /**
         * Creates a new PrunePack instance using the specified properties.
         * @function create
         * @memberof snaptier.PrunePack
         * @static
         * @param {snaptier.PrunePack.$Properties=} [properties] Properties to set
         * @returns {snaptier.PrunePack} PrunePack instance
         * @type {{
         *   (properties: snaptier.PrunePack.$Shape): snaptier.PrunePack & snaptier.PrunePack.$Shape;
         *   (properties?: snaptier.PrunePack.$Properties): snaptier.PrunePack;
         * }}
         */
        PrunePack.create = function(properties) {
            return new PrunePack(properties);
        };

        /**
         * Encodes the specified PrunePack message. Does not implicitly {@link snaptier.PrunePack.verify|verify} messages.
         * @function encode
         * @memberof snaptier.PrunePack
         * @static
         * @param {snaptier.PrunePack.$Properties} m PrunePack message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        PrunePack.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.pack != null && $Object.hasOwnProperty.call(m, "pack") && m.pack.length)
                w.uint32(/* id 1, wireType 2 =*/10).bytes(m.pack);
            if (m.sinceMs != null && $Object.hasOwnProperty.call(m, "sinceMs") && (typeof m.sinceMs === "object" ? m.sinceMs.low || m.sinceMs.high : m.sinceMs !== 0))
                w.uint32(/* id 2, wireType 0 =*/16).int64(m.sinceMs);
            if (m.released != null && $Object.hasOwnProperty.call(m, "released") && m.released !== false)
                w.uint32(/* id 3, wireType 0 =*/24).bool(m.released);
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Decodes a PrunePack message from the specified reader or buffer.
         * @function decode
         * @memberof snaptier.PrunePack
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {snaptier.PrunePack & snaptier.PrunePack.$Shape} PrunePack
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        PrunePack.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.snaptier.PrunePack();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.pack = v;
                        else
                            delete m.pack;
                        continue;
                    }
                case 2: {
                        if (u !== 0)
                            break;
                        if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                            m.sinceMs = v;
                        else
                            delete m.sinceMs;
                        continue;
                    }
                case 3: {
                        if (u !== 0)
                            break;
                        if (v = r.bool())
                            m.released = v;
                        else
                            delete m.released;
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Gets the type url for PrunePack
         * @function getTypeUrl
         * @memberof snaptier.PrunePack
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        PrunePack.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/snaptier.PrunePack";
        };

        return PrunePack;
    })();

    snaptier.ForwardRecord = (function() {

        /**
         * Properties of a ForwardRecord.
         * @typedef {Object} snaptier.ForwardRecord.$Properties
         * @property {number|null} [version] ForwardRecord version
         * @property {Uint8Array|null} [id] ForwardRecord id
         * @property {number|null} [createdMs] ForwardRecord createdMs
         * @property {Array.<snaptier.ForwardMove.$Properties>|null} [moves] ForwardRecord moves
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a ForwardRecord.
         * @memberof snaptier
         * @interface IForwardRecord
         * @augments snaptier.ForwardRecord.$Properties
         * @deprecated Use snaptier.ForwardRecord.$Properties instead.
         */

        /**
         * Shape of a ForwardRecord.
         * @typedef {snaptier.ForwardRecord.$Properties} snaptier.ForwardRecord.$Shape
         */

        /**
         * Constructs a new ForwardRecord.
         * @memberof snaptier
         * @classdesc Represents a ForwardRecord.
         * @constructor
         * @param {snaptier.ForwardRecord.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const ForwardRecord = function (p) {
            this.moves = [];
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * ForwardRecord version.
         * @member {number} version
         * @memberof snaptier.ForwardRecord
         * @instance
         */
        ForwardRecord.prototype.version = 0;

        /**
         * ForwardRecord id.
         * @member {Uint8Array} id
         * @memberof snaptier.ForwardRecord
         * @instance
         */
        ForwardRecord.prototype.id = $util.newBuffer([]);

        /**
         * ForwardRecord createdMs.
         * @member {number} createdMs
         * @memberof snaptier.ForwardRecord
         * @instance
         */
        ForwardRecord.prototype.createdMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * ForwardRecord moves.
         * @member {Array.<snaptier.ForwardMove.$Properties>} moves
         * @memberof snaptier.ForwardRecord
         * @instance
         */
        ForwardRecord.prototype.moves = $util.emptyArray;

        /**
         * Creates a new ForwardRecord instance using the specified properties.
         * @function create
         * @memberof snaptier.ForwardRecord
         * @static
         * @param {snaptier.ForwardRecord.$Properties=} [properties] Properties to set
         * @returns {snaptier.ForwardRecord} ForwardRecord instance
         * @type {{
         *   (properties: snaptier.ForwardRecord.$Shape): snaptier.ForwardRecord & snaptier.ForwardRecord.$Shape;
         *   (properties?: snaptier.ForwardRecord.$Properties): snaptier.ForwardRecord;
         * }}
         */
        ForwardRecord.create = function(properties) {
            return new ForwardRecord(properties);
        };

        /**
         * Encodes the specified ForwardRecord message. Does not implicitly {@link snaptier.ForwardRecord.verify|verify} messages.
         * @function encode
         * @memberof snaptier.ForwardRecord
         * @static
         * @param {snaptier.ForwardRecord.$Properties} m ForwardRecord message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        ForwardRecord.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.version != null && $Object.hasOwnProperty.call(m, "version") && m.version !== 0)
                w.uint32(/* id 1, wireType 0 =*/8).uint32(m.version);
            if (m.id != null && $Object.hasOwnProperty.call(m, "id") && m.id.length)
                w.uint32(/* id 2, wireType 2 =*/18).bytes(m.id);
            if (m.createdMs != null && $Object.hasOwnProperty.call(m, "createdMs") && (typeof m.createdMs === "object" ? m.createdMs.low || m.createdMs.high : m.createdMs !== 0))
                w.uint32(/* id 3, wireType 0 =*/24).int64(m.createdMs);
            if (m.moves != null && m.moves.length) {
                for (var i = 0; i < m.moves.length; ++i)
                    $root.snaptier.ForwardMove.encode(m.moves[i], w.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
            }
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Decodes a ForwardRecord message from the specified reader or buffer.
         * @function decode
         * @memberof snaptier.ForwardRecord
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {snaptier.ForwardRecord & snaptier.ForwardRecord.$Shape} ForwardRecord
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        ForwardRecord.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.snaptier.ForwardRecord();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.version = v;
                        else
                            delete m.version;
                        continue;
                    }
                case 2: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.id = v;
                        else
                            delete m.id;
                        continue;
                    }
                case 3: {
                        if (u !== 0)
                            break;
                        if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                            m.createdMs = v;
                        else
                            delete m.createdMs;
                        continue;
                    }
                case 4: {
                        if (u !== 2)
                            break;
                        if (!(m.moves && m.moves.length))
                            m.moves = [];
                        m.moves.push($root.snaptier.ForwardMove.decode(r, r.size(), $undefined, q + 1));
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Gets the type url for ForwardRecord
         * @function getTypeUrl
         * @memberof snaptier.ForwardRecord
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        ForwardRecord.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/snaptier.ForwardRecord";
        };

        return ForwardRecord;
    })();

    snaptier.ForwardMove = (function() {

        /**
         * Properties of a ForwardMove.
         * @typedef {Object} snaptier.ForwardMove.$Properties
         * @property {Uint8Array|null} [from] ForwardMove from
         * @property {Uint8Array|null} [to] ForwardMove to
         * @property {Array.<number>|null} [fromOffsets] ForwardMove fromOffsets
         * @property {Array.<number>|null} [toOffsets] ForwardMove toOffsets
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a ForwardMove.
         * @memberof snaptier
         * @interface IForwardMove
         * @augments snaptier.ForwardMove.$Properties
         * @deprecated Use snaptier.ForwardMove.$Properties instead.
         */

        /**
         * Shape of a ForwardMove.
         * @typedef {snaptier.ForwardMove.$Properties} snaptier.ForwardMove.$Shape
         */

        /**
         * Constructs a new ForwardMove.
         * @memberof snaptier
         * @classdesc Represents a ForwardMove.
         * @constructor
         * @param {snaptier.ForwardMove.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const ForwardMove = function (p) {
            this.fromOffsets = [];
            this.toOffsets = [];
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * ForwardMove from.
         * @member {Uint8Array} from
         * @memberof snaptier.ForwardMove
         * @instance
         */
        ForwardMove.prototype.from = $util.newBuffer([]);

        /**
         * ForwardMove to.
         * @member {Uint8Array} to
         * @memberof snaptier.ForwardMove
         * @instance
         */
        ForwardMove.prototype.to = $util.newBuffer([]);

        /**
         * ForwardMove fromOffsets.
         * @member {Array.<number>} fromOffsets
         * @memberof snaptier.ForwardMove
         * @instance
         */
        ForwardMove.prototype.fromOffsets = $util.emptyArray;

        /**
         * ForwardMove toOffsets.
         * @member {Array.<number>} toOffsets
         * @memberof snaptier.ForwardMove
         * @instance
         */
        ForwardMove.prototype.toOffsets = $util.emptyArray;

        /**
         * Creates a new ForwardMove instance using the specified properties.
         * @function create
         * @memberof snaptier.ForwardMove
         * @static
         * @param {snaptier.ForwardMove.$Properties=} [properties] Properties to set
         * @returns {snaptier.ForwardMove} ForwardMove instance
         * @type {{
         *   (properties: snaptier.ForwardMove.$Shape): snaptier.ForwardMove & snaptier.ForwardMove.$Shape;
         *   (properties?: snaptier.ForwardMove.$Properties): snaptier.ForwardMove;
         * }}
         */
        ForwardMove.create = function(properties) {
            return new ForwardMove(properties);
        };

        /**
         * Encodes the specified ForwardMove message. Does not implicitly {@link snaptier.ForwardMove.verify|verify} messages.
         * @function encode
         * @memberof snaptier.ForwardMove
         * @static
         * @param {snaptier.ForwardMove.$Properties} m ForwardMove message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        ForwardMove.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.from != null && $Object.hasOwnProperty.call(m, "from") && m.from.length)
                w.uint32(/* id 1, wireType 2 =*/10).bytes(m.from);
            if (m.to != null && $Object.hasOwnProperty.call(m, "to") && m.to.length)
                w.uint32(/* id 2, wireType 2 =*/18).bytes(m.to);
            if (m.fromOffsets != null && m.fromOffsets.length) {
                w.uint32(/* id 3, wireType 2 =*/26).uint64s(m.fromOffsets);
            }
            if (m.toOffsets != null && m.toOffsets.length) {
                w.uint32(/* id 4, wireType 2 =*/34).uint64s(m.toOffsets);
            }
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Decodes a ForwardMove message from the specified reader or buffer.
         * @function decode
         * @memberof snaptier.ForwardMove
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {snaptier.ForwardMove & snaptier.ForwardMove.$Shape} ForwardMove
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        ForwardMove.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.snaptier.ForwardMove();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.from = v;
                        else
                            delete m.from;
                        continue;
                    }
                case 2: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.to = v;
                        else
                            delete m.to;
                        continue;
                    }
                case 3: {
                        if (u === 2) {
                            if (!(m.fromOffsets && m.fromOffsets.length))
                                m.fromOffsets = [];
                            r.uint64s(m.fromOffsets);
                            continue;
                        }
                        if (u !== 0)
                            break;
                        if (!(m.fromOffsets && m.fromOffsets.length))
                            m.fromOffsets = [];
                        m.fromOffsets.push(r.uint64());
                        continue;
                    }
                case 4: {
                        if (u === 2) {
                            if (!(m.toOffsets && m.toOffsets.length))
                                m.toOffsets = [];
                            r.uint64s(m.toOffsets);
                            continue;
                        }
                        if (u !== 0)
                            break;
                        if (!(m.toOffsets && m.toOffsets.length))
                            m.toOffsets = [];
                        m.toOffsets.push(r.uint64());
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Gets the type url for ForwardMove
         * @function getTypeUrl
         * @memberof snaptier.ForwardMove
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        ForwardMove.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/snaptier.ForwardMove";
        };

        return ForwardMove;
    })();

    snaptier.RepoLock = (function() {

        /**
         * Properties of a RepoLock.
         * @typedef {Object} snaptier.RepoLock.$Properties
         * @property {number|null} [version] RepoLock version
         * @property {Uint8Array|null} [id] RepoLock id
         * @property {Uint8Array|null} [owner] RepoLock owner
         * @property {string|null} [host] RepoLock host
         * @property {number|null} [pid] RepoLock pid
         * @property {string|null} [operation] RepoLock operation
         * @property {snaptier.LockKind|null} [kind] RepoLock kind
         * @property {string|null} [volume] RepoLock volume
         * @property {number|null} [startedMs] RepoLock startedMs
         * @property {number|null} [refreshedMs] RepoLock refreshedMs
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a RepoLock.
         * @memberof snaptier
         * @interface IRepoLock
         * @augments snaptier.RepoLock.$Properties
         * @deprecated Use snaptier.RepoLock.$Properties instead.
         */

        /**
         * Shape of a RepoLock.
         * @typedef {snaptier.RepoLock.$Properties} snaptier.RepoLock.$Shape
         */

        /**
         * Constructs a new RepoLock.
         * @memberof snaptier
         * @classdesc Represents a RepoLock.
         * @constructor
         * @param {snaptier.RepoLock.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const RepoLock = function (p) {
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * RepoLock version.
         * @member {number} version
         * @memberof snaptier.RepoLock
         * @instance
         */
        RepoLock.prototype.version = 0;

        /**
         * RepoLock id.
         * @member {Uint8Array} id
         * @memberof snaptier.RepoLock
         * @instance
         */
        RepoLock.prototype.id = $util.newBuffer([]);

        /**
         * RepoLock owner.
         * @member {Uint8Array} owner
         * @memberof snaptier.RepoLock
         * @instance
         */
        RepoLock.prototype.owner = $util.newBuffer([]);

        /**
         * RepoLock host.
         * @member {string} host
         * @memberof snaptier.RepoLock
         * @instance
         */
        RepoLock.prototype.host = "";

        /**
         * RepoLock pid.
         * @member {number} pid
         * @memberof snaptier.RepoLock
         * @instance
         */
        RepoLock.prototype.pid = 0;

        /**
         * RepoLock operation.
         * @member {string} operation
         * @memberof snaptier.RepoLock
         * @instance
         */
        RepoLock.prototype.operation = "";

        /**
         * RepoLock kind.
         * @member {snaptier.LockKind} kind
         * @memberof snaptier.RepoLock
         * @instance
         */
        RepoLock.prototype.kind = 0;

        /**
         * RepoLock volume.
         * @member {string} volume
         * @memberof snaptier.RepoLock
         * @instance
         */
        RepoLock.prototype.volume = "";

        /**
         * RepoLock startedMs.
         * @member {number} startedMs
         * @memberof snaptier.RepoLock
         * @instance
         */
        RepoLock.prototype.startedMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * RepoLock refreshedMs.
         * @member {number} refreshedMs
         * @memberof snaptier.RepoLock
         * @instance
         */
        RepoLock.prototype.refreshedMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * Creates a new RepoLock instance using the specified properties.
         * @function create
         * @memberof snaptier.RepoLock
         * @static
         * @param {snaptier.RepoLock.$Properties=} [properties] Properties to set
         * @returns {snaptier.RepoLock} RepoLock instance
         * @type {{
         *   (properties: snaptier.RepoLock.$Shape): snaptier.RepoLock & snaptier.RepoLock.$Shape;
         *   (properties?: snaptier.RepoLock.$Properties): snaptier.RepoLock;
         * }}
         */
        RepoLock.create = function(properties) {
            return new RepoLock(properties);
        };

        /**
         * Encodes the specified RepoLock message. Does not implicitly {@link snaptier.RepoLock.verify|verify} messages.
         * @function encode
         * @memberof snaptier.RepoLock
         * @static
         * @param {snaptier.RepoLock.$Properties} m RepoLock message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        RepoLock.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.version != null && $Object.hasOwnProperty.call(m, "version") && m.version !== 0)
                w.uint32(/* id 1, wireType 0 =*/8).uint32(m.version);
            if (m.id != null && $Object.hasOwnProperty.call(m, "id") && m.id.length)
                w.uint32(/* id 2, wireType 2 =*/18).bytes(m.id);
            if (m.owner != null && $Object.hasOwnProperty.call(m, "owner") && m.owner.length)
                w.uint32(/* id 3, wireType 2 =*/26).bytes(m.owner);
            if (m.host != null && $Object.hasOwnProperty.call(m, "host") && m.host !== "")
                w.uint32(/* id 4, wireType 2 =*/34).string(m.host);
            if (m.pid != null && $Object.hasOwnProperty.call(m, "pid") && m.pid !== 0)
                w.uint32(/* id 5, wireType 0 =*/40).uint32(m.pid);
            if (m.operation != null && $Object.hasOwnProperty.call(m, "operation") && m.operation !== "")
                w.uint32(/* id 6, wireType 2 =*/50).string(m.operation);
            if (m.kind != null && $Object.hasOwnProperty.call(m, "kind") && m.kind !== 0)
                w.uint32(/* id 7, wireType 0 =*/56).int32(m.kind);
            if (m.volume != null && $Object.hasOwnProperty.call(m, "volume") && m.volume !== "")
                w.uint32(/* id 8, wireType 2 =*/66).string(m.volume);
            if (m.startedMs != null && $Object.hasOwnProperty.call(m, "startedMs") && (typeof m.startedMs === "object" ? m.startedMs.low || m.startedMs.high : m.startedMs !== 0))
                w.uint32(/* id 9, wireType 0 =*/72).int64(m.startedMs);
            if (m.refreshedMs != null && $Object.hasOwnProperty.call(m, "refreshedMs") && (typeof m.refreshedMs === "object" ? m.refreshedMs.low || m.refreshedMs.high : m.refreshedMs !== 0))
                w.uint32(/* id 10, wireType 0 =*/80).int64(m.refreshedMs);
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Decodes a RepoLock message from the specified reader or buffer.
         * @function decode
         * @memberof snaptier.RepoLock
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {snaptier.RepoLock & snaptier.RepoLock.$Shape} RepoLock
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        RepoLock.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.snaptier.RepoLock();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.version = v;
                        else
                            delete m.version;
                        continue;
                    }
                case 2: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.id = v;
                        else
                            delete m.id;
                        continue;
                    }
                case 3: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.owner = v;
                        else
                            delete m.owner;
                        continue;
                    }
                case 4: {
                        if (u !== 2)
                            break;
                        if ((v = r.stringVerify()).length)
                            m.host = v;
                        else
                            delete m.host;
                        continue;
                    }
                case 5: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.pid = v;
                        else
                            delete m.pid;
                        continue;
                    }
                case 6: {
                        if (u !== 2)
                            break;
                        if ((v = r.stringVerify()).length)
                            m.operation = v;
                        else
                            delete m.operation;
                        continue;
                    }
                case 7: {
                        if (u !== 0)
                            break;
                        if (v = r.int32())
                            m.kind = v;
                        else
                            delete m.kind;
                        continue;
                    }
                case 8: {
                        if (u !== 2)
                            break;
                        if ((v = r.stringVerify()).length)
                            m.volume = v;
                        else
                            delete m.volume;
                        continue;
                    }
                case 9: {
                        if (u !== 0)
                            break;
                        if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                            m.startedMs = v;
                        else
                            delete m.startedMs;
                        continue;
                    }
                case 10: {
                        if (u !== 0)
                            break;
                        if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                            m.refreshedMs = v;
                        else
                            delete m.refreshedMs;
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Gets the type url for RepoLock
         * @function getTypeUrl
         * @memberof snaptier.RepoLock
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        RepoLock.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/snaptier.RepoLock";
        };

        return RepoLock;
    })();

    /**
     * LockKind enum.
     * @name snaptier.LockKind
     * @enum {number}
     * @property {number} LOCK_SHARED=0 LOCK_SHARED value
     * @property {number} LOCK_EXCLUSIVE=1 LOCK_EXCLUSIVE value
     */
    snaptier.LockKind = (function() {
        const valuesById = $Object.create(null), values = $Object.create(valuesById);
        values[valuesById[0] = "LOCK_SHARED"] = 0;
        values[valuesById[1] = "LOCK_EXCLUSIVE"] = 1;
        return values;
    })();

    snaptier.Checkpoint = (function() {

        /**
         * Properties of a Checkpoint.
         * @typedef {Object} snaptier.Checkpoint.$Properties
         * @property {number|null} [version] Checkpoint version
         * @property {Uint8Array|null} [id] Checkpoint id
         * @property {Uint8Array|null} [run] Checkpoint run
         * @property {string|null} [volume] Checkpoint volume
         * @property {Uint8Array|null} [parent] Checkpoint parent
         * @property {number|null} [size] Checkpoint size
         * @property {number|null} [rootLevel] Checkpoint rootLevel
         * @property {number|null} [done] Checkpoint done
         * @property {Array.<snaptier.CheckpointNode.$Properties>|null} [nodes] Checkpoint nodes
         * @property {number|null} [startedMs] Checkpoint startedMs
         * @property {number|null} [timeMs] Checkpoint timeMs
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a Checkpoint.
         * @memberof snaptier
         * @interface ICheckpoint
         * @augments snaptier.Checkpoint.$Properties
         * @deprecated Use snaptier.Checkpoint.$Properties instead.
         */

        /**
         * Shape of a Checkpoint.
         * @typedef {snaptier.Checkpoint.$Properties} snaptier.Checkpoint.$Shape
         */

        /**
         * Constructs a new Checkpoint.
         * @memberof snaptier
         * @classdesc Represents a Checkpoint.
         * @constructor
         * @param {snaptier.Checkpoint.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const Checkpoint = function (p) {
            this.nodes = [];
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * Checkpoint version.
         * @member {number} version
         * @memberof snaptier.Checkpoint
         * @instance
         */
        Checkpoint.prototype.version = 0;

        /**
         * Checkpoint id.
         * @member {Uint8Array} id
         * @memberof snaptier.Checkpoint
         * @instance
         */
        Checkpoint.prototype.id = $util.newBuffer([]);

        /**
         * Checkpoint run.
         * @member {Uint8Array} run
         * @memberof snaptier.Checkpoint
         * @instance
         */
        Checkpoint.prototype.run = $util.newBuffer([]);

        /**
         * Checkpoint volume.
         * @member {string} volume
         * @memberof snaptier.Checkpoint
         * @instance
         */
        Checkpoint.prototype.volume = "";

        /**
         * Checkpoint parent.
         * @member {Uint8Array} parent
         * @memberof snaptier.Checkpoint
         * @instance
         */
        Checkpoint.prototype.parent = $util.newBuffer([]);

        /**
         * Checkpoint size.
         * @member {number} size
         * @memberof snaptier.Checkpoint
         * @instance
         */
        Checkpoint.prototype.size = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * Checkpoint rootLevel.
         * @member {number} rootLevel
         * @memberof snaptier.Checkpoint
         * @instance
         */
        Checkpoint.prototype.rootLevel = 0;

        /**
         * Checkpoint done.
         * @member {number} done
         * @memberof snaptier.Checkpoint
         * @instance
         */
        Checkpoint.prototype.done = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * Checkpoint nodes.
         * @member {Array.<snaptier.CheckpointNode.$Properties>} nodes
         * @memberof snaptier.Checkpoint
         * @instance
         */
        Checkpoint.prototype.nodes = $util.emptyArray;

        /**
         * Checkpoint startedMs.
         * @member {number} startedMs
         * @memberof snaptier.Checkpoint
         * @instance
         */
        Checkpoint.prototype.startedMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * Checkpoint timeMs.
         * @member {number} timeMs
         * @memberof snaptier.Checkpoint
         * @instance
         */
        Checkpoint.prototype.timeMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * Creates a new Checkpoint instance using the specified properties.
         * @function create
         * @memberof snaptier.Checkpoint
         * @static
         * @param {snaptier.Checkpoint.$Properties=} [properties] Properties to set
         * @returns {snaptier.Checkpoint} Checkpoint instance
         * @type {{
         *   (properties: snaptier.Checkpoint.$Shape): snaptier.Checkpoint & snaptier.Checkpoint.$Shape;
         *   (properties?: snaptier.Checkpoint.$Properties): snaptier.Checkpoint;
         * }}
         */
        Checkpoint.create = function(properties) {
            return new Checkpoint(properties);
        };

        /**
         * Encodes the specified Checkpoint message. Does not implicitly {@link snaptier.Checkpoint.verify|verify} messages.
         * @function encode
         * @memberof snaptier.Checkpoint
         * @static
         * @param {snaptier.Checkpoint.$Properties} m Checkpoint message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        Checkpoint.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.version != null && $Object.hasOwnProperty.call(m, "version") && m.version !== 0)
                w.uint32(/* id 1, wireType 0 =*/8).uint32(m.version);
            if (m.id != null && $Object.hasOwnProperty.call(m, "id") && m.id.length)
                w.uint32(/* id 2, wireType 2 =*/18).bytes(m.id);
            if (m.run != null && $Object.hasOwnProperty.call(m, "run") && m.run.length)
                w.uint32(/* id 3, wireType 2 =*/26).bytes(m.run);
            if (m.volume != null && $Object.hasOwnProperty.call(m, "volume") && m.volume !== "")
                w.uint32(/* id 4, wireType 2 =*/34).string(m.volume);
            if (m.parent != null && $Object.hasOwnProperty.call(m, "parent") && m.parent.length)
                w.uint32(/* id 5, wireType 2 =*/42).bytes(m.parent);
            if (m.size != null && $Object.hasOwnProperty.call(m, "size") && (typeof m.size === "object" ? m.size.low || m.size.high : m.size !== 0))
                w.uint32(/* id 6, wireType 0 =*/48).uint64(m.size);
            if (m.rootLevel != null && $Object.hasOwnProperty.call(m, "rootLevel") && m.rootLevel !== 0)
                w.uint32(/* id 7, wireType 0 =*/56).uint32(m.rootLevel);
            if (m.done != null && $Object.hasOwnProperty.call(m, "done") && (typeof m.done === "object" ? m.done.low || m.done.high : m.done !== 0))
                w.uint32(/* id 8, wireType 0 =*/64).uint64(m.done);
            if (m.nodes != null && m.nodes.length) {
                for (var i = 0; i < m.nodes.length; ++i)
                    $root.snaptier.CheckpointNode.encode(m.nodes[i], w.uint32(/* id 9, wireType 2 =*/74).fork(), q + 1).ldelim();
            }
            if (m.startedMs != null && $Object.hasOwnProperty.call(m, "startedMs") && (typeof m.startedMs === "object" ? m.startedMs.low || m.startedMs.high : m.startedMs !== 0))
                w.uint32(/* id 10, wireType 0 =*/80).int64(m.startedMs);
            if (m.timeMs != null && $Object.hasOwnProperty.call(m, "timeMs") && (typeof m.timeMs === "object" ? m.timeMs.low || m.timeMs.high : m.timeMs !== 0))
                w.uint32(/* id 11, wireType 0 =*/88).int64(m.timeMs);
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Decodes a Checkpoint message from the specified reader or buffer.
         * @function decode
         * @memberof snaptier.Checkpoint
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {snaptier.Checkpoint & snaptier.Checkpoint.$Shape} Checkpoint
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        Checkpoint.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.snaptier.Checkpoint();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.version = v;
                        else
                            delete m.version;
                        continue;
                    }
                case 2: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.id = v;
                        else
                            delete m.id;
                        continue;
                    }
                case 3: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.run = v;
                        else
                            delete m.run;
                        continue;
                    }
                case 4: {
                        if (u !== 2)
                            break;
                        if ((v = r.stringVerify()).length)
                            m.volume = v;
                        else
                            delete m.volume;
                        continue;
                    }
                case 5: {
                        if (u !== 2)
                            break;
                        if ((v = r.bytes()).length)
                            m.parent = v;
                        else
                            delete m.parent;
                        continue;
                    }
                case 6: {
                        if (u !== 0)
                            break;
                        if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                            m.size = v;
                        else
                            delete m.size;
                        continue;
                    }
                case 7: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.rootLevel = v;
                        else
                            delete m.rootLevel;
                        continue;
                    }
                case 8: {
                        if (u !== 0)
                            break;
                        if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                            m.done = v;
                        else
                            delete m.done;
                        continue;
                    }
                case 9: {
                        if (u !== 2)
                            break;
                        if (!(m.nodes && m.nodes.length))
                            m.nodes = [];
                        m.nodes.push($root.snaptier.CheckpointNode.decode(r, r.size(), $undefined, q + 1));
                        continue;
                    }
                case 10: {
                        if (u !== 0)
                            break;
                        if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                            m.startedMs = v;
                        else
                            delete m.startedMs;
                        continue;
                    }
                case 11: {
                        if (u !== 0)
                            break;
                        if (typeof (v = r.int64()) === "object" ? v.low || v.high : v !== 0)
                            m.timeMs = v;
                        else
                            delete m.timeMs;
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Gets the type url for Checkpoint
         * @function getTypeUrl
         * @memberof snaptier.Checkpoint
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        Checkpoint.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/snaptier.Checkpoint";
        };

        return Checkpoint;
    })();

    snaptier.CheckpointNode = (function() {

        /**
         * Properties of a CheckpointNode.
         * @typedef {Object} snaptier.CheckpointNode.$Properties
         * @property {number|null} [level] CheckpointNode level
         * @property {number|null} [index] CheckpointNode index
         * @property {snaptier.NodeRef.$Properties|null} [ref] CheckpointNode ref
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a CheckpointNode.
         * @memberof snaptier
         * @interface ICheckpointNode
         * @augments snaptier.CheckpointNode.$Properties
         * @deprecated Use snaptier.CheckpointNode.$Properties instead.
         */

        /**
         * Shape of a CheckpointNode.
         * @typedef {snaptier.CheckpointNode.$Properties} snaptier.CheckpointNode.$Shape
         */

        /**
         * Constructs a new CheckpointNode.
         * @memberof snaptier
         * @classdesc Represents a CheckpointNode.
         * @constructor
         * @param {snaptier.CheckpointNode.$Properties=} [p] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const CheckpointNode = function (p) {
            if (p)
                for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                    if (p[ks[i]] != null && ks[i] !== "__proto__")
                        this[ks[i]] = p[ks[i]];
        };

        /**
         * CheckpointNode level.
         * @member {number} level
         * @memberof snaptier.CheckpointNode
         * @instance
         */
        CheckpointNode.prototype.level = 0;

        /**
         * CheckpointNode index.
         * @member {number} index
         * @memberof snaptier.CheckpointNode
         * @instance
         */
        CheckpointNode.prototype.index = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * CheckpointNode ref.
         * @member {snaptier.NodeRef.$Properties|null|undefined} ref
         * @memberof snaptier.CheckpointNode
         * @instance
         */
        CheckpointNode.prototype.ref = null;

        /**
         * Creates a new CheckpointNode instance using the specified properties.
         * @function create
         * @memberof snaptier.CheckpointNode
         * @static
         * @param {snaptier.CheckpointNode.$Properties=} [properties] Properties to set
         * @returns {snaptier.CheckpointNode} CheckpointNode instance
         * @type {{
         *   (properties: snaptier.CheckpointNode.$Shape): snaptier.CheckpointNode & snaptier.CheckpointNode.$Shape;
         *   (properties?: snaptier.CheckpointNode.$Properties): snaptier.CheckpointNode;
         * }}
         */
        CheckpointNode.create = function(properties) {
            return new CheckpointNode(properties);
        };

        /**
         * Encodes the specified CheckpointNode message. Does not implicitly {@link snaptier.CheckpointNode.verify|verify} messages.
         * @function encode
         * @memberof snaptier.CheckpointNode
         * @static
         * @param {snaptier.CheckpointNode.$Properties} m CheckpointNode message or plain object to encode
         * @param {$protobuf.Writer} [w] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        CheckpointNode.encode = function (m, w, q) {
            if (!w)
                w = $Writer.create();
            if (q === $undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (m.level != null && $Object.hasOwnProperty.call(m, "level") && m.level !== 0)
                w.uint32(/* id 1, wireType 0 =*/8).uint32(m.level);
            if (m.index != null && $Object.hasOwnProperty.call(m, "index") && (typeof m.index === "object" ? m.index.low || m.index.high : m.index !== 0))
                w.uint32(/* id 2, wireType 0 =*/16).uint64(m.index);
            if (m.ref != null && $Object.hasOwnProperty.call(m, "ref"))
                $root.snaptier.NodeRef.encode(m.ref, w.uint32(/* id 3, wireType 2 =*/26).fork(), q + 1).ldelim();
            if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                for (var i = 0; i < m.$unknowns.length; ++i)
                    w.raw(m.$unknowns[i]);
            return w;
        };

        /**
         * Decodes a CheckpointNode message from the specified reader or buffer.
         * @function decode
         * @memberof snaptier.CheckpointNode
         * @static
         * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
         * @param {number} [l] Message length if known beforehand
         * @returns {snaptier.CheckpointNode & snaptier.CheckpointNode.$Shape} CheckpointNode
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        CheckpointNode.decode = function (r, l, z, q, g) {
            if (!(r instanceof $Reader))
                r = $Reader.create(r);
            if (q === $undefined)
                q = 0;
            if (q > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            var c, m, v;
            if (l === $undefined)
                c = r.len;
            else {
                c = r.pos + l;
                if (c > r.len)
                    throw $RangeError("index out of range");
                l = r.len;
                r.len = c;
            }
            m = g || new $root.snaptier.CheckpointNode();
            while (r.pos < c) {
                var s = r.pos;
                var t = r.tag();
                if (t === z) {
                    z = $undefined;
                    break;
                }
                var u = t & 7;
                switch (t >>>= 3) {
                case 1: {
                        if (u !== 0)
                            break;
                        if (v = r.uint32())
                            m.level = v;
                        else
                            delete m.level;
                        continue;
                    }
                case 2: {
                        if (u !== 0)
                            break;
                        if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                            m.index = v;
                        else
                            delete m.index;
                        continue;
                    }
                case 3: {
                        if (u !== 2)
                            break;
                        m.ref = $root.snaptier.NodeRef.decode(r, r.size(), $undefined, q + 1, m.ref);
                        continue;
                    }
                }
                r.skipType(u, q, t);
                if (!r.discardUnknown) {
                    $util.makeProp(m, "$unknowns", false);
                    (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                }
            }
            if (l !== $undefined) {
                if (r.pos !== c)
                    throw $RangeError("index out of range");
                r.len = l;
            }
            if (z !== $undefined)
                throw $Error("missing end group");
            return m;
        };

        /**
         * Gets the type url for CheckpointNode
         * @function getTypeUrl
         * @memberof snaptier.CheckpointNode
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        CheckpointNode.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/snaptier.CheckpointNode";
        };

        return CheckpointNode;
    })();

    return snaptier;
})();

export {
  $root as default
};
