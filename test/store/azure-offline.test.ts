// The Azure adapter's parts that need no server: repository URLs, the order credentials are
// chosen in, how failures Azurite cannot produce are classified, and how a body is cut in blocks.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { resolveTarget } from '../../src/store/azure/azure-client.js';
import { toStoreError } from '../../src/store/azure/azure-errors.js';
import { AzureStore, parseAzureUrl } from '../../src/store/azure/azure-store.js';
import { sliceBlocks } from '../../src/store/azure/block-upload.js';
import { AccessDeniedError, InvalidRangeError, ObjectExistsError, ObjectNotFoundError, StoreError } from '../../src/store/object-store.js';
import { bytes } from './contract.js';

describe('parseAzureUrl', () => {
  it('reads the container, the prefix and the optional account and endpoint', () => {
    expect(parseAzureUrl('azure://backups')).toEqual({ container: 'backups', prefix: '' });
    expect(parseAzureUrl('azure://backups/')).toEqual({ container: 'backups', prefix: '' });
    expect(parseAzureUrl('azure://backups/host1/vol?account=acme01')).toEqual({
      container: 'backups',
      prefix: 'host1/vol/',
      account: 'acme01',
    });
    expect(parseAzureUrl('AZURE://backups/a%20b/?account=acme01&endpoint=https://acme01.blob.core.chinacloudapi.cn/')).toEqual({
      container: 'backups',
      prefix: 'a b/',
      account: 'acme01',
      endpoint: 'https://acme01.blob.core.chinacloudapi.cn',
    });
    expect(parseAzureUrl(`azure://b-1/p?endpoint=${encodeURIComponent('http://127.0.0.1:10000/devstoreaccount1')}`)).toEqual({
      container: 'b-1',
      prefix: 'p/',
      endpoint: 'http://127.0.0.1:10000/devstoreaccount1',
    });
  });

  it.each([
    ['s3://bucket/p', /expected azure:\/\//],
    ['azure:///prefix', /container name is missing/],
    ['azure://Backups/p', /container name "Backups"/],
    ['azure://ab/p', /container name "ab"/],
    ['azure://a--b/p', /container name "a--b"/],
    ['azure://-ab/p', /container name "-ab"/],
    [`azure://${'a'.repeat(64)}`, /container name/],
    ['azure://c_1/p', /container name/],
    ['azure://user@host/p', /container name/],
    ['azure://box/a//b', /empty path segment/],
    ['azure://box/a/../b', /segment "\.\."/],
    ['azure://box/a/%2F/b', /segment "\/"/],
    ['azure://box/a/%zz', /percent-encoding/],
    ['azure://box/p#frag', /fragment/],
    ['azure://box/p?acount=x', /unknown parameter "acount"/],
    ['azure://box/p?account=Acme', /account name "Acme"/],
    ['azure://box/p?account=ab&account=cd', /account name "ab"/],
    ['azure://box/p?account=abc&account=cde', /given twice/],
    ['azure://box/p?endpoint=ftp://host', /http or https/],
    ['azure://box/p?endpoint=not-a-url', /not a URL/],
    ['azure://box/p?endpoint=https://host/?sig=1', /query/],
  ])('refuses %s with a UsageError naming the URL', (url, why) => {
    let err: unknown;
    try {
      parseAzureUrl(url);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain(url);
    expect((err as Error).message).toMatch(why);
  });
});

describe('credential order', () => {
  const url = 'azure://box/p?account=acme01';
  const loc = parseAzureUrl(url);
  const CS = 'DefaultEndpointsProtocol=https;AccountName=acme01;AccountKey=a2V5;EndpointSuffix=core.windows.net';

  it('prefers a connection string, then the account key, then a SAS token, then the default chain', () => {
    const all = { AZURE_STORAGE_CONNECTION_STRING: CS, AZURE_STORAGE_KEY: 'a2V5', AZURE_STORAGE_SAS_TOKEN: 'sv=1&sig=x' };
    expect(resolveTarget(loc, all).source).toBe('connection-string');
    expect(resolveTarget(loc, { ...all, AZURE_STORAGE_CONNECTION_STRING: '' }).source).toBe('shared-key');
    expect(resolveTarget(loc, { AZURE_STORAGE_SAS_TOKEN: 'sv=1&sig=x' }).source).toBe('sas');
    expect(resolveTarget(loc, {})).toEqual({
      source: 'default-chain',
      account: 'acme01',
      endpoint: 'https://acme01.blob.core.windows.net',
    });
    expect(new AzureStore(url, { env: {} }).credentialSource).toBe('default-chain');
  });

  it('takes the account from AZURE_STORAGE_ACCOUNT when the URL has none, and the URL over the variable', () => {
    expect(resolveTarget(parseAzureUrl('azure://box/p'), { AZURE_STORAGE_ACCOUNT: 'other01' }).endpoint).toBe(
      'https://other01.blob.core.windows.net',
    );
    expect(resolveTarget(loc, { AZURE_STORAGE_ACCOUNT: 'other01' }).account).toBe('acme01');
  });

  it('adds the account to an emulator endpoint given without it, and keeps any other endpoint as given', () => {
    const at = (endpoint: string) => resolveTarget(parseAzureUrl(`${url}&endpoint=${encodeURIComponent(endpoint)}`), {}).endpoint;
    expect(at('http://127.0.0.1:10000')).toBe('http://127.0.0.1:10000/acme01');
    expect(at('http://localhost:10000/')).toBe('http://localhost:10000/acme01');
    expect(at('http://127.0.0.1:10000/acme01')).toBe('http://127.0.0.1:10000/acme01');
    expect(at('https://acme01.privatelink.blob.core.windows.net')).toBe('https://acme01.privatelink.blob.core.windows.net');
  });

  it('refuses what cannot work when constructed, before any request', () => {
    const refusal = (url: string, env: Record<string, string>): unknown => {
      try {
        new AzureStore(url, { env });
      } catch (err) {
        return err;
      }
      return undefined;
    };
    for (const [what, err, why] of [
      ['no account', refusal('azure://box/p', { AZURE_STORAGE_KEY: 'a2V5' }), /no storage account/],
      ['two endpoints', refusal(`${url}&endpoint=https://x.example`, { AZURE_STORAGE_CONNECTION_STRING: CS }), /both name the service/],
      [
        'two accounts',
        refusal('azure://box/p?account=other01', { AZURE_STORAGE_CONNECTION_STRING: CS }),
        /names account other01 but .* is for acme01/,
      ],
      [
        'a bad connection string',
        refusal('azure://box/p', { AZURE_STORAGE_CONNECTION_STRING: 'nonsense' }),
        /CONNECTION_STRING is not valid/,
      ],
    ] as const) {
      expect(err, what).toBeInstanceOf(UsageError);
      expect((err as Error).message, what).toMatch(why);
      expect((err as Error).message, what).toContain('azure://box/p');
    }
  });

  it('describes where it stores without printing a SAS token', () => {
    const store = new AzureStore('azure://box/a/b?account=acme01', { env: { AZURE_STORAGE_SAS_TOKEN: '?sv=1&sig=secret' } });
    expect(store.description).toBe('Azure Blob https://acme01.blob.core.windows.net/box/a/b/ (credential: sas)');
  });
});

describe('error translation of failures Azurite does not produce', () => {
  const ctx = { op: 'get', key: 'data/ab/pack' } as const;
  const rest = (statusCode: number, code: string) =>
    Object.assign(new Error(`${code} happened\nRequestId:1`), { name: 'RestError', statusCode, code });
  const net = (code: string, message = code) => Object.assign(new Error(message), { name: 'RestError', code });

  it.each([
    ['500 OperationTimedOut', rest(500, 'OperationTimedOut'), true],
    ['502 from a gateway', rest(502, 'BadGateway'), true],
    ['503 ServerBusy', rest(503, 'ServerBusy'), true],
    ['504 from a gateway', rest(504, 'GatewayTimeout'), true],
    ['EPIPE', net('EPIPE'), true],
    ['socket hang up', net('ECONNRESET', 'socket hang up'), true],
    ['an aborted response', Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' }), true],
    [
      'a download that ended early',
      new Error('Data corruption failure: received less data than required and reached maxRetires limitation.'),
      true,
    ],
    ['an unknown host', net('ENOTFOUND', 'getaddrinfo ENOTFOUND acme01.blob.core.windows.net'), false],
    ['400 InvalidHeaderValue', rest(400, 'InvalidHeaderValue'), false],
    ['409 LeaseIdMissing', rest(409, 'LeaseIdMissing'), false],
  ])('%s is a StoreError with retriable %s', (_what, err, retriable) => {
    const got = toStoreError(err, ctx);
    expect(got.constructor).toBe(StoreError);
    expect(got.retriable).toBe(retriable);
    expect(got.message).toContain('data/ab/pack');
    expect(got.message).not.toContain('RequestId');
    expect(got.cause).toBe(err);
  });

  it('maps 412 to ObjectExistsError only for a conditional write, 416 to InvalidRangeError, 403 to AccessDeniedError', () => {
    expect(toStoreError(rest(412, 'ConditionNotMet'), { op: 'put', key: 'k', conditional: true })).toBeInstanceOf(ObjectExistsError);
    expect(toStoreError(rest(412, 'ConditionNotMet'), { op: 'put', key: 'k' })).not.toBeInstanceOf(ObjectExistsError);
    expect(toStoreError(rest(416, 'InvalidRange'), ctx)).toBeInstanceOf(InvalidRangeError);
    expect(toStoreError(rest(404, 'ContainerNotFound'), ctx)).toBeInstanceOf(ObjectNotFoundError);
    const denied = toStoreError(rest(403, 'AuthorizationPermissionMismatch'), ctx);
    expect(denied).toBeInstanceOf(AccessDeniedError);
    expect(denied.retriable).toBe(false);
    expect(denied.message).toMatch(/AuthorizationPermissionMismatch/);
  });

  it('reports a default credential chain that found no credential as AccessDeniedError with what to set', () => {
    const chain = Object.assign(new Error('ChainedTokenCredential authentication failed.\nCredentialUnavailableError: ...'), {
      name: 'AggregateAuthenticationError',
    });
    const got = toStoreError(chain, ctx);
    expect(got).toBeInstanceOf(AccessDeniedError);
    expect(got.retriable).toBe(false);
    expect(got.message).toMatch(/no usable credential.*AZURE_STORAGE_CONNECTION_STRING/);
  });

  it('treats an abort the caller asked for as final, whatever the SDK called it', () => {
    const signal = AbortSignal.abort();
    const got = toStoreError(Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' }), { ...ctx, signal });
    expect(got.retriable).toBe(false);
    expect(got.message).toMatch(/aborted/);
  });
});

describe('sliceBlocks', () => {
  it('cuts any split of a body into full blocks and one short last block, copying only blocks that straddle parts', () => {
    const body = bytes(1, 10_000);
    const parts = [body.subarray(0, 2500), new Uint8Array(0), body.subarray(2500, 2501), body.subarray(2501, 9000), body.subarray(9000)];
    const blocks = [...sliceBlocks(parts, 3000)];
    expect(blocks.map(([i, b]) => [i, b.byteLength])).toEqual([
      [0, 3000],
      [1, 3000],
      [2, 3000],
      [3, 1000],
    ]);
    expect(Buffer.concat(blocks.map(([, b]) => b)).equals(body)).toBe(true);
    // Block 1 (3000..6000) lies inside part 3: a view of the caller's memory, not a copy.
    expect(blocks[1]![1].buffer).toBe(body.buffer);
    expect([...sliceBlocks([body], 10_000)].map(([, b]) => b.byteLength)).toEqual([10_000]);
    expect([...sliceBlocks([], 10)]).toEqual([]);
  });
});
