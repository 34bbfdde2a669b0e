// The volume job's script (infra/kubernetes/overlays/volume-job/backup-volume.sh), run by a real
// shell against a stand-in `kubectl` (no cluster can run here) that answers as the API server
// would and records every call: the objects it creates are valid and name each other, the backup
// runs with the snapshot's handle as --source-id, its result is the script's exit code, and the
// snapshot, PVC and Job are deleted whatever happened.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as batch from 'kubernetes-models/batch/v1';
import * as core from 'kubernetes-models/v1';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = resolve(import.meta.dirname, '../..');
const OVERLAY = join(ROOT, 'infra/kubernetes/overlays/volume-job');
const HANDLE = '0001-0009-rook-ceph-0000000000000002-5b1c';

/**
 * A kubectl that answers from canned state: the pod's init image, the PVC's class, a snapshot
 * bound to a content with HANDLE, and a Job whose condition is $FAKE_JOB_RESULT. `wait` fails when
 * $FAKE_WAIT_FAILS is set. Every call goes to calls.log, every `create -f -` body to created-N.yaml.
 */
const FAKE_KUBECTL = `#!/bin/sh
dir=$(dirname "$0")
echo "$*" >> "$dir/calls.log"
case "$*" in
  *" create -f -") n=$(ls "$dir" | grep -c '^created-'); cat > "$dir/created-$n.yaml" ;;
  *"get pod "*) printf '%s' registry.example.com/snaptier:0.1.0 ;;
  *"get pvc "*) printf '%s' fast-rbd ;;
  *"wait volumesnapshot "*) [ -z "$FAKE_WAIT_FAILS" ] || { echo 'timed out' >&2; exit 1; } ;;
  *"boundVolumeSnapshotContentName"*) printf '%s' snapcontent-1 ;;
  *"get volumesnapshotcontent snapcontent-1 "*) printf '%s' ${HANDLE} ;;
  *"restoreSize"*) printf '%s' 20Gi ;;
  *"get job "*) printf '%s' "$FAKE_JOB_RESULT" ;;
  *"logs "*) echo '{"snapshot":"3fa2c1d0"}' ;;
esac
exit 0
`;

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function runScript(env: Record<string, string>): {
  status: number | null;
  calls: string[];
  created: Record<string, unknown>[];
  stdout: string;
  stderr: string;
} {
  dir = mkdtempSync(join(tmpdir(), 'snaptier-volume-job-'));
  writeFileSync(join(dir, 'kubectl'), FAKE_KUBECTL);
  chmodSync(join(dir, 'kubectl'), 0o755);
  // The ConfigMap mounts the script and the templates side by side.
  const mounted = join(dir, 'mounted');
  spawnSync('mkdir', [mounted]);
  writeFileSync(join(mounted, 'backup-volume.sh'), readFileSync(join(OVERLAY, 'backup-volume.sh')));
  for (const f of readdirSync(join(OVERLAY, 'templates'))) writeFileSync(join(mounted, f), readFileSync(join(OVERLAY, 'templates', f)));
  const settings = Object.fromEntries(
    readFileSync(join(OVERLAY, 'volume.env'), 'utf8')
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  const r = spawnSync('sh', [join(mounted, 'backup-volume.sh')], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: `${dir}:/usr/bin:/bin`, ...settings, POD_NAME: 'snaptier-backup-db01-29000000-abcde', POD_NAMESPACE: 'databases', ...env },
  });
  const created = readdirSync(dir)
    .filter((f) => f.startsWith('created-'))
    .sort()
    .map((f) => parse(readFileSync(join(dir, f), 'utf8')));
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    calls: readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n'),
    created,
  };
}

const named = (objs: any[], kind: string): any => objs.find((o) => o.kind === kind);

describe('backup-volume.sh', () => {
  it('snapshots the PVC, backs up the restored block device with the snapshot handle, cleans up, exits 0', () => {
    const r = runScript({ FAKE_JOB_RESULT: 'Complete' });
    expect(r.stderr).not.toContain('not set');
    expect(r.status).toBe(0);
    expect(r.created.map((o) => (o as { kind: string }).kind)).toEqual(['VolumeSnapshot', 'PersistentVolumeClaim', 'Job']);
    const [snapshot, pvc, job] = [named(r.created, 'VolumeSnapshot'), named(r.created, 'PersistentVolumeClaim'), named(r.created, 'Job')];
    new core.PersistentVolumeClaim(pvc).validate();
    new batch.Job(job).validate();
    const name = snapshot.metadata.name;
    expect(name).toMatch(/^snaptier-db01-\d{14}$/);
    expect(snapshot.spec).toEqual({ volumeSnapshotClassName: 'csi-snapclass', source: { persistentVolumeClaimName: 'data-postgres-0' } });
    expect(pvc.spec).toMatchObject({ storageClassName: 'fast-rbd', volumeMode: 'Block', resources: { requests: { storage: '20Gi' } } });
    expect(pvc.spec.dataSource).toEqual({ apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name });
    const container = job.spec.template.spec.containers[0];
    expect(container.image).toBe('registry.example.com/snaptier:0.1.0');
    expect(container.args.slice(0, 7)).toEqual(['backup', '--volume', 'db01', '--source', '/dev/xvda', '--source-id', HANDLE]);
    expect(job.spec.activeDeadlineSeconds).toBe(72000);
    // The content may be restored in block mode; the report is in the log; all three are deleted.
    expect(r.calls).toContain(
      'annotate volumesnapshotcontent snapcontent-1 snapshot.storage.kubernetes.io/allow-volume-mode-change=true --overwrite',
    );
    expect(r.stdout).toContain('{"snapshot":"3fa2c1d0"}');
    for (const kind of ['job', 'pvc', 'volumesnapshot'])
      expect(r.calls.some((c) => c.startsWith(`-n databases delete ${kind} ${name} `))).toBe(true);
  });

  it('exits 1 when the backup Job fails, and still cleans up', () => {
    const r = runScript({ FAKE_JOB_RESULT: 'Failed' });
    expect(r.status).toBe(1);
    expect(r.calls.filter((c) => c.includes(' delete '))).toHaveLength(3);
  });

  it('gives up when the snapshot never becomes ready: no PVC or Job made, the snapshot deleted', () => {
    const r = runScript({ FAKE_JOB_RESULT: 'Complete', FAKE_WAIT_FAILS: '1' });
    expect(r.status).not.toBe(0);
    expect(r.created.map((o) => (o as { kind: string }).kind)).toEqual(['VolumeSnapshot']);
    expect(r.calls.some((c) => c.includes(' delete volumesnapshot '))).toBe(true);
  });
});
