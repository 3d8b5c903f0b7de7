import { errorCatalog, type ErrorCode } from './catalog.js';

export type ErrorParams = Readonly<Record<string, string | number>>;

/** Fills `{name}` placeholders; unknown placeholders stay visible so a missing param is noticed. */
export function formatErrorMessage(template: string, params: ErrorParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in params ? String(params[key]) : whole,
  );
}

/**
 * The one error type that crosses module boundaries. Its code picks the HTTP status and message
 * template from the catalog, so a handler never invents statuses or wording.
 */
export class BulwarkError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly params: ErrorParams;

  constructor(code: ErrorCode, params: ErrorParams = {}, options?: { cause?: unknown }) {
    const definition = errorCatalog[code];
    super(formatErrorMessage(definition.message, params), options);
    this.name = 'BulwarkError';
    this.code = code;
    this.status = definition.status;
    this.params = params;
  }

  /** The body every JSON API answers with; JupyterHub clients read `status` and `message`. */
  toJSON(): { status: number; code: ErrorCode; message: string } {
    return { status: this.status, code: this.code, message: this.message };
  }
}

export function isBulwarkError(value: unknown): value is BulwarkError {
  return value instanceof BulwarkError;
}
