// One client connection after the handshake: requests are read in order and answered as they
// complete (the protocol allows replies out of order), at most IN_FLIGHT at once per connection.
// A request whose bytes cannot be proven gets EIO; the connection and the server carry on.
// Memory per connection: the payloads of the requests in flight, <= IN_FLIGHT_BYTES plus one
// request (MAX_PAYLOAD), whatever the client sends.
import { UsageError } from '../errors.js';
import { type BlockExport, ReadOnlyExportError, newCursor } from './export.js';
import { ALLOCATION_CONTEXT_ID, type Negotiated } from './handshake.js';
import {
  Cmd,
  CmdFlag,
  Errno,
  MAX_PAYLOAD,
  ProtocolError,
  REQUEST_BYTES,
  ReplyFlag,
  type Request,
  State,
  blockStatusReply,
  decodeRequest,
  offsetDataHeader,
  simpleReply,
  structuredError,
} from './protocol.js';
import type { Wire } from './wire.js';

const IN_FLIGHT = 16;
/** Bytes of READ and WRITE payloads in flight per connection before the next request waits. */
const IN_FLIGHT_BYTES = 64 << 20;

export interface ServeStats {
  connections: number;
  requests: number;
  reads: number;
  bytesServed: number;
  writes: number;
  bytesWritten: number;
  /** Requests answered with an error (unprovable bytes: EIO). */
  errors: number;
  /** When the first READ was answered (clock ms), for time to first byte; null before. */
  firstReadAt: number | null;
}

export function newStats(): ServeStats {
  return { connections: 0, requests: 0, reads: 0, bytesServed: 0, writes: 0, bytesWritten: 0, errors: 0, firstReadAt: null };
}

/** Raised by a request handler to answer with this errno and message. */
class Refusal extends Error {
  constructor(
    readonly errno: number,
    message: string,
  ) {
    super(message);
  }
}

export class Session {
  private readonly cursor = newCursor();
  private readonly exp: BlockExport;

  constructor(
    private readonly wire: Wire,
    private readonly negotiated: Negotiated,
    private readonly stats: ServeStats,
    /** Told about every request that failed, with why. */
    private readonly onError: (message: string) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {
    this.exp = negotiated.export;
  }

  /** Serves requests until NBD_CMD_DISC or the connection ends. */
  async run(): Promise<void> {
    const pending = new Set<Promise<void>>();
    let bytes = 0;
    try {
      for (;;) {
        const req = decodeRequest(await this.wire.read(REQUEST_BYTES));
        let payload: Buffer | null = null;
        if (req.type === Cmd.WRITE) {
          if (req.length > MAX_PAYLOAD) throw new ProtocolError(`write of ${req.length} bytes exceeds the maximum payload`);
          payload = await this.wire.read(req.length);
        }
        if (req.type === Cmd.DISC) break;
        this.stats.requests++;
        const cost = req.type === Cmd.READ || req.type === Cmd.WRITE ? req.length : 0;
        bytes += cost;
        const p = this.handle(req, payload).finally(() => {
          pending.delete(p);
          bytes -= cost;
        });
        pending.add(p);
        while (pending.size >= IN_FLIGHT || (pending.size > 0 && bytes > IN_FLIGHT_BYTES)) await Promise.race(pending);
      }
    } finally {
      await Promise.allSettled(pending);
    }
  }

  private async handle(req: Request, payload: Buffer | null): Promise<void> {
    try {
      await this.answer(req, payload);
    } catch (err) {
      this.stats.errors++;
      const errno =
        err instanceof Refusal
          ? err.errno
          : err instanceof ReadOnlyExportError
            ? Errno.EPERM
            : err instanceof UsageError
              ? Errno.EINVAL
              : Errno.EIO;
      const message = err instanceof Error ? err.message : String(err);
      if (!(err instanceof Refusal)) this.onError(`${commandName(req.type)} ${req.offset}+${req.length}: ${message}`);
      const reply = this.negotiated.structured ? structuredError(req.handle, errno, message) : simpleReply(req.handle, errno);
      await this.wire.send(reply);
    }
  }

  private async answer(req: Request, payload: Buffer | null): Promise<void> {
    const e = this.exp;
    const { offset, length } = req;
    const inside = offset + length <= e.size;
    switch (req.type) {
      case Cmd.READ: {
        if (length > MAX_PAYLOAD) throw new Refusal(Errno.EINVAL, `read of ${length} bytes exceeds the maximum payload`);
        if (!inside) throw new Refusal(Errno.EINVAL, `read ${offset}+${length} lies beyond the end (${e.size} bytes)`);
        const data = await e.read(offset, length, this.cursor);
        this.stats.reads++;
        this.stats.bytesServed += data.length;
        if (this.negotiated.structured) await this.wire.send(offsetDataHeader(req.handle, ReplyFlag.DONE, offset, data.length), data);
        else await this.wire.send(simpleReply(req.handle, 0), data);
        this.stats.firstReadAt ??= this.now();
        return;
      }
      case Cmd.WRITE:
      case Cmd.TRIM:
      case Cmd.WRITE_ZEROES: {
        if (!e.writable) throw new Refusal(Errno.EPERM, 'the export is read-only');
        if (!inside) throw new Refusal(Errno.ENOSPC, `${commandName(req.type)} ${offset}+${length} lies beyond the end (${e.size} bytes)`);
        if (req.type === Cmd.WRITE) await e.write(offset, payload!);
        else if (req.type === Cmd.TRIM) await e.trim(offset, length);
        else await e.writeZeroes(offset, length);
        if (req.flags & CmdFlag.FUA) await e.flush();
        this.stats.writes++;
        this.stats.bytesWritten += length;
        await this.wire.send(simpleReply(req.handle, 0));
        return;
      }
      case Cmd.FLUSH:
        await e.flush();
        await this.wire.send(simpleReply(req.handle, 0));
        return;
      case Cmd.BLOCK_STATUS: {
        if (!this.negotiated.allocation) throw new Refusal(Errno.EINVAL, 'no meta context was selected');
        if (length === 0 || !inside) throw new Refusal(Errno.EINVAL, `block status ${offset}+${length} is empty or lies beyond the end`);
        let extents = (await e.allocation(offset, length)).map((x) => ({ length: x.length, flags: x.hole ? State.HOLE | State.ZERO : 0 }));
        if (req.flags & CmdFlag.REQ_ONE) extents = extents.slice(0, 1);
        await this.wire.send(blockStatusReply(req.handle, ReplyFlag.DONE, ALLOCATION_CONTEXT_ID, extents));
        return;
      }
      default:
        throw new Refusal(Errno.EINVAL, `command ${req.type} is not supported`);
    }
  }
}

function commandName(type: number): string {
  return Object.entries(Cmd).find(([, v]) => v === type)?.[0] ?? `command ${type}`;
}
