// The daemon's configuration for archive tiers: a `tier` policy (data packs older than N days to
// a class) and a drill that rehydrates at a priority; mistakes named by key path and line.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../src/service/config.js';
import { policySpec } from '../../../src/service/specs.js';

const config = (policies: string) => `
stateDir: /tmp/x
repositories:
  main: { url: /tmp/repo }
volumes:
  db01:
    repository: main
    schedule: "0 */4 * * *"
    source: { type: file, path: /dev/vg0/db01 }
policies:
${policies}`;

function problems(text: string): string[] {
  try {
    parseConfig(text, 'c.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('daemon configuration of archive tiers', () => {
  it('accepts a tier policy and a drill that rehydrates; the tier job shares its repository', () => {
    const cfg = parseConfig(
      config(`  - { name: cold, kind: tier, schedule: "0 4 * * *", repository: main, olderThanDays: 30, class: DEEP_ARCHIVE }
  - { name: drill, kind: drill, schedule: "0 6 1 * *", volume: db01, scratch: /tmp/drill, rehydrate: bulk }`),
      'c.yaml',
    );
    expect(cfg.policies[0]).toMatchObject({ kind: 'tier', olderThanDays: 30, class: 'DEEP_ARCHIVE' });
    expect(cfg.policies[1]).toMatchObject({ kind: 'drill', rehydrate: 'bulk' });
    expect(policySpec(cfg, 'cold')).toMatchObject({ kind: 'tier', repository: 'main', needs: { repositories: ['main'], exclusive: false } });
  });

  it('names an unknown repository, a negative age and an unknown priority by key path and line', () => {
    // Shapes are checked first, references once the shapes are right.
    const shapes = problems(
      config(`  - { name: young, kind: tier, schedule: "0 4 * * *", repository: main, olderThanDays: -1, class: GLACIER }
  - { name: drill, kind: drill, schedule: "0 6 1 * *", volume: db01, scratch: /tmp/drill, rehydrate: soon }`),
    ).join('\n');
    expect(shapes).toMatch(/c\.yaml:11: policies\.0\.olderThanDays/);
    expect(shapes).toMatch(/c\.yaml:12: policies\.1\.rehydrate/);
    const refs = problems(config(`  - { name: cold, kind: tier, schedule: "0 4 * * *", repository: nowhere, olderThanDays: 30, class: GLACIER }`));
    expect(refs.join('\n')).toMatch(/c\.yaml:11: policies\.0\.repository/);
  });
});
