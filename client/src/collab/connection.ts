/**
 * The editor's connection and saving state as a pure reducer over what the sync provider, the
 * save marks and the browser report, so the badge can always say where the user's words are:
 * saved on the server, on their way, kept on this device while offline, or stranded because the
 * document is gone.
 */
import { CloseCode } from '../../../shared/close-codes.ts';

/** Where the connection stands. `gone`, `unauthenticated` and `forbidden` are terminal. */
export type ConnectionPhase =
  | 'connecting'
  | 'syncing'
  | 'synced'
  | 'offline'
  | 'reconnecting'
  | 'gone'
  | 'unauthenticated'
  | 'forbidden';

/** The state the connection badge and the editor page render. */
export interface ConnectionState {
  phase: ConnectionPhase;
  /** Local edit transactions counted so far, including unsent ones restored from this device. */
  edits: number;
  /** How many of `edits` the server has confirmed durable (a save mark's acknowledgement). */
  savedEdits: number;
  /**
   * A save mark sent on the current connection after its sync was acknowledged: the server holds
   * everything this client had when the connection synced. Reset by every new connection.
   */
  confirmed: boolean;
  /** When (ms since epoch) the oldest edit not yet confirmed was made; null when none is pending. */
  unsentSince: number | null;
  /** The browser reports no network (`navigator.onLine` false). */
  browserOffline: boolean;
  /** The connection has synced at least once, so a drop is a reconnect, not a first connect. */
  hasSynced: boolean;
  /** Code of the last close the server sent, if any. */
  lastCloseCode: number | null;
}

/** What the provider, the save marks, the device copy and the browser report. */
export type ConnectionEvent =
  | { type: 'status'; status: 'connecting' | 'connected' | 'disconnected' }
  | { type: 'sync'; synced: boolean }
  /** One local edit transaction, made at `at`. */
  | { type: 'local-change'; at: number }
  /** Unsent edits found on this device when the document opened (a reload, a closed tab). */
  | { type: 'restored'; unsent: number; at: number }
  /** The server acknowledged a save mark that was sent when `edits` edits had been counted. */
  | { type: 'saved'; edits: number }
  /** A connection attempt or an open connection ended; `code` is null when the client closed it. */
  | { type: 'close'; code: number | null }
  /** The provider stopped for good after the server's close `code`. */
  | { type: 'closed'; code: number }
  | { type: 'network'; online: boolean };

export const initialConnectionState: ConnectionState = {
  phase: 'connecting',
  edits: 0,
  savedEdits: 0,
  confirmed: false,
  unsentSince: null,
  browserOffline: false,
  hasSynced: false,
  lastCloseCode: null,
};

const TERMINAL_PHASES: ReadonlySet<ConnectionPhase> = new Set(['gone', 'unauthenticated', 'forbidden']);

/** Whether the provider has stopped for good and the page should say why. */
export function isTerminal(phase: ConnectionPhase): boolean {
  return TERMINAL_PHASES.has(phase);
}

/** The terminal phase a close code means, if it is one. */
export function terminalPhase(code: number): ConnectionPhase | null {
  switch (code) {
    case CloseCode.notFound:
      return 'gone';
    case CloseCode.unauthenticated:
      return 'unauthenticated';
    case CloseCode.forbidden:
      return 'forbidden';
    default:
      return null;
  }
}

/** Local edits the server has not confirmed durable. */
export function unsentCount(state: ConnectionState): number {
  return Math.max(0, state.edits - state.savedEdits);
}

/** The server holds every local change durably: the only state in which the badge says "Saved". */
export function isSaved(state: ConnectionState): boolean {
  return state.phase === 'synced' && state.confirmed && !state.browserOffline && unsentCount(state) === 0;
}

/** Whether the page holds changes the server may not have (for the leave-page warning). */
export function hasUnsaved(state: ConnectionState): boolean {
  return unsentCount(state) > 0;
}

/** Whether the badge should read as offline. */
export function isOffline(state: ConnectionState): boolean {
  if (isTerminal(state.phase)) return false;
  return state.browserOffline || state.phase === 'offline' || state.phase === 'reconnecting';
}

