// The NBD server in process, spoken to with raw messages: the handshake's options and errors,
// simple and structured replies, block status, refused writes, an unprovable read as EIO, and
// a client that vanishes mid-request without taking the server down.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntegrityError, UsageError } from '../../src/errors.js';
import type { AllocationExtent, BlockExport } from '../../src/nbd/export.js';
import { Cmd, CmdFlag, Errno, Info, Opt, Rep, ReplyType, TFlag, decodeRequest, encodeRequest } from '../../src/nbd/protocol.js';
import { NbdServer, parseListen } from '../../src/nbd/server.js';
import { tempDir } from '../helpers/cli.js';
import { MiniClient, metaData, nameData } from './mini-client.js';

const SIZE = 1 << 20;
const DAMAGED = { from: 512 << 10, to: 520 << 10 };

/** An export over a buffer: the second 256 KiB is a hole, one range "cannot be proven". */
class MemExport implements BlockExport {
  readonly name = 'vol@0123456789abcdef';
  readonly description = 'test volume';
  readonly size = SIZE;
  readonly writable = false;
  readonly data = Buffer.alloc(SIZE);
  constructor() {
    for (let i = 0; i < SIZE; i++) this.data[i] = i < 256 << 10 || i >= 512 << 10 ? (i * 7) & 255 : 0;
  }
  async read(offset: number, length: number): Promise<Buffer> {
    if (offset < DAMAGED.to && offset + length > DAMAGED.from)
      throw new IntegrityError(`cannot prove bytes ${DAMAGED.from}-${DAMAGED.to - 1}`);
    return Buffer.from(this.data.subarray(offset, offset + length));
  }
  async allocation(offset: number, length: number): Promise<AllocationExtent[]> {
    const ext = [
      { offset: 0, length: 256 << 10, hole: false },
      { offset: 256 << 10, length: 256 << 10, hole: true },
      { offset: 512 << 10, length: 512 << 10, hole: false },
    ];
    return ext
      .map((e) => ({ ...e, offset: Math.max(e.offset, offset), end: Math.min(e.offset + e.length, offset + length) }))
      .filter((e) => e.end > e.offset)
      .map((e) => ({ offset: e.offset, length: e.end - e.offset, hole: e.hole }));
  }
  write = () => Promise.reject(new Error('read-only'));
  trim = () => Promise.reject(new Error('read-only'));
  writeZeroes = () => Promise.reject(new Error('read-only'));
  flush = async () => {};
}

let tmp: { path: string; cleanup: () => Promise<void> };
let server: NbdServer;
let socket: string;
const exp = new MemExport();
const logs: string[] = [];

beforeAll(async () => {
  tmp = await tempDir('snaptier-nbd-proto-');
  socket = join(tmp.path, 'nbd.sock');
  server = await NbdServer.listen(`unix:${socket}`, [exp], { onLog: (l) => logs.push(l) });
});

afterAll(async () => {
  await server?.close();
  await tmp?.cleanup();
});

/** Greets, asks for structured replies (optionally) and base:allocation, and GOes to `name`. */
async function open(name = '', structured = true): Promise<MiniClient> {
  const c = await MiniClient.connect(socket);
  await c.greet();
  if (structured) {
    c.sendOption(Opt.STRUCTURED_REPLY);
    expect((await c.optionReplies()).map((r) => r.type)).toEqual([Rep.ACK]);
    c.sendOption(Opt.SET_META_CONTEXT, metaData(name, ['base:allocation']));
    const meta = await c.optionReplies();
    expect(meta.map((r) => r.type)).toEqual([Rep.META_CONTEXT, Rep.ACK]);
  }
  c.sendOption(Opt.GO, nameData(name, [Info.BLOCK_SIZE]));
  const replies = await c.optionReplies();
  expect(replies[replies.length - 1]!.type).toBe(Rep.ACK);
  return c;
}

