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
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Seconds until a token will be available. */
  secondsUntilNext(): number {
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / this.rate);
  }
}

/** Token buckets keyed by a string (client IP), forgetting idle keys so memory stays bounded. */
export class KeyedRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly sweep: ReturnType<typeof setInterval>;

  constructor(
    private readonly rate: number,
    private readonly burst: number = rate,
    sweepMs = 60_000,
  ) {
    this.sweep = setInterval(() => this.buckets.clear(), sweepMs);
    this.sweep.unref?.();
  }

  /** Takes one token for `key`; returns 0 when allowed, else seconds to wait. */
  take(key: string): number {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.rate, this.burst);
      this.buckets.set(key, bucket);
    }
    return bucket.take() ? 0 : Math.max(1, bucket.secondsUntilNext());
  }

  close(): void {
    clearInterval(this.sweep);
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
