// The daemon's decisions as pure functions and small files, without servers: configuration
// problems with key paths and lines, what starts now (plan.ts), what catches up after a
// restart, the verify share rotating over every pack, and the history reading past a torn line.
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/service/config.js';
import { History } from '../../src/service/history.js';
import type { Job } from '../../src/service/job.js';
import { type Needs, planStarts } from '../../src/service/plan.js';
import { nextRun, nextRuns } from '../../src/service/cron.js';
import { planCatchUp } from '../../src/service/scheduler.js';
import { rotatingShare } from '../../src/service/verify.js';
import { tempDir } from '../helpers/cli.js';

const GOOD = `
stateDir: /tmp/x
repositories:
  main: { url: /tmp/repo }
volumes:
  db01:
    repository: main
    schedule: "0 */4 * * *"
    source: { type: file, path: /dev/vg0/db01 }
policies:
  - { name: drill, kind: drill, schedule: "0 6 1 * *", volume: db01, scratch: /tmp/drill }
`;

/** The example of the service contract, as it is written there. */
const CONTRACT_EXAMPLE = `
listen: 127.0.0.1:9470            # HTTP API and /metrics; port 0 = any free port (logged, and
                                  # written to <stateDir>/listen as host:port)
tokenFile: /etc/snaptier/token    # bearer token for /api/*; /healthz and /metrics need none
stateDir: /var/lib/snaptier       # job history and source bookkeeping; survives restarts
concurrency: 2                    # jobs running at once; never two jobs of one volume at once
repositories:
  main: { url: "s3://bucket/prefix?endpoint=...", passwordFile: /etc/snaptier/main.pw }
  dr:   { url: "azure://container/prefix", passwordFile: /etc/snaptier/dr.pw }
volumes:
  db01:
    repository: main
    schedule: "0 */4 * * *"       # cron: 5 fields, or 6 with seconds first
    source:                       # one of:
      type: file                  #   a path read as it is (image file or block device)
      path: /dev/vg0/db01
    # source: { type: command, create: "CMD", delete: "CMD" }
    #   create prints the path to read on its first line, and optionally a changed-extents JSON
    #   file relative to the previous snapshot it created on a second line; {name} in a command is
    #   replaced by a fresh snapshot name; delete runs after the backup, successful or not.
    # source: { type: rbd, image: "pool/image", cephConf: /etc/ceph/ceph.conf, id: admin }
    #   creates an RBD snapshot, reads only what \`rbd diff\` names since the last snapshot that was
    #   backed up, removes snapshots no longer needed as a base.
    hooks: { pre: "fsfreeze -f /srv/db", post: "fsfreeze -u /srv/db", timeoutSeconds: 30 }
    labels: { tier: gold }
    retry: { attempts: 3, backoffSeconds: 60 }
policies:
  - { name: retention, kind: forget, schedule: "30 2 * * *", repository: main,
      keep: { last: 7, daily: 14, weekly: 8, monthly: 12, yearly: 3 }, prune: true }
  - { name: offsite, kind: copy, schedule: "0 3 * * *", from: main, to: dr }
  - { name: verify, kind: verify, schedule: "0 5 * * 0", repository: main, readData: "10%" }
  - { name: drill, kind: drill, schedule: "0 6 1 * *", volume: db01, scratch: /var/lib/snaptier/drill }
`;

