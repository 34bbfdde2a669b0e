// Error translation of the S3 adapter for the failures the test servers cannot be made to show
// (archived objects, conditional-write conflicts, AWS throttling codes); the ones they can show
// are asserted against s3rver and Ceph in s3-behaviour.ts.
import { describe, expect, it } from 'vitest';
import { AccessDeniedError, ColdObjectError, InvalidRangeError, ObjectExistsError, ObjectNotFoundError, StoreError } from '../../src/store/object-store.js';
import { translateS3Error } from '../../src/store/s3/s3-errors.js';

/** What the SDK throws for an S3 error answer: the XML code as name, the status in $metadata. */
function sdkError(name: string, status?: number, message = `${name} from the service`): Error {
  return Object.assign(new Error(message), { name, $fault: 'server', $metadata: status ? { httpStatusCode: status } : {} });
}

function netError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

const get = { op: 'get', key: 'data/ab/pack' };
const createOnce = { op: 'put', key: 'locks/x', conditional: true };

describe('translateS3Error', () => {
  it.each([
    ['NoSuchKey (404)', sdkError('NoSuchKey', 404), get, ObjectNotFoundError, false],
    ['HEAD 404 without a body', sdkError('NotFound', 404), get, ObjectNotFoundError, false],
    ['412 on a create-once put', sdkError('PreconditionFailed', 412), createOnce, ObjectExistsError, false],
    [
      '409 on a create-once put (AWS ConditionalRequestConflict)',
      sdkError('ConditionalRequestConflict', 409),
      createOnce,
      ObjectExistsError,
      false,
    ],
    ['AccessDenied', sdkError('AccessDenied', 403), get, AccessDeniedError, false],
    ['InvalidAccessKeyId', sdkError('InvalidAccessKeyId', 403), get, AccessDeniedError, false],
    ['SignatureDoesNotMatch', sdkError('SignatureDoesNotMatch', 403), get, AccessDeniedError, false],
    ['HEAD 403 without a body', sdkError('Forbidden', 403), get, AccessDeniedError, false],
    ['416 InvalidRange', sdkError('InvalidRange', 416), get, InvalidRangeError, false],
    ['503 SlowDown', sdkError('SlowDown', 503), get, StoreError, true],
    ['500 InternalError', sdkError('InternalError', 500), get, StoreError, true],
    ['502 without a code', sdkError('Unknown', 502), get, StoreError, true],
    ['504', sdkError('GatewayTimeout', 504), get, StoreError, true],
    ['429 throttling', sdkError('TooManyRequestsException', 429), get, StoreError, true],
    ['400 RequestTimeout (idle upload)', sdkError('RequestTimeout', 400), createOnce, StoreError, true],
    ['socket timeout', Object.assign(new Error('the request socket timed out'), { name: 'TimeoutError' }), get, StoreError, true],
    ['ECONNRESET', netError('ECONNRESET', 'read ECONNRESET'), get, StoreError, true],
    ['EPIPE', netError('EPIPE', 'write EPIPE'), get, StoreError, true],
    ['ETIMEDOUT', netError('ETIMEDOUT', 'connect ETIMEDOUT'), get, StoreError, true],
    ['socket hang up', new Error('socket hang up'), get, StoreError, true],
    ['a body stream cut mid-way', new Error('aborted'), get, StoreError, true],
    ['NoSuchUpload (a resent CompleteMultipartUpload)', sdkError('NoSuchUpload', 404), createOnce, StoreError, true],
  ] as const)('%s', (_what, err, ctx, cls, retriable) => {
    const out = translateS3Error(err, ctx);
    expect(out).toBeInstanceOf(cls);
    expect(out.retriable).toBe(retriable);
    expect(out.cause).toBe(err);
  });

  it('does not take a 409 or 412 for "exists" outside a create-once put', () => {
    for (const err of [sdkError('OperationAborted', 409), sdkError('PreconditionFailed', 412)]) {
      const out = translateS3Error(err, { op: 'put', key: 'k' });
      expect(out).not.toBeInstanceOf(ObjectExistsError);
      expect(out.constructor).toBe(StoreError);
    }
  });

  it('does not take a 403 on an archived object for refused access', () => {
    const out = translateS3Error(sdkError('InvalidObjectState', 403), get);
    expect(out).not.toBeInstanceOf(AccessDeniedError);
    expect(out.retriable).toBe(false);
    expect(out).toBeInstanceOf(ColdObjectError);
    expect(out.message).toMatch(/data\/ab\/pack.*archive tier.*rehydrated/);
  });

  it('does not take a missing bucket for a missing object', () => {
    const out = translateS3Error(sdkError('NoSuchBucket', 404), get);
    expect(out).not.toBeInstanceOf(ObjectNotFoundError);
    expect(out.retriable).toBe(false);
    expect(out.message).toMatch(/NoSuchBucket/);
  });

  it('names the key and the S3 code of anything else, not retriable', () => {
    const out = translateS3Error(sdkError('InvalidStorageClass', 400, 'The storage class you specified is not valid'), {
      op: 'put',
      key: 'data/00/p',
    });
    expect(out.constructor).toBe(StoreError);
    expect(out.retriable).toBe(false);
    expect(out.message).toBe('S3 put data/00/p failed: InvalidStorageClass (HTTP 400): The storage class you specified is not valid');
  });

  it('points a store without conditional PUT at atomic-create=false', () => {
    const out = translateS3Error(sdkError('NotImplemented', 501), createOnce);
    expect(out.retriable).toBe(false);
    expect(out.message).toMatch(/atomic-create=false/);
  });

  it('passes store errors through untouched', () => {
    const mine = new ObjectExistsError('k');
    expect(translateS3Error(mine, get)).toBe(mine);
  });
});
