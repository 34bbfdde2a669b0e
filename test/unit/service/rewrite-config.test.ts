// The daemon's per-volume rewriteAt (as backup --rewrite-at): 16 unless set, 0 allowed (never
// rewrite), and a value that is no whole number of chunks named by its key path.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../src/service/config.js';

const config = (extra: string) => `
stateDir: /tmp/x
repositories:
  main: { url: /tmp/repo }
volumes:
  db01:
    repository: main
    schedule: "0 */4 * * *"
    source: { type: file, path: /dev/vg0/db01 }
${extra}
policies: []
`;

describe('daemon configuration of rewriteAt', () => {
  it('defaults to 16, takes 0, and refuses what is not a whole number of chunks', () => {
    expect(parseConfig(config(''), 'c.yaml').volumes.db01!.rewriteAt).toBe(16);
    expect(parseConfig(config('    rewriteAt: 0'), 'c.yaml').volumes.db01!.rewriteAt).toBe(0);
    for (const bad of ['-1', '2.5', 'many']) {
      let problems: string[] = [];
      try {
        parseConfig(config(`    rewriteAt: ${bad}`), 'c.yaml');
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        problems = err.problems;
      }
      expect(problems.join('\n'), `rewriteAt: ${bad}`).toMatch(/volumes\.db01\.rewriteAt/);
    }
  });
});
