/** API failures as one error type that carries the server's problem+json document. */
import type { Problem } from '../../../shared/dto.ts';

/** A failed API call: the HTTP status and, when the server sent one, its problem document. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problemMessage(status, problem));
    this.name = 'ApiError';
  }
}

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    'title' in value &&
    typeof value.title === 'string' &&
    'status' in value &&
    typeof value.status === 'number'
  );
}

/** Reads a problem document from a parsed body, or from a JSON string of one. */
export function asProblem(body: unknown): Problem | null {
  if (typeof body === 'string') {
    try {
      return asProblem(JSON.parse(body));
    } catch {
      return null;
    }
  }
  return isProblem(body) ? body : null;
}

/** The sentence a person sees for a failed call. */
export function problemMessage(status: number, problem: Problem | null): string {
  if (problem?.detail) return problem.detail;
  if (problem?.title) return problem.title;
  if (status === 0) return 'The server cannot be reached. Check your connection and try again.';
  if (status === 401) return 'You are signed out.';
  if (status === 404) return 'Not found.';
  if (status >= 500) return 'The server had a problem. Try again in a moment.';
  return `Request failed (${status}).`;
}

/** Whether an error is an API error with this status. */
export function hasStatus(error: unknown, status: number): boolean {
  return error instanceof ApiError && error.status === status;
}

/**
 * Whether a call failed because the server could not be reached (no response at all), as
 * opposed to the server answering with an error. Only then may cached data stand in.
 */
export function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError;
}

/** A message for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return problemMessage(0, null);
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/** What a failed form submission says: a message per named field, and one for the whole form. */
export interface FormErrors<F extends string> {
  fields: Partial<Record<F, string>>;
  /** Set when the failure names none of the form's fields (a wrong password, the network). */
  form: string | null;
}

/**
 * Splits a failure over a form's `fields`, from the problem's `fields`. A validation detail
 * reads "password: too short; email: invalid", so each field gets its own part; a detail
 * without such parts goes to every field it names. `byStatus` names the field a status is
 * about when the problem names none (a 409 on sign-up is about the email).
 */
export function formErrors<F extends string>(
  error: unknown,
  fields: readonly F[],
  byStatus: Partial<Record<number, F>> = {},
): FormErrors<F> {
  if (error === null || error === undefined) return { fields: {}, form: null };
  const listed = error instanceof ApiError ? (error.problem?.fields ?? []) : [];
  const implied = error instanceof ApiError && listed.length === 0 ? byStatus[error.status] : undefined;
  const named = (implied === undefined ? listed : [implied]).filter((field): field is F => fields.includes(field as F));
  if (named.length === 0) return { fields: {}, form: errorMessage(error) };
  const detail = error instanceof ApiError ? error.message : '';
  const parts = new Map<string, string>();
  for (const part of detail.split(/;\s*/)) {
    const match = /^([\w.]+):\s*(.+)$/.exec(part);
    if (match?.[1] !== undefined && match[2] !== undefined) parts.set(match[1], match[2]);
  }
  const result: Partial<Record<F, string>> = {};
  for (const field of named) result[field] = parts.get(field) ?? detail;
  return { fields: result, form: null };
}
