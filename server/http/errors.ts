/** The one place errors become responses: everything leaves as problem+json, never a bare 500. */
import { Elysia } from 'elysia';
import type { Logger } from '../logger.ts';
import { HttpError, badRequest, notFound, payloadTooLarge, problemResponse, unprocessable } from './problem.ts';

interface ValueError {
  path?: string;
  message?: string;
}

function fieldName(path: string | undefined): string {
  const name = (path ?? '').replace(/^\//, '').replace(/\//g, '.');
  return name || 'body';
}

/** Maps Elysia's validation error to a problem naming each failing field. */
function validationProblem(error: { type?: string; all?: ValueError[] }): HttpError {
  const issues = (error.all ?? []).slice(0, 5);
  const fields = [...new Set(issues.map((issue) => fieldName(issue.path)))];
  const detail = issues.map((issue) => `${fieldName(issue.path)}: ${issue.message ?? 'invalid'}`).join('; ') || 'invalid request';
  // Invalid query strings and path parameters are bad requests; well-formed bodies that break
  // the rules are unprocessable.
  return error.type === 'body' ? unprocessable(detail, fields) : badRequest(detail, fields);
}

/** Installs the global error mapping. */
export function errorHandling(logger: Logger) {
  return new Elysia({ name: 'errors' }).onError({ as: 'global' }, ({ code, error, request }) => {
    const instance = new URL(request.url).pathname;
    if (error instanceof HttpError) return problemResponse(error, instance);
    switch (code) {
      case 'VALIDATION':
        return problemResponse(validationProblem(error as unknown as { type?: string; all?: ValueError[] }), instance);
      case 'PARSE':
        return problemResponse(badRequest('the request body is not valid JSON'), instance);
      case 'NOT_FOUND':
        return problemResponse(notFound(`no route ${request.method} ${instance}`), instance);
      case 'INVALID_COOKIE_SIGNATURE':
        return problemResponse(badRequest('invalid cookie'), instance);
    }
    if (error instanceof RangeError && /body|payload|size/i.test(error.message)) {
      return problemResponse(payloadTooLarge(error.message), instance);
    }
    logger.error('unhandled error in request', { method: request.method, path: instance, error });
    return problemResponse(new HttpError(500, 'Internal Server Error', 'something went wrong; it has been logged'), instance);
  });
}
