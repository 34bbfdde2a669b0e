// Translation of every failure the AWS SDK (or the socket under it) can raise into the store's
// error classes, in one place: nothing above the S3 adapter sees an SDK error or an HTTP status.
import { AccessDeniedError, ColdObjectError, InvalidRangeError, ObjectExistsError, ObjectNotFoundError, StoreError } from '../object-store.js';
import { RETRIABLE_HTTP_STATUS, SOCKET_ERROR_CODES } from '../transient.js';

export interface S3ErrorContext {
  /** What was being done: 'get', 'put', 'list', ... */
  op: string;
  /** The key as the caller named it (without the repository prefix), or the bucket for bucket calls. */
  key: string;
  /** A put with If-None-Match: *, where 412 and 409 mean "already exists". */
  conditional?: boolean;
}

/** Error codes that mean "try again later": throttling, server trouble, timeouts, cut transfers. */
const RETRIABLE_CODES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'InternalError',
  'ServiceUnavailable',
  'OperationAborted', // a conflicting bucket operation is in progress
  // The body arrived short or damaged in transit: sending it again is the cure.
  'IncompleteBody',
  'BadDigest',
  'XAmzContentSHA256Mismatch',
  // A multipart upload that vanished: a resent CompleteMultipartUpload whose first answer was lost,
  // or an abort by a lifecycle rule. Putting the whole object again settles both.
  'NoSuchUpload',
]);

/** Socket-level failures, where the request may be sent again on a new connection. */
const RETRIABLE_NET_CODES = new Set([...SOCKET_ERROR_CODES, 'ERR_STREAM_PREMATURE_CLOSE']);

const DENIED_CODES = new Set([
  'AccessDenied',
  'Forbidden',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidToken',
  'ExpiredToken',
  'TokenRefreshRequired',
  'AllAccessDisabled',
  'AccountProblem',
  'InvalidSecurity',
]);

interface SdkLikeError {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

export function translateS3Error(err: unknown, ctx: S3ErrorContext): StoreError {
  if (err instanceof StoreError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkLikeError;
  const status = e.$metadata?.httpStatusCode;
  const code = errorCode(e);
  const detail = (e.message ?? String(err)).split('\n')[0];
  const what = `S3 ${ctx.op} ${ctx.key}`;
  const describe = `${what} failed: ${code ?? 'error'}${status ? ` (HTTP ${status})` : ''}${detail && detail !== code ? `: ${detail}` : ''}`;

  if (code === 'AbortError' || e.name === 'AbortError') return new StoreError(`${what} aborted`, { cause: err });
  // Codes that carry a status of a more general class, checked before the status.
  if (code === 'NoSuchBucket') return new StoreError(`${what}: the bucket does not exist (NoSuchBucket)`, { cause: err });
  if (code === 'InvalidObjectState') return new ColdObjectError(ctx.key, `S3 ${ctx.op}: InvalidObjectState`, { cause: err });
  if (code === 'NoSuchKey' || code === 'NotFound' || (status === 404 && code !== 'NoSuchUpload')) {
    return new ObjectNotFoundError(ctx.key, { cause: err });
  }
  if (ctx.conditional && (status === 412 || status === 409 || code === 'PreconditionFailed' || code === 'ConditionalRequestConflict')) {
    return new ObjectExistsError(ctx.key, { cause: err });
  }
  if (code !== undefined && DENIED_CODES.has(code)) return new AccessDeniedError(`${describe}`, { cause: err });
  if (status === 403) return new AccessDeniedError(describe, { cause: err });
  if (status === 416 || code === 'InvalidRange')
    return new InvalidRangeError(`${what}: the range lies outside the object (${code ?? 'HTTP 416'})`, { cause: err });
  if (ctx.conditional && (status === 501 || code === 'NotImplemented')) {
    return new StoreError(`${describe} (the store does not support If-None-Match on PUT: add atomic-create=false to the repository URL)`, {
      cause: err,
    });
  }
  const retriable =
    (code !== undefined && (RETRIABLE_CODES.has(code) || RETRIABLE_NET_CODES.has(code))) ||
    (status !== undefined && RETRIABLE_HTTP_STATUS.has(status)) ||
    isCutConnection(e);
  return new StoreError(describe, { cause: err, retriable });
}

function errorCode(e: SdkLikeError): string | undefined {
  // Socket errors carry `code` (ECONNRESET); S3 service errors carry their XML code as `name` and
  // sometimes `Code`; an SDK error without a body is named after its status ("NotFound", "Forbidden").
  if (typeof e.code === 'string') return e.code;
  if (typeof e.Code === 'string') return e.Code;
  if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
  return undefined;
}

/** A connection dropped mid-request or mid-body, which Node reports mostly by message. */
function isCutConnection(e: SdkLikeError): boolean {
  const m = e.message ?? '';
  return /socket hang up|^aborted$|premature close|other side closed|ECONNRESET|EPIPE|ETIMEDOUT/i.test(m);
}
