/** How a render that failed or was refused is answered over HTTP (live content and revisions alike). */
import { HttpError, tooManyRequests, unprocessable } from '../../http/problem.ts';
import { RenderRefusedError, RenderTimeoutError } from './render-pool.ts';
import { DocumentTooComplexError } from './structure.ts';

/** The HTTP error for a render that failed or was refused; anything else passes through. */
export function renderProblem(error: unknown): unknown {
  if (error instanceof DocumentTooComplexError) return unprocessable(`cannot render this document: ${error.message}`);
  if (error instanceof RenderTimeoutError) return unprocessable(`this document is too complex to render within limits: ${error.message}`);
  if (!(error instanceof RenderRefusedError)) return error;
  if (error.reason === 'owner') return tooManyRequests(error.retryAfterSeconds, `Too many renders at once: ${error.message}; retry in ${error.retryAfterSeconds} s.`);
  const headers = { 'retry-after': String(error.retryAfterSeconds) };
  return new HttpError(503, 'Service Unavailable', `Cannot render now: ${error.message}; retry in ${error.retryAfterSeconds} s.`, { headers });
}

