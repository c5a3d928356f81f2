/** The one place errors become responses: everything leaves as problem+json, never a bare 500. */
import { Elysia } from 'elysia';
import type { Logger } from '../logger.ts';
import { HttpError, badRequest, notFound, payloadTooLarge, problemResponse, unprocessable } from './problem.ts';

interface ValueError {
  path?: string;
  message?: string;
}

function fieldName(path: string | undefined, fallback: string): string {
  const name = (path ?? '').replace(/^\//, '').replace(/\//g, '.');
  return name || fallback;
}

/** Maps Elysia's validation error to a problem naming each failing field. */
function validationProblem(error: { type?: string; all?: ValueError[] }): HttpError {
  const issues = (error.all ?? []).slice(0, 5);
  // Query and path values converted one by one ("property" errors) come without a path.
  const fallback = error.type === 'body' ? 'body' : 'parameter';
  const fields = [...new Set(issues.map((issue) => fieldName(issue.path, fallback)))];
  const detail = issues.map((issue) => `${fieldName(issue.path, fallback)}: ${issue.message ?? 'invalid'}`).join('; ') || 'invalid request';
  // Invalid query strings and path parameters are bad requests; well-formed bodies that break
  // the rules are unprocessable.
  return error.type === 'body' ? unprocessable(detail, fields) : badRequest(detail, fields);
}

/** Installs the global error mapping. */
export function errorHandling(logger: Logger) {
  return new Elysia({ name: 'errors' }).onError({ as: 'global' }, ({ code, error, request }) => {
    const instance = new URL(request.url).pathname;
    if (error instanceof HttpError) return problemResponse(error, instance);
    // Elysia wraps whatever a body parser throws (the guard's 413, say) in its ParseError.
    const cause = (error as { cause?: unknown }).cause;
    if (code === 'PARSE' && cause instanceof HttpError) return problemResponse(cause, instance);
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
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      // Recursion ran out of stack on some input: its shape, not its size, is the problem.
      logger.warn('stack overflow in request', { method: request.method, path: instance });
      return problemResponse(unprocessable('the request or the document it touches is too deeply nested to process'), instance);
    }
    if (error instanceof RangeError && /body|payload|size/i.test(error.message)) {
      return problemResponse(payloadTooLarge(error.message), instance);
    }
    logger.error('unhandled error in request', { method: request.method, path: instance, error });
    return problemResponse(new HttpError(500, 'Internal Server Error', 'something went wrong; it has been logged'), instance);
  });
}
