/**
 * Typed HTTP errors and their one mapping to RFC 9457 problem+json. Every failure the API
 * answers, from validation to a missing document, leaves through `problemResponse`.
 */
import type { DocumentRole, Problem } from '../../shared/dto.ts';
import { securityHeadersFor } from './security-headers.ts';

/** An error with an HTTP status, thrown by services and routes alike. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly extra: { fields?: string[]; headers?: Record<string, string>; requiredRole?: DocumentRole } = {},
  ) {
    super(detail ?? title);
    this.name = 'HttpError';
  }
}

export const badRequest = (detail: string, fields?: string[]) => new HttpError(400, 'Bad Request', detail, { fields });
export const unauthenticated = (detail = 'Sign in first: send the quire_session cookie or an Authorization: Bearer token.') =>
  new HttpError(401, 'Unauthorized', detail, { headers: { 'www-authenticate': 'Bearer realm="quire"' } });
export const forbidden = (detail: string) => new HttpError(403, 'Forbidden', detail);
/** 403 for a document: the caller may read it but lacks `requiredRole` for what it asked. */
export const roleRequired = (requiredRole: DocumentRole, detail: string) => new HttpError(403, 'Forbidden', detail, { requiredRole });
export const notFound = (detail: string) => new HttpError(404, 'Not Found', detail);
export const conflict = (detail: string) => new HttpError(409, 'Conflict', detail);
export const preconditionFailed = (detail: string) => new HttpError(412, 'Precondition Failed', detail);
export const payloadTooLarge = (detail: string) => new HttpError(413, 'Content Too Large', detail);
export const unprocessable = (detail: string, fields?: string[]) => new HttpError(422, 'Unprocessable Content', detail, { fields });
export const tooManyRequests = (retryAfterSeconds: number, detail = `Slow down: retry in ${retryAfterSeconds} s.`) =>
  new HttpError(429, 'Too Many Requests', detail, {
    headers: { 'retry-after': String(retryAfterSeconds) },
  });
export const serviceUnavailable = (detail: string) => new HttpError(503, 'Service Unavailable', detail);

/** Builds the problem+json response for an error. */
export function problemResponse(error: HttpError, instance?: string): Response {
  const body: Problem = {
    type: `https://quire.dev/problems/${error.status}`,
    title: error.title,
    status: error.status,
    ...(error.detail ? { detail: error.detail } : {}),
    ...(instance ? { instance } : {}),
    ...(error.extra.fields?.length ? { fields: error.extra.fields } : {}),
    ...(error.extra.requiredRole ? { requiredRole: error.extra.requiredRole } : {}),
  };
  return new Response(JSON.stringify(body), {
    status: error.status,
    // Problems are often early refusals that no later hook sees, so they carry these themselves.
    headers: { 'content-type': 'application/problem+json', ...securityHeadersFor(instance ?? '/'), ...error.extra.headers },
  });
}