describe('codecs', () => {
  it('round-trips a request', () => {
    const r = { flags: CmdFlag.FUA, type: Cmd.WRITE, handle: Buffer.from('0102030405060708', 'hex'), offset: 2 ** 40 + 3, length: 65536 };
    expect(decodeRequest(encodeRequest(r))).toEqual(r);
  });

  it('parses listen addresses and refuses nonsense', () => {
    expect(parseListen('unix:/tmp/x.sock')).toEqual({ kind: 'unix', path: '/tmp/x.sock' });
    expect(parseListen('127.0.0.1:10809')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 10809 });
    expect(parseListen('[::1]:0')).toEqual({ kind: 'tcp', host: '::1', port: 0 });
    expect(() => parseListen('localhost')).toThrow(/HOST:PORT/);
  });
});

describe('handshake', () => {
  it('greets with fixed newstyle and lists the export', async () => {
    const c = await MiniClient.connect(socket);
    const g = await c.greet();
    expect(g).toEqual({ magic: 0x4e42444d41474943n, opt: 0x49484156454f5054n, flags: 3 });
    c.sendOption(Opt.LIST);
    const list = await c.optionReplies();
    expect(list.map((r) => r.type)).toEqual([Rep.SERVER, Rep.ACK]);
    expect(list[0]!.data.subarray(4).toString()).toBe(exp.name);
    c.sendOption(Opt.ABORT);
    expect((await c.optionReply()).type).toBe(Rep.ACK);
    c.close();
  });

  it('answers INFO with size, flags and block sizes, and refuses unknown names and options', async () => {
    const c = await MiniClient.connect(socket);
    await c.greet();
    c.sendOption(Opt.INFO, nameData('vol@01234567', [Info.NAME, Info.BLOCK_SIZE]));
    const info = await c.optionReplies();
    expect(info.map((r) => r.type)).toEqual([Rep.INFO, Rep.INFO, Rep.INFO, Rep.ACK]);
    const ex = info[0]!.data;
    expect(ex.readUInt16BE(0)).toBe(Info.EXPORT);
    expect(Number(ex.readBigUInt64BE(2))).toBe(SIZE);
    expect(ex.readUInt16BE(10) & TFlag.READ_ONLY).toBe(TFlag.READ_ONLY);
    expect(info[1]!.data.subarray(2).toString()).toBe(exp.name);
    expect([info[2]!.data.readUInt32BE(2), info[2]!.data.readUInt32BE(6)]).toEqual([1, 4096]);

    c.sendOption(Opt.INFO, nameData('other@0123456789'));
    expect((await c.optionReplies()).map((r) => r.type)).toEqual([Rep.ERR_UNKNOWN]);
    c.sendOption(Opt.STARTTLS);
    expect((await c.optionReplies()).map((r) => r.type)).toEqual([Rep.ERR_UNSUP]);
    c.sendOption(Opt.SET_META_CONTEXT, metaData('', ['base:allocation']));
    expect(
      (await c.optionReplies()).map((r) => r.type),
      'meta contexts need structured replies',
    ).toEqual([Rep.ERR_INVALID]);
    c.sendOption(Opt.GO, Buffer.from([0, 0]));
    expect(
      (await c.optionReplies()).map((r) => r.type),
      'truncated GO data',
    ).toEqual([Rep.ERR_INVALID]);
    c.close();
  });

  it('enters transmission with NBD_OPT_EXPORT_NAME and answers with simple replies', async () => {
    const c = await MiniClient.connect(socket);
    await c.greet(3);
    c.sendOption(Opt.EXPORT_NAME, Buffer.from(''));
    const r = await c.wire.read(10);
    expect(Number(r.readBigUInt64BE(0))).toBe(SIZE);
    c.request(Cmd.READ, 4096, 8192, 42);
    const rep = await c.simpleReply(8192);
    expect(rep.error).toBe(0);
    expect(rep.handle).toBe(42);
    expect(rep.data.equals(exp.data.subarray(4096, 4096 + 8192))).toBe(true);
    c.request(Cmd.READ, DAMAGED.from, 4096, 43);
    expect(await c.simpleReply(4096)).toMatchObject({ error: Errno.EIO, handle: 43 });
    c.request(Cmd.DISC, 0, 0, 44);
    c.close();
  });
});

