/**
 * Activity across instances. Events reach each instance's readers from the database, in id
 * order, rather than from Redis: a Redis message only says "there is news", and the tail reads
 * everything after the last id it published. So a reader never sees id 11 before id 10, even
 * when two instances store events at once, and nothing missed during a Redis outage is lost.
 */
import type { ActivityEvent } from '../../shared/activity.ts';
import type { Logger } from '../logger.ts';
import type { ActivityHub } from '../modules/activity/hub.ts';
import type { Store } from '../storage/store.ts';
import type { ClusterBus } from './bus.ts';
import { ClusterMessageKind } from './messages.ts';

const PAGE = 1000;
const EMPTY = new Uint8Array(0);

/** Publishes stored activity to this instance's hub in id order, prompted locally or by peers. */
export class ActivityTail {
  private lastPublished = 0;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly store: Store,
    private readonly hub: ActivityHub,
    private readonly bus: ClusterBus,
    private readonly logger: Logger,
  ) {
    bus.onGlobal((message) => {
      if (message.kind === ClusterMessageKind.activity) this.poke();
    });
    bus.onReconnect(() => this.poke());
  }

  /** Starts after the newest stored event: readers resume older ones from storage themselves. */
  async start(): Promise<void> {
    const [newest] = await this.store.listActivity({ limit: 1, documentId: null, before: null });
    this.lastPublished = newest?.id ?? 0;
  }

  /** The `announce` of the activity service: read the news here, and tell the other instances. */
  announce = (_stored: ActivityEvent[]): void => {
    this.poke();
    this.bus.publishGlobal({ kind: ClusterMessageKind.activity, documentId: '', payload: EMPTY });
  };

  /** Reads and publishes everything after the last published id; coalesces overlapping calls. */
  poke(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) => this.logger.error('reading activity for live readers failed', { error }))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const events = await this.store.activitySince(this.lastPublished, null, PAGE);
      if (events.length === 0) return;
      this.lastPublished = events[events.length - 1]!.id;
      this.hub.publish(events, await this.store.access.rules(events.map((event) => event.documentId)));
      if (events.length < PAGE) return;
    }
  }
}
