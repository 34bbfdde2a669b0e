// Progress of a long operation, reported through a callback; the CLI draws it, tests ignore it.
export interface Progress {
  phase: string;
  bytesDone: number;
  bytesTotal: number;
  bytesUploaded: number;
  objects: number;
}

export type ProgressFn = (p: Progress) => void;