function problems(text: string): string[] {
  try {
    parseConfig(text, 'c.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('configuration', () => {
  it('accepts the documented shape and fills defaults', () => {
    const cfg = parseConfig(GOOD, 'c.yaml');
    expect(cfg).toMatchObject({ listen: '127.0.0.1:9470', concurrency: 2, volumes: { db01: { retry: { attempts: 1 }, labels: {} } } });
  });

  it("accepts the contract's example as it stands", () => {
    const cfg = parseConfig(CONTRACT_EXAMPLE, 'contract.yaml');
    expect(Object.keys(cfg.repositories)).toEqual(['main', 'dr']);
    expect(cfg.volumes.db01).toMatchObject({ hooks: { timeoutSeconds: 30 }, retry: { attempts: 3, backoffSeconds: 60 }, labels: { tier: 'gold' } });
    expect(cfg.policies.map((p) => p.kind)).toEqual(['forget', 'copy', 'verify', 'drill']);
  });

  it('names the key path and line of each problem', () => {
    expect(problems(GOOD.replace('repository: main', 'repository: mian'))).toEqual(['c.yaml:7: volumes.db01.repository: no repository named mian']);
    expect(problems(GOOD.replace('volume: db01,', 'volume: db02,'))).toEqual(['c.yaml:11: policies.0.volume: no volume named db02']);
    expect(problems(GOOD.replace('"0 */4 * * *"', '"0 */4 * *"'))).toEqual([expect.stringMatching(/^c\.yaml:8: volumes\.db01\.schedule: .*4 fields/)]);
    expect(problems(GOOD.replace('type: file,', 'type: floppy,'))).toEqual([expect.stringMatching(/^c\.yaml:9: volumes\.db01\.source\.type: /)]);
    expect(problems(`${GOOD}extra: 1\n`)).toEqual(['c.yaml:12: extra: unknown key']);
    expect(problems('stateDir: [unclosed')).toEqual([expect.stringMatching(/^c\.yaml:1: /)]);
    expect(problems(`timezone: Mars/Olympus\n${GOOD}`)).toEqual([expect.stringMatching(/^c\.yaml:1: timezone: "Mars\/Olympus" is not a time zone/)]);
  });

  it('reads schedules in UTC unless a time zone is named', () => {
    expect(parseConfig(GOOD, 'c.yaml').timezone).toBe('UTC');
    expect(parseConfig(`timezone: Europe/Berlin\n${GOOD}`, 'c.yaml').timezone).toBe('Europe/Berlin');
  });
});

describe('schedules in a time zone', () => {
  it('fires at the local time the cron names, across a daylight-saving change', () => {
    // 02:30 daily in Berlin: 01:30 UTC in winter (CET), 00:30 UTC in summer (CEST). 2027-03-28
    // is the spring jump (02:00 -> 03:00): that day has no 02:30, and the run comes an hour
    // late (03:30 CEST) rather than not at all.
    const spring = nextRuns('30 2 * * *', 4, new Date('2027-03-26T00:00:00Z'), 'Europe/Berlin').map((d) => d.toISOString());
    expect(spring).toEqual(['2027-03-26T01:30:00.000Z', '2027-03-27T01:30:00.000Z', '2027-03-28T01:30:00.000Z', '2027-03-29T00:30:00.000Z']);
    // 2027-10-31 has 02:30 twice (03:00 CEST -> 02:00 CET): it runs once.
    const autumn = nextRuns('30 2 * * *', 3, new Date('2027-10-30T00:00:00Z'), 'Europe/Berlin').map((d) => d.toISOString());
    expect(autumn).toEqual(['2027-10-30T00:30:00.000Z', '2027-10-31T01:30:00.000Z', '2027-11-01T01:30:00.000Z']);
    expect(nextRun('30 2 * * *', new Date('2027-03-26T00:00:00Z'))?.toISOString()).toBe('2027-03-26T02:30:00.000Z');
  });

  it('catches up by the local schedule', () => {
    const daily = { volume: 'v', policy: null, schedule: '0 23 * * *', timezone: 'America/New_York' };
    // Last success at 23:00 New York on the 5th (04:00 UTC on the 6th); the next is due at 04:00 UTC on the 7th.
    const standing = () => ({ lastSuccess: '2026-12-06T04:00:30Z', firstQueuedAt: '2026-12-01T00:00:00Z' });
    expect(planCatchUp([daily], standing, new Date('2026-12-07T03:59:00Z'))).toEqual([]);
    expect(planCatchUp([daily], standing, new Date('2026-12-07T04:01:00Z'))).toEqual([daily]);
    // Read in UTC the same schedule would have been due at 23:00 UTC on the 6th.
    expect(planCatchUp([{ ...daily, timezone: 'UTC' }], standing, new Date('2026-12-07T03:59:00Z'))).toHaveLength(1);
  });
});

describe('what starts now', () => {
  const n = (volume: string | null, repositories: string[], exclusive = false): Needs => ({ volume, repositories, exclusive });
  const q = (item: string, needs: Needs) => ({ item, needs });

  it('never two jobs of one volume, never more than the concurrency', () => {
    expect(planStarts([q('a', n('v1', ['r'])), q('b', n('v1', ['r'])), q('c', n('v2', ['r']))], [], 2)).toEqual(['a', 'c']);
    expect(planStarts([q('a', n('v1', ['r']))], [n('v1', ['r'])], 4)).toEqual([]);
    expect(planStarts([q('a', n('v1', ['r'])), q('b', n('v2', ['r'])), q('c', n('v3', ['r']))], [], 2)).toEqual(['a', 'b']);
  });

  it('an exclusive job waits for its repository and later jobs of that repository queue behind it', () => {
    expect(planStarts([q('prune', n(null, ['r'], true)), q('b', n('v2', ['r'])), q('other', n('v3', ['s']))], [n('v1', ['r'])], 4)).toEqual(['other']);
    expect(planStarts([q('prune', n(null, ['r'], true)), q('b', n('v2', ['r']))], [], 4)).toEqual(['prune']);
  });
});

describe('catch-up after a restart', () => {
  const item = { volume: 'v', policy: null, schedule: '0 * * * *', timezone: 'UTC' };
  const at = (iso: string) => new Date(iso);

  it('runs once an item whose last success is older than its previous scheduled time', () => {
    expect(planCatchUp([item], () => ({ lastSuccess: '2026-12-06T09:10:00Z', firstQueuedAt: '2026-12-01T00:00:00Z' }), at('2026-12-06T12:30:00Z'))).toEqual([item]);
    expect(planCatchUp([item], () => ({ lastSuccess: '2026-12-06T12:00:05Z', firstQueuedAt: '2026-12-01T00:00:00Z' }), at('2026-12-06T12:30:00Z'))).toEqual([]);
  });

  it('counts a job that never succeeded from its first queueing, and never catches up what never ran', () => {
    expect(planCatchUp([item], () => ({ lastSuccess: null, firstQueuedAt: '2026-12-06T11:00:00Z' }), at('2026-12-06T12:30:00Z'))).toEqual([item]);
    expect(planCatchUp([item], () => ({ lastSuccess: null, firstQueuedAt: null }), at('2026-12-06T12:30:00Z'))).toEqual([]);
  });
});

describe('verify share', () => {
  it('reads every pack over successive runs, as packs come and go', () => {
    let keys = Array.from({ length: 23 }, (_, i) => `data/${String(i).padStart(3, '0')}`);
    const read = new Set<string>();
    let cursor: string | null = null;
    for (let run = 0; run < 10; run++) {
      const chosen = rotatingShare(keys, 0.1, cursor);
      expect(chosen).toHaveLength(3);
      for (const k of chosen) read.add(k);
      cursor = chosen.at(-1)!;
      if (run === 3) keys = [...keys.filter((k) => k !== 'data/020'), 'data/050'];
    }
    expect(keys.filter((k) => !read.has(k))).toEqual([]);
    expect(rotatingShare([], 0.5, null)).toEqual([]);
    expect(rotatingShare(['a', 'b'], 0.01, null)).toEqual(['a']);
  });
});

describe('history', () => {
  const job = (id: string, state: Job['state']): Job => ({
    id,
    kind: 'backup',
    volume: 'v',
    policy: null,
    repository: 'main',
    state,
    trigger: 'schedule',
    attempt: 1,
    queuedAt: `2026-12-06T10:00:0${id}Z`,
    startedAt: null,
    finishedAt: state === 'succeeded' ? '2026-12-06T10:01:00Z' : null,
    progress: { bytesDone: 0, bytesTotal: 0 },
    result: null,
    error: null,
  });

  it('keeps the last line of each job, reads past a torn last line, and fails jobs cut short', async () => {
    const dir = await tempDir('snaptier-history-');
    try {
      const h = await History.open(dir.path, '2026-12-06T11:00:00Z');
      await h.record(job('1', 'queued'));
      await h.record(job('1', 'succeeded'));
      await h.record(job('2', 'running'));
      await appendFile(join(dir.path, 'jobs.jsonl'), '{"id":"3","state":"que');
      const again = await History.open(dir.path, '2026-12-06T11:00:00Z');
      expect(again.list().map((j) => [j.id, j.state])).toEqual([
        ['2', 'failed'],
        ['1', 'succeeded'],
      ]);
      expect(again.get('2')?.error?.code).toBe('INTERRUPTED');
      const text = await readFile(join(dir.path, 'jobs.jsonl'), 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      expect(text).not.toContain('"id":"3"');
      await writeFile(join(dir.path, 'jobs.jsonl'), `${text}not json\n${JSON.stringify(job('4', 'succeeded'))}\n`);
      expect((await History.open(dir.path, 'x')).get('4')?.state).toBe('succeeded');
      // Many lines of few jobs are compacted to the last line of each on start.
      await appendFile(join(dir.path, 'jobs.jsonl'), Array.from({ length: 1100 }, () => `${JSON.stringify(job('5', 'succeeded'))}\n`).join(''));
      const compacted = await History.open(dir.path, 'x');
      expect(compacted.list().map((j) => j.id).sort()).toEqual(['1', '2', '4', '5']);
      expect((await readFile(join(dir.path, 'jobs.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(4);
    } finally {
      await dir.cleanup();
    }
  });
});
