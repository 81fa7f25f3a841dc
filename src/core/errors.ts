/**
 * The one catalogue of tabsynth's errors. Every error the core throws is a
 * TabsynthError with a stable `code`; a worker boundary carries it as
 * `{ code, message, details }` and `fromWire` rebuilds the same class on the far side.
 */

/** Stable codes. Never renumber or rename one: the UI, traces and tests key on them. */
export const ErrorCodes = {
  /** The config failed validation; `details.issues` lists every problem. */
  CONFIG_INVALID: 'CONFIG_INVALID',
  /** A YAML or JSON document could not be parsed at all. */
  CONFIG_SYNTAX: 'CONFIG_SYNTAX',
  /** A Data Designer feature that a browser cannot honour. */
  CONFIG_UNSUPPORTED: 'CONFIG_UNSUPPORTED',
  /** A template does not parse. */
  TEMPLATE_SYNTAX: 'TEMPLATE_SYNTAX',
  /** A template failed while rendering one cell (non-retryable for that cell). */
  TEMPLATE_RENDER: 'TEMPLATE_RENDER',
  /** A template went over a sandbox bound (size, nesting, output, loop iterations). */
  TEMPLATE_LIMIT: 'TEMPLATE_LIMIT',
  /** The model endpoint answered 429. Retryable through the model's limiter. */
  MODEL_RATE_LIMITED: 'MODEL_RATE_LIMITED',
  /** The model request timed out. Retryable. */
  MODEL_TIMEOUT: 'MODEL_TIMEOUT',
  /** The endpoint answered 5xx or 408. Retryable. */
  MODEL_SERVER: 'MODEL_SERVER',
  /** The connection failed or was reset. Retryable. */
  MODEL_NETWORK: 'MODEL_NETWORK',
  /** The endpoint refused the request (4xx other than 408/429). Not retryable. */
  MODEL_REQUEST_REJECTED: 'MODEL_REQUEST_REJECTED',
  /** The endpoint's answer could not be used (not JSON, no choices, invalid output). Not retryable. */
  MODEL_BAD_RESPONSE: 'MODEL_BAD_RESPONSE',
  /** A generator failed for a reason of its own. */
  GENERATOR_FAILED: 'GENERATOR_FAILED',
  /** A processor failed; the run stops (committed row groups stay). */
  PROCESSOR_FAILED: 'PROCESSOR_FAILED',
  /** A sampler constraint could not be met within the rejection budget. */
  CONSTRAINT_UNSATISFIABLE: 'CONSTRAINT_UNSATISFIABLE',
  /** The run was cancelled through its AbortSignal. */
  RUN_CANCELLED: 'RUN_CANCELLED',
  /** Early shutdown: too many failures over the recent window. */
  RUN_SHUTDOWN: 'RUN_SHUTDOWN',
  /** The run ended without committing a single row. */
  RUN_NOTHING_COMMITTED: 'RUN_NOTHING_COMMITTED',
  /** Resume was asked for a run whose config changed. */
  RUN_CONFIG_CHANGED: 'RUN_CONFIG_CHANGED',
  /** No run with that id in the store. */
  RUN_NOT_FOUND: 'RUN_NOT_FOUND',
  /** The store is out of space; committed data stays. */
  STORE_QUOTA: 'STORE_QUOTA',
  /** The store failed to read or write for another reason. */
  STORE_IO: 'STORE_IO',
  /** A stored record is not what any version of the store wrote; it affects only its own run. */
  STORE_DAMAGED: 'STORE_DAMAGED',
  /** A stored record was written by a newer tabsynth (a later store schema) than this one. */
  STORE_NEWER: 'STORE_NEWER',
  /** A call to a worker timed out or its worker died. */
  WORKER_LOST: 'WORKER_LOST',
  /** A bad argument to a public function (a programming error on the caller's side). */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  /** A bug in tabsynth itself (a TypeError and the like): the run stops, committed data stays. */
  INTERNAL: 'INTERNAL',
  /** An expression column dropped every row of a row group (SPEC 3.6): the run stops. */
  EXPRESSION_NO_VALID_ROWS: 'EXPRESSION_NO_VALID_ROWS',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Codes whose failure may succeed when tried again. */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ErrorCodes.MODEL_RATE_LIMITED,
  ErrorCodes.MODEL_TIMEOUT,
  ErrorCodes.MODEL_SERVER,
  ErrorCodes.MODEL_NETWORK,
  ErrorCodes.WORKER_LOST,
]);

export function isRetryableCode(code: ErrorCode): boolean {
  return RETRYABLE.has(code);
}

export interface ErrorDetails {
  [key: string]: unknown;
}

export class TabsynthError extends Error {
  override readonly name: string = 'TabsynthError';
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(
    code: ErrorCode,
    message: string,
    details: ErrorDetails = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  /** Whether trying the same thing again may succeed. */
  get retryable(): boolean {
    return isRetryableCode(this.code);
  }
}

/** One problem found in a config, at a path such as `columns[3].params.high`. */
export interface ConfigIssue {
  /** Dotted/indexed path into the config, '' for the root. */
  path: string;
  /** What was expected and what was found. */
  message: string;
}

export class ConfigError extends TabsynthError {
  override readonly name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], code: ErrorCode = ErrorCodes.CONFIG_INVALID) {
    const readable = issues.map(readableIssue);
    super(code, formatIssues(readable), { issues: readable });
    this.issues = readable;
  }
}

