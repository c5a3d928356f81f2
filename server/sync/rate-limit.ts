/** A token bucket: `rate` tokens a second, holding at most `burst`. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number = rate,
    now: number = performance.now(),
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes one token; false when the bucket is empty. */
  take(now: number = performance.now()): boolean {
    return this.spend(1, now);
  }

  /** Takes `count` tokens at once; false (taking none) when there are fewer. */
  spend(count: number, now: number = performance.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < count) return false;
    this.tokens -= count;
    return true;
  }

  /** Seconds until a token will be available. */
  secondsUntilNext(): number {
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / this.rate);
  }

  /** Whether the bucket has refilled completely by `now` (it is then the same as a new one). */
  isFull(now: number = performance.now()): boolean {
    return this.tokens + ((now - this.last) / 1000) * this.rate >= this.burst;
  }
}

/**
 * Token buckets keyed by a string (a client address, an account id). Each refills continuously;
 * a periodic sweep forgets only buckets that have refilled completely, which is the same as
 * keeping them, so memory stays bounded without ever handing a limited key a fresh burst.
 */
export class KeyedRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly sweeper: ReturnType<typeof setInterval>;

  constructor(
    private readonly rate: number,
    private readonly burst: number = rate,
    sweepMs = 60_000,
  ) {
    this.sweeper = setInterval(() => this.sweep(), sweepMs);
    this.sweeper.unref?.();
  }

  /** Keys with a bucket that is not full. */
  get size(): number {
    return this.buckets.size;
  }

  /** Takes one token for `key`; returns 0 when allowed, else seconds to wait. */
  take(key: string, now: number = performance.now()): number {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.rate, this.burst, now);
      this.buckets.set(key, bucket);
    }
    return bucket.take(now) ? 0 : Math.max(1, bucket.secondsUntilNext());
  }

  /** Forgets the buckets that have refilled completely. */
  sweep(now: number = performance.now()): void {
    for (const [key, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(key);
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}

/**
 * Stock y-websocket clients send every awareness change they hear straight back (a relay that
 * changes nothing), so their message rate grows with the number of peers moving cursors. Each
 * change the room broadcast from others earns a connection one message past its rate, to be
 * spent only on such a relay; unspent credit is capped.
 */
export class RelayCredit {
  private credit = 0;

  constructor(
    /** The room's awareness broadcasts so far: only later ones earn credit. */
    private heard: number,
    private own: number,
    private readonly cap: number,
  ) {}

  /** Takes one credit, given the room's broadcasts so far and how many of them were this connection's own. */
  take(heard: number, own: number): boolean {
    this.credit = Math.min(this.cap, this.credit + (heard - this.heard) - (own - this.own));
    this.heard = heard;
    this.own = own;
    if (this.credit < 1) return false;
    this.credit -= 1;
    return true;
  }
}