function withSaved(state: ConnectionState, edits: number): ConnectionState {
  const savedEdits = Math.max(state.savedEdits, Math.min(edits, state.edits));
  const allSaved = savedEdits >= state.edits;
  // An acknowledgement only vouches for this connection's sync once the sync has happened.
  const confirmed = state.phase === 'synced' ? true : state.confirmed;
  return { ...state, savedEdits, confirmed, unsentSince: allSaved ? null : state.unsentSince };
}

/** Applies one event. */
export function connectionReducer(state: ConnectionState, event: ConnectionEvent): ConnectionState {
  // Counting goes on after a terminal close: the rescue offer needs to know what was never sent.
  if (event.type === 'local-change') {
    return { ...state, edits: state.edits + 1, unsentSince: state.unsentSince ?? event.at };
  }
  if (event.type === 'restored') {
    if (event.unsent <= 0) return state;
    return { ...state, edits: state.edits + event.unsent, unsentSince: state.unsentSince ?? event.at };
  }
  if (isTerminal(state.phase)) return state;
  switch (event.type) {
    case 'status':
      if (event.status === 'connected') return { ...state, phase: 'syncing', confirmed: false };
      if (event.status === 'disconnected') return { ...state, phase: 'offline', confirmed: false };
      // A retry after a drop (or after a failed first attempt) is a reconnect.
      return {
        ...state,
        phase: state.hasSynced || state.phase === 'offline' || state.phase === 'reconnecting' ? 'reconnecting' : 'connecting',
        confirmed: false,
      };
    case 'sync':
      if (event.synced) return { ...state, phase: 'synced', hasSynced: true };
      return state.phase === 'synced' ? { ...state, phase: 'syncing', confirmed: false } : state;
    case 'saved':
      return withSaved(state, event.edits);
    case 'close':
      // Any ended attempt means the server is not reachable right now, even one that never opened.
      return { ...state, phase: 'offline', confirmed: false, lastCloseCode: event.code ?? state.lastCloseCode };
    case 'closed': {
      const phase = terminalPhase(event.code);
      return phase === null ? { ...state, lastCloseCode: event.code } : { ...state, phase, lastCloseCode: event.code };
    }
    case 'network':
      if (event.online) return { ...state, browserOffline: false };
      return { ...state, browserOffline: true, phase: 'offline', confirmed: false };
  }
}

function changes(count: number): string {
  return count === 1 ? '1 change' : `${count} changes`;
}

/** Unsent edits older than this show how long they have waited. */
export const SHOW_AGE_AFTER_MS = 10_000;

/** Short label for the badge. `now` decides the age shown for long-pending saves. */
export function connectionLabel(state: ConnectionState, now: number = Date.now()): string {
  const unsent = unsentCount(state);
  if (isTerminal(state.phase)) {
    if (state.phase === 'gone') return 'Document unavailable';
    return state.phase === 'unauthenticated' ? 'Signed out' : 'Access denied';
  }
  if (isOffline(state)) return unsent > 0 ? `Offline – ${changes(unsent)} kept on this device` : 'Offline';
  if (state.phase === 'connecting') return unsent > 0 ? `Connecting… (${changes(unsent)} kept on this device)` : 'Connecting…';
  if (isSaved(state)) return 'Saved';
  if (unsent === 0) return 'Syncing…';
  const pending = unsent === 1 ? '1 unsent change' : `${unsent} unsent changes`;
  const age = state.unsentSince === null ? 0 : now - state.unsentSince;
  return age >= SHOW_AGE_AFTER_MS ? `Saving… (${pending}, waiting ${Math.floor(age / 1000)} s)` : `Saving… (${pending})`;
}

/** Longer explanation for the badge's tooltip and screen readers. */
export function connectionDescription(state: ConnectionState): string {
  const unsent = unsentCount(state);
  switch (state.phase) {
    case 'gone':
      return 'This document no longer exists.';
    case 'unauthenticated':
      return 'Your session has ended. Sign in again to keep editing.';
    case 'forbidden':
      return 'This session may not open this document.';
    default:
      break;
  }
  if (isOffline(state)) {
    return unsent > 0
      ? 'The server cannot be reached. Your changes are kept in this browser and will be sent when the connection returns.'
      : 'The server cannot be reached. Trying again.';
  }
  if (isSaved(state)) return 'All changes are saved on the server.';
  if (state.phase === 'connecting') return 'Connecting to the server.';
  return unsent > 0
    ? 'Connected; waiting for the server to confirm your latest changes are stored.'
    : 'Connected; exchanging changes with the server.';
}
