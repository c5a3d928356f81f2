/** Messages between the render pool and its worker threads (types only: both sides import it). */
import type { ContentFormat } from '../../../shared/dto.ts';
import type { StructureLimits } from './structure.ts';

/** One render: the document as its Yjs updates, and how to render it. */
export interface RenderRequest {
  format: ContentFormat;
  updates: Uint8Array[];
  limits: StructureLimits;
}

/** What a worker says: once that it is ready, then one answer per request, in order. */
export type RenderWorkerMessage =
  | { kind: 'ready' }
  | { kind: 'rendered'; body: string }
  | { kind: 'failed'; tooComplex: boolean; message: string };
