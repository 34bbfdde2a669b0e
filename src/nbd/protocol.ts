// The NBD wire protocol (NetworkBlockDevice/nbd doc/proto.md): the numbers, and the encoders and
// decoders of every message this server sends or receives. Pure; the handshake and the session
// use it. Only fixed newstyle negotiation is spoken, without TLS and extended headers.

export const NBDMAGIC = 0x4e42444d41474943n;
export const IHAVEOPT = 0x49484156454f5054n;
export const OPTION_REPLY_MAGIC = 0x3e889045565a9n;
export const REQUEST_MAGIC = 0x25609513;
export const SIMPLE_REPLY_MAGIC = 0x67446698;
export const STRUCTURED_REPLY_MAGIC = 0x668e33ef;

/** Handshake flags (server) and client flags. */
export const FLAG_FIXED_NEWSTYLE = 1;
export const FLAG_NO_ZEROES = 2;
export const FLAG_C_FIXED_NEWSTYLE = 1;
export const FLAG_C_NO_ZEROES = 2;

export const Opt = {
  EXPORT_NAME: 1,
  ABORT: 2,
  LIST: 3,
  STARTTLS: 5,
  INFO: 6,
  GO: 7,
  STRUCTURED_REPLY: 8,
  LIST_META_CONTEXT: 9,
  SET_META_CONTEXT: 10,
  EXTENDED_HEADERS: 11,
} as const;

const ERR = 0x80000000;
export const Rep = {
  ACK: 1,
  SERVER: 2,
  INFO: 3,
  META_CONTEXT: 4,
  ERR_UNSUP: ERR + 1,
  ERR_POLICY: ERR + 2,
  ERR_INVALID: ERR + 3,
  ERR_PLATFORM: ERR + 4,
  ERR_TLS_REQD: ERR + 5,
  ERR_UNKNOWN: ERR + 6,
  ERR_SHUTDOWN: ERR + 7,
  ERR_BLOCK_SIZE_REQD: ERR + 8,
  ERR_TOO_BIG: ERR + 9,
} as const;

export const Info = { EXPORT: 0, NAME: 1, DESCRIPTION: 2, BLOCK_SIZE: 3 } as const;

/** Transmission flags. */
export const TFlag = {
  HAS_FLAGS: 1 << 0,
  READ_ONLY: 1 << 1,
  SEND_FLUSH: 1 << 2,
  SEND_FUA: 1 << 3,
  SEND_TRIM: 1 << 5,
  SEND_WRITE_ZEROES: 1 << 6,
  SEND_DF: 1 << 7,
  CAN_MULTI_CONN: 1 << 8,
} as const;

export const Cmd = { READ: 0, WRITE: 1, DISC: 2, FLUSH: 3, TRIM: 4, CACHE: 5, WRITE_ZEROES: 6, BLOCK_STATUS: 7 } as const;
export const CmdFlag = { FUA: 1, NO_HOLE: 2, DF: 4, REQ_ONE: 8, FAST_ZERO: 16 } as const;

export const ReplyFlag = { DONE: 1 } as const;
export const ReplyType = {
  NONE: 0,
  OFFSET_DATA: 1,
  OFFSET_HOLE: 2,
  BLOCK_STATUS: 5,
  ERROR: (1 << 15) + 1,
  ERROR_OFFSET: (1 << 15) + 2,
} as const;

/** base:allocation states. */
export const State = { HOLE: 1, ZERO: 2 } as const;
export const BASE_ALLOCATION = 'base:allocation';

/** errno values as the protocol defines them (not the host's). */
export const Errno = { EPERM: 1, EIO: 5, ENOMEM: 12, EINVAL: 22, ENOSPC: 28, EOVERFLOW: 75, ENOTSUP: 95, ESHUTDOWN: 108 } as const;

/** Largest READ/WRITE payload accepted; advertised as the maximum block size. */
export const MAX_PAYLOAD = 32 << 20;
export const PREFERRED_BLOCK = 4096;
/** Longest option payload accepted during the handshake (names are at most 4 KiB). */
export const MAX_OPTION_LENGTH = 64 << 10;

