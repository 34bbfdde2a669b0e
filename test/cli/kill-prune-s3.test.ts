// A kill -9 of prune and forget --prune at seeded moments on s3rver (a proxy kills the CLI before
// or after its n-th request, one kill aimed at each step of the run): see kill-prune-suite.ts.
import { describe } from 'vitest';
import { describeKillPrune, s3Target } from './kill-prune-suite.js';

describe('kill -9 of prune, S3 (s3rver)', () => {
  describeKillPrune(s3Target, 5, 150_000);
});