describe('transmission', () => {
  it('reads with structured replies and proves nothing it cannot: EIO for the damaged range only', async () => {
    const c = await open('vol@0123456789abcdef');
    c.request(Cmd.READ, 0, 65536, 1);
    const ok = await c.structuredChunk();
    expect(ok).toMatchObject({ type: ReplyType.OFFSET_DATA, handle: 1, flags: 1 });
    expect(Number(ok.payload.readBigUInt64BE(0))).toBe(0);
    expect(ok.payload.subarray(8).equals(exp.data.subarray(0, 65536))).toBe(true);

    c.request(Cmd.READ, DAMAGED.from - 4096, 8192, 2);
    const bad = await c.structuredChunk();
    expect(bad).toMatchObject({ type: ReplyType.ERROR, handle: 2, flags: 1 });
    expect(bad.payload.readUInt32BE(0)).toBe(Errno.EIO);
    expect(bad.payload.subarray(6).toString()).toMatch(/cannot prove bytes/);

    // The connection goes on: the next read is served.
    c.request(Cmd.READ, DAMAGED.to, 4096, 3);
    const after = await c.structuredChunk();
    expect(after.payload.subarray(8).equals(exp.data.subarray(DAMAGED.to, DAMAGED.to + 4096))).toBe(true);
    c.close();
  });

  it('reports holes with base:allocation, and one extent with REQ_ONE', async () => {
    const c = await open();
    c.request(Cmd.BLOCK_STATUS, 128 << 10, 512 << 10, 5);
    const st = await c.structuredChunk();
    expect(st).toMatchObject({ type: ReplyType.BLOCK_STATUS, flags: 1, handle: 5 });
    expect(st.payload.readUInt32BE(0)).toBe(1);
    const pairs = [];
    for (let o = 4; o < st.payload.length; o += 8) pairs.push([st.payload.readUInt32BE(o), st.payload.readUInt32BE(o + 4)]);
    expect(pairs).toEqual([
      [128 << 10, 0],
      [256 << 10, 3],
      [128 << 10, 0],
    ]);
    c.request(Cmd.BLOCK_STATUS, 0, SIZE, 6, CmdFlag.REQ_ONE);
    expect((await c.structuredChunk()).payload.length).toBe(4 + 8);
    c.close();
  });

  it('refuses writes to a read-only export and reads past the end', async () => {
    const c = await open();
    c.request(Cmd.WRITE, 0, 4, 7, 0, Buffer.from('abcd'));
    const refused = await c.structuredChunk();
    expect(refused).toMatchObject({ type: ReplyType.ERROR, handle: 7 });
    expect(refused.payload.readUInt32BE(0)).toBe(Errno.EPERM);
    c.request(Cmd.READ, SIZE - 10, 20, 8);
    const past = await c.structuredChunk();
    expect(past.payload.readUInt32BE(0)).toBe(Errno.EINVAL);
    c.request(Cmd.FLUSH, 0, 0, 9);
    expect(await c.simpleReply()).toMatchObject({ error: 0, handle: 9 });
    c.close();
  });

  it('keeps serving after a client vanishes mid-request and serves several clients at once', async () => {
    const gone = await open();
    gone.request(Cmd.READ, 0, 1 << 20, 10);
    gone.close();
    const clients = await Promise.all([open(), open(), open()]);
    for (const [i, c] of clients.entries()) c.request(Cmd.READ, i * 4096, 4096, 100 + i);
    for (const [i, c] of clients.entries()) {
      const r = await c.structuredChunk();
      expect(r.handle).toBe(100 + i);
      expect(r.payload.subarray(8).equals(exp.data.subarray(i * 4096, (i + 1) * 4096))).toBe(true);
      c.close();
    }
    expect(server.stats.connections).toBeGreaterThanOrEqual(4);
  });
});

describe('listener', () => {
  it('refuses a socket another server answers on, and replaces one left by a server that died', async () => {
    await expect(NbdServer.listen(`unix:${socket}`, [exp])).rejects.toThrow(UsageError);
    const left = join(tmp.path, 'left.sock');
    // A socket file with nobody behind it: what a server killed with SIGKILL leaves.
    const child = spawn(process.execPath, ['-e', "require('net').createServer().listen(process.argv[1], () => console.log('up'))", left], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise((resolve) => child.stdout!.once('data', resolve));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('close', resolve));
    expect(existsSync(left)).toBe(true);
    const s = await NbdServer.listen(`unix:${left}`, [exp]);
    const c = await MiniClient.connect(left);
    expect((await c.greet()).flags).toBe(3);
    c.close();
    await s.close();
  });
});
