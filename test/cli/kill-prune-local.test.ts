// A kill -9 of prune and forget --prune at seeded moments on a local directory (the CLI kills
// itself at its n-th store request): see kill-prune-suite.ts for what every episode proves.
import { describe } from 'vitest';
import { describeKillPrune, localTarget } from './kill-prune-suite.js';

describe('kill -9 of prune, local directory', () => {
  describeKillPrune(localTarget, 6, 150_000);
});
