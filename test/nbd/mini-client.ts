// A minimal NBD client for the in-process protocol tests: raw messages, so the tests can send
// what real clients send and also what they should not. Real clients (nbdinfo, nbdcopy, qemu)
// are used by the end-to-end tests.
import { type Socket, connect } from 'node:net';
import { Wire } from '../../src/nbd/wire.js';

export const IHAVEOPT = 0x49484156454f5054n;

export class MiniClient {
  private constructor(
    readonly socket: Socket,
    readonly wire: Wire,
  ) {}

  static async connect(path: string): Promise<MiniClient> {
    const socket = connect(path);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new MiniClient(socket, new Wire(socket));
  }

  /** Reads the greeting and sends the client flags; returns the handshake flags. */
  async greet(clientFlags = 3): Promise<{ magic: bigint; opt: bigint; flags: number }> {
    const g = await this.wire.read(18);
    const f = Buffer.alloc(4);
    f.writeUInt32BE(clientFlags);
    this.socket.write(f);
    return { magic: g.readBigUInt64BE(0), opt: g.readBigUInt64BE(8), flags: g.readUInt16BE(16) };
  }

  sendOption(option: number, data: Buffer = Buffer.alloc(0)): void {
    const h = Buffer.alloc(16);
    h.writeBigUInt64BE(IHAVEOPT, 0);
    h.writeUInt32BE(option, 8);
    h.writeUInt32BE(data.length, 12);
    this.socket.write(Buffer.concat([h, data]));
  }

  async optionReply(): Promise<{ option: number; type: number; data: Buffer }> {
    const h = await this.wire.read(20);
    const length = h.readUInt32BE(16);
    return { option: h.readUInt32BE(8), type: h.readUInt32BE(12), data: length ? await this.wire.read(length) : Buffer.alloc(0) };
  }

  /** Option replies up to and including the final one (ACK or an error). */
  async optionReplies(): Promise<Array<{ option: number; type: number; data: Buffer }>> {
    const out = [];
    for (;;) {
      const r = await this.optionReply();
      out.push(r);
      if (r.type === 1 || r.type >= 0x80000000) return out;
    }
  }

  request(type: number, offset: number, length: number, handle: number, flags = 0, payload?: Buffer): void {
    const b = Buffer.alloc(28);
    b.writeUInt32BE(0x25609513, 0);
    b.writeUInt16BE(flags, 4);
    b.writeUInt16BE(type, 6);
    b.writeBigUInt64BE(BigInt(handle), 8);
    b.writeBigUInt64BE(BigInt(offset), 16);
    b.writeUInt32BE(length, 24);
    this.socket.write(payload ? Buffer.concat([b, payload]) : b);
  }

  async simpleReply(dataLength = 0): Promise<{ error: number; handle: number; data: Buffer }> {
    const h = await this.wire.read(16);
    if (h.readUInt32BE(0) !== 0x67446698) throw new Error(`not a simple reply: 0x${h.readUInt32BE(0).toString(16)}`);
    const error = h.readUInt32BE(4);
    return {
      error,
      handle: Number(h.readBigUInt64BE(8)),
      data: error === 0 && dataLength ? await this.wire.read(dataLength) : Buffer.alloc(0),
    };
  }

  async structuredChunk(): Promise<{ flags: number; type: number; handle: number; payload: Buffer }> {
    const h = await this.wire.read(20);
    if (h.readUInt32BE(0) !== 0x668e33ef) throw new Error(`not a structured reply: 0x${h.readUInt32BE(0).toString(16)}`);
    const length = h.readUInt32BE(16);
    return {
      flags: h.readUInt16BE(4),
      type: h.readUInt16BE(6),
      handle: Number(h.readBigUInt64BE(8)),
      payload: length ? await this.wire.read(length) : Buffer.alloc(0),
    };
  }

  close(): void {
    this.socket.destroy();
  }
}

export function nameData(name: string, infos: number[] = []): Buffer {
  const n = Buffer.from(name);
  const b = Buffer.alloc(4 + n.length + 2 + 2 * infos.length);
  b.writeUInt32BE(n.length, 0);
  n.copy(b, 4);
  b.writeUInt16BE(infos.length, 4 + n.length);
  for (const [i, t] of infos.entries()) b.writeUInt16BE(t, 6 + n.length + 2 * i);
  return b;
}

export function metaData(name: string, queries: string[]): Buffer {
  const parts = [Buffer.alloc(4), Buffer.from(name), Buffer.alloc(4)];
  parts[0]!.writeUInt32BE(Buffer.byteLength(name));
  parts[2]!.writeUInt32BE(queries.length);
  for (const q of queries) {
    const l = Buffer.alloc(4);
    l.writeUInt32BE(Buffer.byteLength(q));
    parts.push(l, Buffer.from(q));
  }
  return Buffer.concat(parts);
}
