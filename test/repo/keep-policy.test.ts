// The forget policy as a pure function: restic's bucket rules, in UTC, on hand-made cases.
import { describe, expect, it } from 'vitest';
import { applyPolicy, hasRules, isoWeek, type KeepPolicy } from '../../src/repo/keep-policy.js';

const t = (iso: string) => ({ iso, timeMs: Date.parse(iso) });
const kept = (items: ReturnType<typeof t>[], p: KeepPolicy) => applyPolicy(items, p).keep.map((x) => x.iso);

describe('keep policy', () => {
  const items = [
    '2021-01-01T00:00:01Z', // ISO week 53 of 2020
    '2020-12-31T23:59:59Z',
    '2020-12-31T10:00:00Z',
    '2021-01-04T00:30:00Z', // week 1 of 2021
    '2021-01-04T00:10:00Z',
    '2021-01-04T01:00:00Z',
    '2021-02-10T12:00:00Z',
    '2022-03-01T12:00:00Z',
  ].map(t);

  it('keeps the newest snapshots with keep-last, newest first', () => {
    expect(kept(items, { last: 3 })).toEqual(['2022-03-01T12:00:00Z', '2021-02-10T12:00:00Z', '2021-01-04T01:00:00Z']);
  });

  it('keeps the newest snapshot of each of the last N hours, days, weeks, months, years that have snapshots', () => {
    expect(kept(items, { hourly: 4 })).toEqual(['2022-03-01T12:00:00Z', '2021-02-10T12:00:00Z', '2021-01-04T01:00:00Z', '2021-01-04T00:30:00Z']);
    expect(kept(items, { daily: 4 })).toEqual(['2022-03-01T12:00:00Z', '2021-02-10T12:00:00Z', '2021-01-04T01:00:00Z', '2021-01-01T00:00:01Z']);
    // 2021-01-01 and 2020-12-31 share ISO week 2020-W53: one is kept for both.
    expect(kept(items, { weekly: 5 })).toEqual(['2022-03-01T12:00:00Z', '2021-02-10T12:00:00Z', '2021-01-04T01:00:00Z', '2021-01-01T00:00:01Z']);
    expect(kept(items, { monthly: 3 })).toEqual(['2022-03-01T12:00:00Z', '2021-02-10T12:00:00Z', '2021-01-04T01:00:00Z']);
    expect(kept(items, { yearly: 5 })).toEqual(['2022-03-01T12:00:00Z', '2021-02-10T12:00:00Z', '2020-12-31T23:59:59Z']);
  });

  it('keeps the union of the rules, each counting on its own', () => {
    const r = applyPolicy(items, { last: 1, daily: 2, yearly: 3 });
    expect(r.keep.map((x) => x.iso)).toEqual(['2022-03-01T12:00:00Z', '2021-02-10T12:00:00Z', '2020-12-31T23:59:59Z']);
    expect(r.reasons.get(r.keep[0]!)).toEqual(['last', 'daily', 'yearly']);
    expect(r.remove).toHaveLength(items.length - 3);
  });

  it('sees a policy without counts as no policy', () => {
    expect(hasRules({})).toBe(false);
    expect(hasRules({ daily: 0 })).toBe(false);
    expect(hasRules({ weekly: 1 })).toBe(true);
  });

  it('numbers ISO weeks across year boundaries', () => {
    expect(isoWeek(Date.parse('2020-12-31T12:00:00Z'))).toEqual({ year: 2020, week: 53 });
    expect(isoWeek(Date.parse('2021-01-03T23:00:00Z'))).toEqual({ year: 2020, week: 53 });
    expect(isoWeek(Date.parse('2021-01-04T00:00:00Z'))).toEqual({ year: 2021, week: 1 });
    expect(isoWeek(Date.parse('2024-12-30T00:00:00Z'))).toEqual({ year: 2025, week: 1 });
    expect(isoWeek(Date.parse('2027-01-01T00:00:00Z'))).toEqual({ year: 2026, week: 53 });
  });
});
