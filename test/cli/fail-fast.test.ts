// A store that cannot be reached at all (issue #13 item 4): connection refused, unknown host and
// a TLS failure on first contact fail within 30 s with exit 1, naming the endpoint and the
// cause; --verbose logs each retry as it happens (JSON lines on stderr); --json still gives one
// error document on stdout. Faults after the first answer keep the full budget:
// test/cli/faults.test.ts and test/store/retry-first-contact.test.ts.
import { type Server, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../helpers/cli.js';

const CONTRACT_MS = 30_000;
const S3_ENV = { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWS_REGION: 'us-east-1' };

/** A port nothing listens on: bound, then closed. */
async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe('first contact with a dead store', () => {
  let plain: Server;
  let plainPort = 0;
  const sockets = new Set<import('node:net').Socket>();
  beforeAll(async () => {
    // Answers a TLS ClientHello with plain HTTP: the client's handshake fails.
    plain = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
    });
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
    plainPort = (plain.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => plain.close(r));
  });

  const cases: Array<{ name: string; url: () => Promise<string>; endpoint: RegExp; cause: RegExp; env?: Record<string, string> }> = [
    {
      name: 'S3, connection refused',
      url: async () => `s3://snaptier-dead/p?endpoint=http://127.0.0.1:${await deadPort()}&path-style=true`,
      endpoint: /http:\/\/127\.0\.0\.1:\d+/,
      cause: /connection refused \(ECONNREFUSED\)/,
      env: S3_ENV,
    },
    {
      name: 'S3, unknown host',
      url: async () => 's3://snaptier-dead/p?endpoint=http://no-such-host.invalid:9000&path-style=true',
      endpoint: /no-such-host\.invalid/,
      cause: /unknown host \((ENOTFOUND|EAI_AGAIN)\)/,
      env: S3_ENV,
    },
    {
      name: 'S3, TLS failure',
      url: async () => `s3://snaptier-dead/p?endpoint=https://127.0.0.1:${plainPort}&path-style=true`,
      endpoint: new RegExp(`https://127\\.0\\.0\\.1:${'\\d+'}`),
      cause: /TLS failure/,
      env: S3_ENV,
    },
    {
      name: 'Azure, connection refused',
      url: async () => `azure://dead/p?account=devstoreaccount1&endpoint=http://127.0.0.1:${await deadPort()}/devstoreaccount1`,
      endpoint: /127\.0\.0\.1/,
      cause: /connection refused \(ECONNREFUSED\)/,
      env: { AZURE_STORAGE_KEY: Buffer.from('k'.repeat(64)).toString('base64') },
    },
  ];

  for (const c of cases) {
    it(`${c.name}: exit 1 within 30 s, naming endpoint and cause; retries logged under --verbose`, async () => {
      const url = await c.url();
      const e = await start(['snapshots', '--repo', url, '--json', '--verbose'], c.env).ended;
      const ctx = `exit ${e.code} after ${e.ms} ms\nstderr: ${e.stderr}\nstdout: ${e.stdout}`;
      console.log(`${c.name}: failed after ${e.ms} ms`);
      expect(e.code, ctx).toBe(1);
      expect(e.ms, ctx).toBeLessThan(CONTRACT_MS);
      const lines = e.stderr.trim().split('\n');
      // One error line; every other stderr line is a structured log line, the retries among them.
      const errors = lines.filter((l) => !l.startsWith('{'));
      expect(errors, ctx).toHaveLength(1);
      expect(errors[0], ctx).toMatch(/^snaptier: /);
      expect(errors[0], ctx).toMatch(c.endpoint);
      expect(errors[0], ctx).toMatch(c.cause);
      const logs = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
      expect(logs.at(-1).phase).toBe('end');
      expect(logs.some((l) => l.phase === 'start')).toBe(true);
      if (!/TLS|unknown host/.test(c.name)) expect(logs.filter((l) => l.event === 'retry').length, ctx).toBeGreaterThan(0);
      const doc = JSON.parse(e.stdout);
      expect(doc.error.exitCode).toBe(1);
      expect(doc.error.message).toMatch(c.cause);
    });
  }
});
