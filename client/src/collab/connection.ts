/**
 * The editor's connection state as a pure reducer over what the sync provider reports, so the
 * page can always say where the user's words are: connecting, synced, offline with unsent
 * changes, reconnecting, or gone for good.
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
  /** Local edits were made since the last completed sync and may not have reached the server. */
  unsent: boolean;
  /** The connection has synced at least once, so a drop is a reconnect, not a first connect. */
  hasSynced: boolean;
  /** Code of the last close the server sent, if any. */
  lastCloseCode: number | null;
}

/** What the provider and the document report. */
export type ConnectionEvent =
  | { type: 'status'; status: 'connecting' | 'connected' | 'disconnected' }
  | { type: 'sync'; synced: boolean }
  | { type: 'local-change' }
  | { type: 'close'; code: number }
  | { type: 'closed'; code: number };

export const initialConnectionState: ConnectionState = {
  phase: 'connecting',
  unsent: false,
  hasSynced: false,
  lastCloseCode: null,
};

const TERMINAL_PHASES: ReadonlySet<ConnectionPhase> = new Set(['gone', 'unauthenticated', 'forbidden']);

/** Whether the provider has stopped for good and the page should say why. */
export function isTerminal(phase: ConnectionPhase): boolean {
  return TERMINAL_PHASES.has(phase);
}

function terminalPhase(code: number): ConnectionPhase | null {
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

/** Applies one provider event. */
export function connectionReducer(state: ConnectionState, event: ConnectionEvent): ConnectionState {
  if (isTerminal(state.phase)) return state;
  switch (event.type) {
    case 'status':
      if (event.status === 'connected') return { ...state, phase: 'syncing' };
      if (event.status === 'disconnected') return { ...state, phase: 'offline' };
      // A retry after a drop (or after a failed first attempt) is a reconnect.
      return { ...state, phase: state.hasSynced || state.phase === 'offline' ? 'reconnecting' : 'connecting' };
    case 'sync':
      if (event.synced) return { ...state, phase: 'synced', unsent: false, hasSynced: true };
      return state.phase === 'synced' ? { ...state, phase: 'syncing' } : state;
    case 'local-change':
      return state.phase === 'synced' || state.unsent ? state : { ...state, unsent: true };
    case 'close':
      return { ...state, lastCloseCode: event.code };
    case 'closed': {
      const phase = terminalPhase(event.code);
      return phase === null ? { ...state, lastCloseCode: event.code } : { ...state, phase, lastCloseCode: event.code };
    }
  }
}

/** Short label for the badge. */
export function connectionLabel(state: ConnectionState): string {
  switch (state.phase) {
    case 'connecting':
      return 'Connecting…';
    case 'syncing':
      return 'Syncing…';
    case 'synced':
      return 'Synced';
    case 'offline':
      return state.unsent ? 'Offline · unsent changes' : 'Offline';
    case 'reconnecting':
      return state.unsent ? 'Offline · unsent changes · reconnecting…' : 'Offline · reconnecting…';
    case 'gone':
      return 'Document unavailable';
    case 'unauthenticated':
      return 'Signed out';
    case 'forbidden':
      return 'Access denied';
  }
}

/** Longer explanation for the badge's tooltip and screen readers. */
export function connectionDescription(state: ConnectionState): string {
  switch (state.phase) {
    case 'connecting':
      return 'Connecting to the server.';
    case 'syncing':
      return 'Connected; exchanging changes with the server.';
    case 'synced':
      return 'All changes are saved on the server.';
    case 'offline':
    case 'reconnecting':
      return state.unsent
        ? 'The server cannot be reached. Your changes are kept in this page and will be sent when the connection returns.'
        : 'The server cannot be reached. Trying again.';
    case 'gone':
      return 'This document no longer exists.';
    case 'unauthenticated':
      return 'Your session has ended. Sign in again to keep editing.';
    case 'forbidden':
      return 'This session may not open this document.';
  }
}
