// A hybrid logical clock (Kulkarni et al., 2014): timestamps that follow wall time yet order every change causally.

/** One timestamp: wall-clock ms, a counter for events within one ms, and the device that made it (ties broken by it). */
export interface Hlc {
  wall: number;
  counter: number;
  device: string;
}

export interface HybridLogicalClockOptions {
  /** A per-install id, kept outside the vault's folder so two desktops syncing one vault never share it. */
  device: string;
  /** The wall clock in ms. @default Date.now */
  now?: () => number;
}

/** Orders timestamps by wall time, then counter, then device id: a total order, so merges pick the same winner. */
export function compareHlc(a: Hlc, b: Hlc): number {
  if (a.wall !== b.wall) return a.wall < b.wall ? -1 : 1;
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
  return a.device < b.device ? -1 : a.device > b.device ? 1 : 0;
}

export class HybridLogicalClock {
  readonly device: string;
  readonly #now: () => number;
  #last: Hlc;

  constructor(options: HybridLogicalClockOptions) {
    if (!options.device) throw new RangeError('device must be a non-empty id, got an empty string');
    this.device = options.device;
    this.#now = options.now ?? Date.now;
    this.#last = { wall: 0, counter: 0, device: this.device };
  }

  /** A timestamp for a local change, after every one this clock has issued or received. */
  tick(): Hlc {
    const wall = Math.max(this.#last.wall, this.#now());
    const counter = wall === this.#last.wall ? this.#last.counter + 1 : 0;
    this.#last = { wall, counter, device: this.device };
    return { ...this.#last };
  }

  /**
   * Takes in a timestamp from another copy (a synced file), so the next tick orders after it even if this machine's
   * clock runs behind; returns the timestamp of the receipt.
   */
  receive(remote: Hlc): Hlc {
    const now = this.#now();
    const wall = Math.max(this.#last.wall, remote.wall, now);
    let counter: number;
    if (wall === this.#last.wall && wall === remote.wall) counter = Math.max(this.#last.counter, remote.counter) + 1;
    else if (wall === this.#last.wall) counter = this.#last.counter + 1;
    else if (wall === remote.wall) counter = remote.counter + 1;
    else counter = 0;
    this.#last = { wall, counter, device: this.device };
    return { ...this.#last };
  }
}
