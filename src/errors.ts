// Typed errors grouped by what the user can do about them; the CLI maps `exitCode` to the
// process exit status in one place (exitCodeOf in src/cli/main.ts). Messages are one line and name the object,
// snapshot or byte range concerned.

export abstract class SnaptierError extends Error {
  abstract readonly code: string;
  abstract readonly exitCode: 1 | 2 | 3 | 4;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Failure of the environment: I/O, network after retries, access refused. Exit 1. */
export class EnvironmentError extends SnaptierError {
  readonly code: string = 'ENVIRONMENT';
  readonly exitCode = 1 as const;
}

/** Bad usage or bad input: flags, files, names, passwords. Exit 2. */
export class UsageError extends SnaptierError {
  readonly code: string = 'USAGE';
  readonly exitCode = 2 as const;
}

export class NotFoundInputError extends UsageError {
  override readonly code = 'NOT_FOUND';
}

export class WrongPasswordError extends UsageError {
  override readonly code = 'WRONG_PASSWORD';
}

export class UnsupportedVersionError extends UsageError {
  override readonly code = 'UNSUPPORTED_VERSION';
}

/** Damaged or missing data, or bytes that could not be proven correct. Exit 3. */
export class IntegrityError extends SnaptierError {
  readonly code: string = 'INTEGRITY';
  readonly exitCode = 3 as const;
}

/** A lease held by another operation, or immutability forbidding the change. Exit 4. */
export class ConflictError extends SnaptierError {
  readonly code: string = 'CONFLICT';
  readonly exitCode = 4 as const;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
