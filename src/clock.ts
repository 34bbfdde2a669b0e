// The one clock of the library: everything that asks "what time is it" (prune's view of running
// backups, checkpoint times, lock ages) takes a Clock, so a test can hold time still or move it
// by hand instead of sleeping. Times are ms since the epoch, as Date.now().

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told: for tests of ages, grace periods and lock expiry. */
export class ManualClock implements Clock {
  constructor(private ms: number) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** A Clock from the older `() => number` style (RetentionWrapOptions.now, LockRequest.clock). */
export function clockOf(now: () => number): Clock {
  return { now };
}
