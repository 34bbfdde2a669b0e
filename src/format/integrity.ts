// Turns format and seal failures of stored bytes into IntegrityError naming what was damaged:
// for every reader of stored objects, the engine's and the repository's.
import { IntegrityError, UnsupportedVersionError } from '../errors.js';
import { FormatError, NewerFormatError } from './codec.js';
import { SealError } from './seal.js';
import { InvalidRangeError, ObjectNotFoundError } from '../store/object-store.js';

/** Runs `fn`; damaged or missing stored data becomes an IntegrityError whose message starts with `what`. */
export async function guard<T>(what: string, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw asIntegrity(err, what);
  }
}

export function asIntegrity(err: unknown, what: string): unknown {
  if (err instanceof NewerFormatError) return new UnsupportedVersionError(`${what}: ${err.message}`, { cause: err });
  if (err instanceof SealError || err instanceof FormatError) return new IntegrityError(`${what} is damaged: ${err.message}`, { cause: err });
  if (err instanceof ObjectNotFoundError) return new IntegrityError(`${what} is missing: object ${err.key} not found`, { cause: err });
  if (err instanceof InvalidRangeError) return new IntegrityError(`${what} is damaged: ${err.message}`, { cause: err });
  return err;
}
