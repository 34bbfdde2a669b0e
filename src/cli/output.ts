// Everything the CLI prints: JSON documents on stdout, human lines, structured logs (log.ts,
// --verbose) and a live progress line on stderr (only on a TTY, never with --json or --quiet).
import type { SingleBar } from 'cli-progress';
import type { Progress } from '../engine/index.js';
import { flag, type Values } from './args.js';
import { type Log, logger } from './log.js';

type Bars = typeof import('cli-progress');
/** cli-progress (and the string-width tables under it), loaded only where a bar can be drawn. */
let bars: Bars | null = null;
let barsLoading: Promise<void> | null = null;
function loadBars(): void {
  barsLoading ??= import('cli-progress').then(
    (m) => {
      bars = ((m as { default?: Bars }).default ?? m) as Bars;
    },
    () => {}, // no bar then; the command's work is unaffected
  );
}

export class Output {
  readonly json: boolean;
  private readonly quiet: boolean;
  private readonly logger: Log;
  /** Objects read so far, for operations whose progress does not count them (restore, check). */
  objectsRead: (() => number) | null = null;
  private bar: SingleBar | null = null;
  private readonly started = Date.now();
  /** Where the result goes: stdout, unless stdout carries data (`restore --target -`). */
  private resultStream: NodeJS.WritableStream = process.stdout;

  constructor(v: Values) {
    this.json = flag(v, 'json');
    this.quiet = flag(v, 'quiet');
    this.logger = logger(flag(v, 'verbose'));
    if (this.showsProgress()) loadBars();
  }

  private showsProgress(): boolean {
    return !this.json && !this.quiet && process.stderr.isTTY === true;
  }

  /** The one JSON document of a --json run, or nothing otherwise. */
  result(doc: unknown, human: () => string): void {
    this.stopProgress();
    if (this.json) this.resultStream.write(`${JSON.stringify(doc)}\n`);
    else if (!this.quiet) this.resultStream.write(`${human()}\n`);
  }

  /** Stdout carries the command's data: the result (JSON or human) goes to stderr instead. */
  resultsToStderr(): void {
    this.resultStream = process.stderr;
  }

  /** One structured line on stderr under --verbose: `phase` names the step, `fields` its figures. */
  log(line: string, phase = 'info', fields: Record<string, unknown> = {}): void {
    this.logger.info({ phase, ...fields }, line);
  }

  warn(line: string): void {
    if (!this.quiet) process.stderr.write(`warning: ${line}\n`);
  }

  progress = (p: Progress): void => {
    // Until cli-progress has loaded (a few ms after the command starts), frames are skipped.
    if (!this.showsProgress() || !bars) return;
    if (!this.bar) {
      this.bar = new bars.SingleBar(
        {
          stream: process.stderr,
          // Not {total}/{value}: cli-progress fills those with its own raw numbers.
          format: '{phase} {bar} {doneH} / {totalH}  {rate}/s  {objects}  ETA {eta_formatted}',
          hideCursor: true,
          clearOnComplete: true,
          fps: 5,
        },
        bars.Presets.shades_classic,
      );
    }
    const secs = Math.max(0.001, (Date.now() - this.started) / 1000);
    const objects = p.objects || (this.objectsRead?.() ?? 0);
    const payload = { phase: p.phase, doneH: bytes(p.bytesDone), totalH: bytes(p.bytesTotal), rate: bytes(p.bytesDone / secs), objects: plural(objects, 'object') };
    // The first frame is drawn by start(), so it needs the payload too, or it shows '{phase}'.
    if (!this.bar.isActive) this.bar.start(Math.max(1, p.bytesTotal), p.bytesDone, payload);
    this.bar.setTotal(Math.max(1, p.bytesTotal));
    this.bar.update(p.bytesDone, payload);
  };

  stopProgress(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

export function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

/** "1 snapshot", "2 snapshots": `word` with an s unless n is 1. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
