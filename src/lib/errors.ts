/** Typed domain errors with a stable `code` and HTTP status; web/errors.ts is the one place turning them into responses. */

export abstract class AppError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
}

/** The thing asked for does not exist (or is not public). */
export class NotFound extends AppError {
  readonly code = 'not_found';
  readonly status = 404;
  constructor(message = 'Not found') {
    super(message);
    this.name = 'NotFound';
  }
}

/** The request carries no valid credentials (content API key or token); answered with 401 and WWW-Authenticate. */
export class Unauthorized extends AppError {
  readonly code = 'unauthorized';
  readonly status = 401;
  constructor(message = 'Unauthorized') {
    super(message);
    this.name = 'Unauthorized';
  }
}

/** The caller may not do this. */
export class Forbidden extends AppError {
  readonly code = 'forbidden';
  readonly status = 403;
  constructor(message = 'Forbidden') {
    super(message);
    this.name = 'Forbidden';
  }
}

/** Input failed validation; `fields` maps each bad field name to a message a person can act on. */
export class ValidationError extends AppError {
  readonly code = 'validation_failed';
  readonly status = 422;
  constructor(
    readonly fields: Record<string, string>,
    message = Object.values(fields).join(' '),
  ) {
    super(message);
    this.name = 'ValidationError';
  }
  /** The first failing field, for single-field JSON error shapes. */
  get field(): string | undefined {
    return Object.keys(this.fields)[0];
  }
}

/** A request parameter is malformed (e.g. an unknown field name or a foreign cursor); `field` names it. */
export class BadRequest extends AppError {
  readonly code = 'bad_request';
  readonly status = 400;
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'BadRequest';
  }
}

/** The change conflicts with stored state (e.g. a duplicate slug). */
export class Conflict extends AppError {
  readonly code = 'conflict';
  readonly status = 409;
  constructor(message = 'Conflict') {
    super(message);
    this.name = 'Conflict';
  }
}

/** Too many requests from one reader in a period; `retryAfterSeconds` goes into the Retry-After header. */
export class TooManyRequests extends AppError {
  readonly code = 'too_many_requests';
  readonly status = 429;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'TooManyRequests';
  }
}

/** A state-changing request a browser sent from another site (cross-site request forgery): web/cross-origin.ts. */
export class CrossOriginRequest extends AppError {
  readonly code = 'cross_origin';
  readonly status = 403;
  constructor(message = 'This form was sent from another site.') {
    super(message);
    this.name = 'CrossOriginRequest';
  }
}