/** Quoted text longer than this is shortened in an issue's message. */
const LONG_QUOTE = 200;
const LONG_QUOTED = new RegExp(`(['"])([^'"\\n]{${LONG_QUOTE + 1},})\\1`, 'g');

/**
 * The issue with every quoted ('' or "") name or value over LONG_QUOTE characters cut to its
 * start and its length: a 200 000-character column name quoted whole would bury
 * the message (and every line after it).
 */
export function readableIssue(issue: ConfigIssue): ConfigIssue {
  if (issue.message.length <= LONG_QUOTE) return issue;
  const message = issue.message.replace(
    LONG_QUOTED,
    (_, quote: string, text: string) =>
      `${quote}${text.slice(0, 60)}…${quote} (${text.length} characters)`,
  );
  return message === issue.message ? issue : { ...issue, message };
}

function formatIssues(issues: readonly ConfigIssue[]): string {
  const n = issues.length;
  const head = `config has ${n} problem${n === 1 ? '' : 's'}`;
  return [head, ...issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`)].join('\n');
}

export class TemplateError extends TabsynthError {
  override readonly name = 'TemplateError';
}

/** A failed model request. `status` is the HTTP status when there was one. */
export class ModelError extends TabsynthError {
  override readonly name = 'ModelError';
  /** HTTP status, when the endpoint answered. */
  get status(): number | undefined {
    return typeof this.details['status'] === 'number' ? this.details['status'] : undefined;
  }
  /** Milliseconds the endpoint asked us to wait (Retry-After), when it said. */
  get retryAfterMs(): number | undefined {
    const v = this.details['retryAfterMs'];
    return typeof v === 'number' ? v : undefined;
  }
}

export class RunError extends TabsynthError {
  override readonly name = 'RunError';
}

export class StoreError extends TabsynthError {
  override readonly name = 'StoreError';
}

/** The form an error takes across a worker boundary or in a manifest. */
export interface WireError {
  code: ErrorCode;
  message: string;
  details?: ErrorDetails;
}

export function toWire(err: unknown): WireError {
  if (err instanceof TabsynthError) {
    return { code: err.code, message: err.message, details: plainDetails(err.details) };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: ErrorCodes.GENERATOR_FAILED, message };
}

/** Rebuilds the catalogue's class for a wire error. */
export function fromWire(wire: WireError): TabsynthError {
  const details = wire.details ?? {};
  switch (wire.code) {
    case ErrorCodes.CONFIG_INVALID:
    case ErrorCodes.CONFIG_SYNTAX:
    case ErrorCodes.CONFIG_UNSUPPORTED: {
      const issues = Array.isArray(details['issues'])
        ? (details['issues'] as ConfigIssue[])
        : [{ path: '', message: wire.message }];
      return new ConfigError(issues, wire.code);
    }
    case ErrorCodes.TEMPLATE_SYNTAX:
    case ErrorCodes.TEMPLATE_RENDER:
    case ErrorCodes.TEMPLATE_LIMIT:
      return new TemplateError(wire.code, wire.message, details);
    case ErrorCodes.MODEL_RATE_LIMITED:
    case ErrorCodes.MODEL_TIMEOUT:
    case ErrorCodes.MODEL_SERVER:
    case ErrorCodes.MODEL_NETWORK:
    case ErrorCodes.MODEL_REQUEST_REJECTED:
    case ErrorCodes.MODEL_BAD_RESPONSE:
      return new ModelError(wire.code, wire.message, details);
    case ErrorCodes.STORE_QUOTA:
    case ErrorCodes.STORE_IO:
    case ErrorCodes.STORE_DAMAGED:
    case ErrorCodes.STORE_NEWER:
      return new StoreError(wire.code, wire.message, details);
    case ErrorCodes.RUN_CANCELLED:
    case ErrorCodes.RUN_SHUTDOWN:
    case ErrorCodes.RUN_NOTHING_COMMITTED:
    case ErrorCodes.RUN_CONFIG_CHANGED:
    case ErrorCodes.RUN_NOT_FOUND:
      return new RunError(wire.code, wire.message, details);
    default:
      return new TabsynthError(wire.code, wire.message, details);
  }
}

/** Keeps only what survives structured cloning and JSON: no functions, no class instances. */
function plainDetails(details: ErrorDetails): ErrorDetails {
  return JSON.parse(JSON.stringify(details)) as ErrorDetails;
}

/** The AbortSignal's reason as a RUN_CANCELLED error. */
export function cancelledError(signal?: AbortSignal): RunError {
  const reason: unknown = signal?.reason;
  if (reason instanceof RunError && reason.code === ErrorCodes.RUN_CANCELLED) return reason;
  return new RunError(ErrorCodes.RUN_CANCELLED, 'the run was cancelled');
}