export function serverGreeting(): Buffer {
  const b = Buffer.alloc(18);
  b.writeBigUInt64BE(NBDMAGIC, 0);
  b.writeBigUInt64BE(IHAVEOPT, 8);
  b.writeUInt16BE(FLAG_FIXED_NEWSTYLE | FLAG_NO_ZEROES, 16);
  return b;
}

export function optionReply(option: number, type: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(20 + data.length);
  b.writeBigUInt64BE(OPTION_REPLY_MAGIC, 0);
  b.writeUInt32BE(option, 8);
  b.writeUInt32BE(type, 12);
  b.writeUInt32BE(data.length, 16);
  data.copy(b, 20);
  return b;
}

/** An error reply with a message (the protocol allows a UTF-8 string as its data). */
export function optionError(option: number, type: number, message: string): Buffer {
  return optionReply(option, type, Buffer.from(message.slice(0, 1024), 'utf8'));
}

export function serverReplyData(name: string): Buffer {
  const n = Buffer.from(name, 'utf8');
  const b = Buffer.alloc(4 + n.length);
  b.writeUInt32BE(n.length, 0);
  n.copy(b, 4);
  return b;
}

export function infoExport(size: number, flags: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(Info.EXPORT, 0);
  b.writeBigUInt64BE(BigInt(size), 2);
  b.writeUInt16BE(flags, 10);
  return b;
}

export function infoBlockSize(min: number, preferred: number, max: number): Buffer {
  const b = Buffer.alloc(14);
  b.writeUInt16BE(Info.BLOCK_SIZE, 0);
  b.writeUInt32BE(min, 2);
  b.writeUInt32BE(preferred, 6);
  b.writeUInt32BE(max, 10);
  return b;
}

export function infoString(type: number, text: string): Buffer {
  const t = Buffer.from(text, 'utf8');
  const b = Buffer.alloc(2 + t.length);
  b.writeUInt16BE(type, 0);
  t.copy(b, 2);
  return b;
}

export function metaContextReply(id: number, name: string): Buffer {
  const n = Buffer.from(name, 'utf8');
  const b = Buffer.alloc(4 + n.length);
  b.writeUInt32BE(id, 0);
  n.copy(b, 4);
  return b;
}

/** The reply to NBD_OPT_EXPORT_NAME: size, transmission flags and (unless NO_ZEROES) padding. */
export function exportNameReply(size: number, flags: number, noZeroes: boolean): Buffer {
  const b = Buffer.alloc(noZeroes ? 10 : 134);
  b.writeBigUInt64BE(BigInt(size), 0);
  b.writeUInt16BE(flags, 8);
  return b;
}

export class ProtocolError extends Error {}

