/**
 * Failed sign-ins counted per (account, client address): after `maxFailures` within `windowMs`
 * that pair waits until the oldest failure leaves the window. Keyed by the pair, so nobody can
 * lock an account's owner out from another address. Per instance: behind a load balancer each
 * instance counts on its own.
 */
export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly sweep: ReturnType<typeof setInterval>;

  constructor(
    private readonly maxFailures = 5,
    private readonly windowMs = 60_000,
  ) {
    this.sweep = setInterval(() => this.forgetOld(), windowMs);
    this.sweep.unref?.();
  }

  /** Seconds the pair must wait before trying again; 0 when it may try now. */
  wait(account: string, address: string, now = Date.now()): number {
    const recent = this.recent(this.key(account, address), now);
    if (recent.length < this.maxFailures) return 0;
    return Math.max(1, Math.ceil((recent[0]! + this.windowMs - now) / 1000));
  }

  failed(account: string, address: string, now = Date.now()): void {
    const key = this.key(account, address);
    const recent = this.recent(key, now);
    recent.push(now);
    this.failures.set(key, recent.slice(-this.maxFailures));
  }

  succeeded(account: string, address: string): void {
    this.failures.delete(this.key(account, address));
  }

  close(): void {
    clearInterval(this.sweep);
  }

  private key(account: string, address: string): string {
    return `${account}\u0000${address}`;
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => at > now - this.windowMs);
  }

  private forgetOld(now = Date.now()): void {
    for (const [key, times] of this.failures) if (times.every((at) => at <= now - this.windowMs)) this.failures.delete(key);
  }
}
