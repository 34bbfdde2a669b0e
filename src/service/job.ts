// A job of the daemon as the API shows it (SERVICE.md): what it is, where it stands, and what
// came of it. The runner changes jobs; the history stores each change.

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';
export type JobTrigger = 'schedule' | 'catch-up' | 'api' | 'retry';
export type JobKind = 'backup' | 'restore' | 'forget' | 'copy' | 'verify' | 'drill' | 'tier';

export interface Job {
  id: string;
  kind: JobKind;
  volume: string | null;
  policy: string | null;
  /** The repository the job works on (the destination of a copy). */
  repository: string | null;
  state: JobState;
  trigger: JobTrigger;
  attempt: number;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: { bytesDone: number; bytesTotal: number };
  /** The `--json` document of the matching command. */
  result: Record<string, unknown> | null;
  error: { message: string; code: string } | null;
  /** restore: the snapshot and target asked for. */
  args?: { snapshot?: string; target?: string };
}

export const FINISHED: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'canceled']);
