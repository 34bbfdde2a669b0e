// The one place Azure SDK and network failures become store errors. Retriability is decided
// here and nowhere else: the retry wrapper above only asks `retriable`.
import {
  AccessDeniedError,
  ColdObjectError,
  InvalidRangeError,
  ObjectExistsError,
  ObjectNotFoundError,
  ImmutableObjectError,
  StoreError,
} from '../object-store.js';
import { RETRIABLE_HTTP_STATUS, SOCKET_ERROR_CODES } from '../transient.js';

export interface ErrorContext {
  op: 'put' | 'get' | 'head' | 'list' | 'delete' | 'ensureContainer' | 'extendImmutability' | 'setTier' | 'rehydrate';
  /** The object's key (without the repository prefix), the listed prefix, or the container. */
  key: string;
  /** The caller's signal: an abort it asked for is final, an abort it did not ask for is a cut connection. */
  signal?: AbortSignal | undefined;
  /** The request carried If-None-Match: *, so 412 means "already exists". */
  conditional?: boolean;
}

/** Errors of the connection itself (Node's codes and the Azure pipeline's own). */
const RETRIABLE_CODES = new Set([...SOCKET_ERROR_CODES, 'REQUEST_SEND_ERROR', 'TIMEOUT']);
/**
 * Messages of a transfer cut short: "socket hang up", "aborted", timeouts, and the SDK's own
 * check of a download that ended before its Content-Length ("Data corruption failure: received
 * less data than required"), which is a cut stream and not damaged data.
 */
const RETRIABLE_MESSAGE =
  /socket hang up|\baborted\b|timed? ?out|ECONNRESET|EPIPE|received less data than required|Unclosed root tag|premature close/i;

/**
 * A blob version under an active time-based retention policy (version-level immutability) or a
 * legal hold: Azure refuses its deletion with 409 and one of these codes (blob service error codes).
 */
const IMMUTABLE_CODES = new Set(['BlobImmutableDueToPolicy', 'BlobImmutableDueToLegalHold']);

/** What @azure/identity throws when the default chain yields no token. */
const CREDENTIAL_ERRORS = new Set([
  'AggregateAuthenticationError',
  'CredentialUnavailableError',
  'AuthenticationError',
  'AuthenticationRequiredError',
]);

interface AzureLikeError {
  name?: string;
  message?: string;
  statusCode?: number;
  code?: string;
  details?: { errorCode?: string };
}

export function toStoreError(err: unknown, ctx: ErrorContext): StoreError {
  if (err instanceof StoreError) return err;
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as AzureLikeError;
  // HEAD answers carry the Azure code only in x-ms-error-code, which the SDK puts in details.
  const code = e.details?.errorCode ?? e.code;
  const status = e.statusCode;
  const what = `${ctx.op} ${ctx.key}`;
  const detail = `${status ? `${status} ` : ''}${code ?? e.name ?? 'Error'}: ${firstLine(e.message)}`;
  const options = { cause: err };

  if (ctx.signal?.aborted) return new StoreError(`Azure: ${what} aborted`, options);
  if (status === 404) return new ObjectNotFoundError(ctx.key, options);
  if ((status === 409 && code === 'BlobAlreadyExists') || (status === 412 && ctx.conditional)) {
    return new ObjectExistsError(ctx.key, options);
  }
  if (status === 409 && code !== undefined && IMMUTABLE_CODES.has(code)) return new ImmutableObjectError(ctx.key, options);
  if (status === 409 && (code === 'BlobArchived' || /archived blob/i.test(e.message ?? ''))) {
    return new ColdObjectError(ctx.key, `Azure ${ctx.op}: 409 BlobArchived`, options);
  }
  // A container deleted moments ago cannot be recreated for a while: it clears on its own.
  if (status === 409 && code === 'ContainerBeingDeleted')
    return new StoreError(`Azure: ${what}: ${detail}`, { ...options, retriable: true });
  if (status === 403 || status === 401) return new AccessDeniedError(`Azure refused ${what}: ${detail}`, options);
  // @azure/identity found no credential, or the one it found was refused.
  if (CREDENTIAL_ERRORS.has(e.name ?? '')) {
    return new AccessDeniedError(
      `Azure: ${what}: no usable credential (${firstLine(e.message)}); set AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN, or sign in for the default Azure credential chain (managed identity, az login)`,
      options,
    );
  }
  if (status === 416) return new InvalidRangeError(`Azure: ${what}: range not satisfiable (${detail})`, options);
  if (status !== undefined && RETRIABLE_HTTP_STATUS.has(status))
    return new StoreError(`Azure: ${what}: ${detail}`, { ...options, retriable: true });
  if (status === undefined) {
    // No HTTP answer: the connection failed, or the body was cut mid-way.
    if (code === 'ENOTFOUND') {
      return new StoreError(`Azure: ${what}: host not found (${firstLine(e.message)}); check the account name and endpoint`, options);
    }
    const cut = (code !== undefined && RETRIABLE_CODES.has(code)) || e.name === 'AbortError' || RETRIABLE_MESSAGE.test(e.message ?? '');
    if (cut) return new StoreError(`Azure: ${what}: connection failed: ${detail}`, { ...options, retriable: true });
  }
  return new StoreError(`Azure: ${what}: ${detail}`, options);
}

/** Azure's messages continue with "RequestId:..." and "Time:..." lines; one line is enough here. */
function firstLine(message: string | undefined): string {
  return (message ?? '').split('\n')[0]?.trim() || '(no message)';
}