/** Reads the length-prefixed strings and counts of option payloads, refusing short data. */
export class OptionData {
  private pos = 0;
  constructor(private readonly b: Buffer) {}
  u16(): number {
    this.need(2);
    const v = this.b.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.b.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  string(length: number): string {
    this.need(length);
    const s = this.b.toString('utf8', this.pos, this.pos + length);
    this.pos += length;
    return s;
  }
  get done(): boolean {
    return this.pos === this.b.length;
  }
  private need(n: number): void {
    if (this.pos + n > this.b.length) throw new ProtocolError('option data is shorter than its fields say');
  }
}

/** NBD_OPT_INFO / NBD_OPT_GO data: the export name and the info types requested. */
export function decodeInfoRequest(data: Buffer): { name: string; infos: number[] } {
  const r = new OptionData(data);
  const name = r.string(r.u32());
  const count = r.u16();
  const infos = Array.from({ length: count }, () => r.u16());
  if (!r.done) throw new ProtocolError('option data is longer than its fields say');
  return { name, infos };
}

/** NBD_OPT_LIST_META_CONTEXT / NBD_OPT_SET_META_CONTEXT data: the export name and the queries. */
export function decodeMetaRequest(data: Buffer): { name: string; queries: string[] } {
  const r = new OptionData(data);
  const name = r.string(r.u32());
  const count = r.u32();
  const queries: string[] = [];
  for (let i = 0; i < count; i++) queries.push(r.string(r.u32()));
  if (!r.done) throw new ProtocolError('option data is longer than its fields say');
  return { name, queries };
}

export interface Request {
  flags: number;
  type: number;
  handle: Buffer;
  offset: number;
  length: number;
}

export const REQUEST_BYTES = 28;

export function decodeRequest(b: Buffer): Request {
  if (b.readUInt32BE(0) !== REQUEST_MAGIC) throw new ProtocolError(`bad request magic 0x${b.readUInt32BE(0).toString(16)}`);
  const offset = b.readBigUInt64BE(16);
  if (offset > BigInt(Number.MAX_SAFE_INTEGER)) throw new ProtocolError('request offset beyond 2^53');
  return {
    flags: b.readUInt16BE(4),
    type: b.readUInt16BE(6),
    handle: Buffer.from(b.subarray(8, 16)),
    offset: Number(offset),
    length: b.readUInt32BE(24),
  };
}

export function encodeRequest(r: Request): Buffer {
  const b = Buffer.alloc(REQUEST_BYTES);
  b.writeUInt32BE(REQUEST_MAGIC, 0);
  b.writeUInt16BE(r.flags, 4);
  b.writeUInt16BE(r.type, 6);
  r.handle.copy(b, 8);
  b.writeBigUInt64BE(BigInt(r.offset), 16);
  b.writeUInt32BE(r.length, 24);
  return b;
}

export function simpleReply(handle: Buffer, error: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt32BE(SIMPLE_REPLY_MAGIC, 0);
  b.writeUInt32BE(error, 4);
  handle.copy(b, 8);
  return b;
}

/** The 20-byte header of a structured reply chunk whose payload is `length` bytes. */
export function structuredHeader(handle: Buffer, flags: number, type: number, length: number): Buffer {
  const b = Buffer.alloc(20);
  b.writeUInt32BE(STRUCTURED_REPLY_MAGIC, 0);
  b.writeUInt16BE(flags, 4);
  b.writeUInt16BE(type, 6);
  handle.copy(b, 8);
  b.writeUInt32BE(length, 16);
  return b;
}

/** NBD_REPLY_TYPE_OFFSET_DATA: header and offset; the data follows. */
export function offsetDataHeader(handle: Buffer, flags: number, offset: number, dataLength: number): Buffer {
  const h = structuredHeader(handle, flags, ReplyType.OFFSET_DATA, 8 + dataLength);
  const o = Buffer.alloc(8);
  o.writeBigUInt64BE(BigInt(offset), 0);
  return Buffer.concat([h, o]);
}

export function structuredError(handle: Buffer, error: number, message: string): Buffer {
  const m = Buffer.from(message, 'utf8').subarray(0, 4096);
  const p = Buffer.alloc(6 + m.length);
  p.writeUInt32BE(error, 0);
  p.writeUInt16BE(m.length, 4);
  m.copy(p, 6);
  return Buffer.concat([structuredHeader(handle, ReplyFlag.DONE, ReplyType.ERROR, p.length), p]);
}

export function blockStatusReply(
  handle: Buffer,
  flags: number,
  contextId: number,
  extents: ReadonlyArray<{ length: number; flags: number }>,
): Buffer {
  const p = Buffer.alloc(4 + 8 * extents.length);
  p.writeUInt32BE(contextId, 0);
  extents.forEach((e, i) => {
    p.writeUInt32BE(e.length, 4 + 8 * i);
    p.writeUInt32BE(e.flags, 8 + 8 * i);
  });
  return Buffer.concat([structuredHeader(handle, flags, ReplyType.BLOCK_STATUS, p.length), p]);
}
