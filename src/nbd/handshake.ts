// The fixed newstyle handshake, server side: greet, read the client's flags, then answer options
// until the client picks an export (NBD_OPT_GO or NBD_OPT_EXPORT_NAME) or leaves. Supported:
// EXPORT_NAME, ABORT, LIST, INFO, GO, STRUCTURED_REPLY, LIST/SET_META_CONTEXT (base:allocation);
// anything else is answered NBD_REP_ERR_UNSUP, as the protocol asks.
import type { BlockExport } from './export.js';
import {
  BASE_ALLOCATION,
  FLAG_C_FIXED_NEWSTYLE,
  FLAG_C_NO_ZEROES,
  IHAVEOPT,
  Info,
  MAX_OPTION_LENGTH,
  MAX_PAYLOAD,
  Opt,
  PREFERRED_BLOCK,
  ProtocolError,
  Rep,
  TFlag,
  decodeInfoRequest,
  decodeMetaRequest,
  exportNameReply,
  infoBlockSize,
  infoExport,
  infoString,
  metaContextReply,
  optionError,
  optionReply,
  serverGreeting,
  serverReplyData,
} from './protocol.js';
import type { Wire } from './wire.js';

/** The id this server gives the base:allocation context. */
export const ALLOCATION_CONTEXT_ID = 1;

export interface Negotiated {
  export: BlockExport;
  structured: boolean;
  /** base:allocation was selected with NBD_OPT_SET_META_CONTEXT. */
  allocation: boolean;
}

/**
 * Exports by name: an export answers to its name (`VOLUME@ID`), to `VOLUME@` and a prefix of the
 * id of at least 8 digits, and the first one to "" (the default export).
 */
export function findExport(exports: readonly BlockExport[], name: string): BlockExport | null {
  if (name === '') return exports[0] ?? null;
  const at = name.indexOf('@');
  return exports.find((e) => e.name === name || (at > 0 && name.length >= at + 9 && e.name.startsWith(name))) ?? null;
}

export function transmissionFlags(e: BlockExport): number {
  // Every connection shares one export object and one overlay or target file, so a flush on one
  // connection covers writes completed on any: multi-conn is safe.
  let f = TFlag.HAS_FLAGS | TFlag.SEND_FLUSH | TFlag.CAN_MULTI_CONN;
  if (e.writable) f |= TFlag.SEND_FUA | TFlag.SEND_TRIM | TFlag.SEND_WRITE_ZEROES;
  else f |= TFlag.READ_ONLY;
  return f;
}

/** Runs the handshake; null when the client aborted or left before choosing an export. */
export async function handshake(wire: Wire, exports: readonly BlockExport[]): Promise<Negotiated | null> {
  await wire.send(serverGreeting());
  const clientFlags = (await wire.read(4)).readUInt32BE(0);
  if ((clientFlags & ~(FLAG_C_FIXED_NEWSTYLE | FLAG_C_NO_ZEROES)) !== 0)
    throw new ProtocolError(`unknown client flags 0x${clientFlags.toString(16)}`);
  const noZeroes = (clientFlags & FLAG_C_NO_ZEROES) !== 0;
  let structured = false;
  let allocation = false;

  for (;;) {
    const head = await wire.read(16);
    if (head.readBigUInt64BE(0) !== IHAVEOPT) throw new ProtocolError('bad option magic');
    const option = head.readUInt32BE(8);
    const length = head.readUInt32BE(12);
    if (length > MAX_OPTION_LENGTH) throw new ProtocolError(`option ${option} carries ${length} bytes`);
    const data = length ? await wire.read(length) : Buffer.alloc(0);
    const reply = (type: number, payload?: Buffer) => wire.send(optionReply(option, type, payload));

    switch (option) {
      case Opt.EXPORT_NAME: {
        const e = findExport(exports, data.toString('utf8'));
        // The protocol has no error reply here: an unknown name ends the session.
        if (!e) throw new ProtocolError(`unknown export ${JSON.stringify(data.toString('utf8'))}`);
        await wire.send(exportNameReply(e.size, transmissionFlags(e), noZeroes));
        return { export: e, structured, allocation };
      }
      case Opt.ABORT:
        await reply(Rep.ACK);
        return null;
      case Opt.LIST:
        if (length !== 0) {
          await wire.send(optionError(option, Rep.ERR_INVALID, 'NBD_OPT_LIST takes no data'));
          break;
        }
        for (const e of exports) await reply(Rep.SERVER, serverReplyData(e.name));
        await reply(Rep.ACK);
        break;
      case Opt.STRUCTURED_REPLY:
        if (length !== 0) {
          await wire.send(optionError(option, Rep.ERR_INVALID, 'NBD_OPT_STRUCTURED_REPLY takes no data'));
          break;
        }
        structured = true;
        await reply(Rep.ACK);
        break;
      case Opt.INFO:
      case Opt.GO: {
        let req: { name: string; infos: number[] };
        try {
          req = decodeInfoRequest(data);
        } catch (err) {
          await wire.send(optionError(option, Rep.ERR_INVALID, (err as Error).message));
          break;
        }
        const e = findExport(exports, req.name);
        if (!e) {
          await wire.send(optionError(option, Rep.ERR_UNKNOWN, `no export named ${JSON.stringify(req.name)}`));
          break;
        }
        await reply(Rep.INFO, infoExport(e.size, transmissionFlags(e)));
        if (req.infos.includes(Info.NAME)) await reply(Rep.INFO, infoString(Info.NAME, e.name));
        if (req.infos.includes(Info.DESCRIPTION)) await reply(Rep.INFO, infoString(Info.DESCRIPTION, e.description));
        // Any alignment is accepted; 4 KiB is what the snapshot's blocks are; payloads up to MAX_PAYLOAD.
        await reply(Rep.INFO, infoBlockSize(1, PREFERRED_BLOCK, MAX_PAYLOAD));
        await reply(Rep.ACK);
        if (option === Opt.GO) return { export: e, structured, allocation };
        break;
      }
      case Opt.LIST_META_CONTEXT:
      case Opt.SET_META_CONTEXT: {
        const set = option === Opt.SET_META_CONTEXT;
        if (set && !structured) {
          await wire.send(optionError(option, Rep.ERR_INVALID, 'meta contexts need structured replies first'));
          break;
        }
        let req: { name: string; queries: string[] };
        try {
          req = decodeMetaRequest(data);
        } catch (err) {
          await wire.send(optionError(option, Rep.ERR_INVALID, (err as Error).message));
          break;
        }
        if (!findExport(exports, req.name)) {
          await wire.send(optionError(option, Rep.ERR_UNKNOWN, `no export named ${JSON.stringify(req.name)}`));
          break;
        }
        // LIST with no query lists all; SET with none selects none.
        const matches = (!set && req.queries.length === 0) || req.queries.some((q) => q === BASE_ALLOCATION || q === 'base:');
        if (set) allocation = matches;
        if (matches) await reply(Rep.META_CONTEXT, metaContextReply(set ? ALLOCATION_CONTEXT_ID : 0, BASE_ALLOCATION));
        await reply(Rep.ACK);
        break;
      }
      default:
        await wire.send(optionError(option, Rep.ERR_UNSUP, `option ${option} is not supported`));
    }
  }
}
