/**
 * The wire between a tab and the model relay of `npx tabsynth serve` (SPEC 5): one
 * WebSocket carries every model request of the tab, each tagged with an id, as JSON
 * text frames. The page learns the relay's path and this start's token from a
 * `<meta name="tabsynth-relay">` tag that the relay writes into the pages it serves.
 */

/** Where the relay listens for the tab's WebSocket, on the page's own origin. */
export const RELAY_PATH = '/__tabsynth/relay';
/** The meta tag the relay writes into every page it serves. */
export const RELAY_META_NAME = 'tabsynth-relay';
/** The query parameter that carries the token on the WebSocket URL. */
export const RELAY_TOKEN_PARAM = 'token';

/** What a page served by the relay knows of it. */
export interface RelayInfo {
  /** The WebSocket URL, token included: `ws://127.0.0.1:4173/__tabsynth/relay?token=...`. */
  url: string;
}

/** Tab to relay: send this HTTP request. */
export interface RelayRequest {
  type: 'request';
  id: number;
  /** An http(s) URL. */
  url: string;
  method: string;
  headers: Record<string, string>;
  /** Default: none. */
  body?: string;
}

/** Tab to relay: the request `id` was abandoned. */
export interface RelayAbort {
  type: 'abort';
  id: number;
}

export type RelayClientMessage = RelayRequest | RelayAbort;

/** Relay to tab: the endpoint's answer, whole. */
export interface RelayResponse {
  type: 'response';
  id: number;
  status: number;
  statusText: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string;
}

/** Relay to tab: no answer. `refused`: the relay would not send it (not http(s), a metadata address). */
export interface RelayFailure {
  type: 'failure';
  id: number;
  message: string;
  refused: boolean;
}

export type RelayServerMessage = RelayResponse | RelayFailure;

/** Reads a tab's frame; undefined when it is not one of RelayClientMessage's shapes. */
export function parseClientMessage(text: string): RelayClientMessage | undefined {
  const m = parseObject(text);
  if (!m || !Number.isSafeInteger(m['id'])) return undefined;
  const id = m['id'] as number;
  if (m['type'] === 'abort') return { type: 'abort', id };
  if (m['type'] !== 'request') return undefined;
  const { url, method, headers, body } = m;
  if (typeof url !== 'string' || typeof method !== 'string') return undefined;
  if (body !== undefined && typeof body !== 'string') return undefined;
  if (!isStringRecord(headers)) return undefined;
  return { type: 'request', id, url, method, headers, ...(body !== undefined ? { body } : {}) };
}

/** Reads a relay's frame; undefined when it is not one of RelayServerMessage's shapes. */
export function parseServerMessage(text: string): RelayServerMessage | undefined {
  const m = parseObject(text);
  if (!m || !Number.isSafeInteger(m['id'])) return undefined;
  const id = m['id'] as number;
  if (m['type'] === 'failure' && typeof m['message'] === 'string') {
    return { type: 'failure', id, message: m['message'], refused: m['refused'] === true };
  }
  const { status, statusText, headers, body } = m;
  if (
    m['type'] !== 'response' ||
    typeof status !== 'number' ||
    typeof statusText !== 'string' ||
    typeof body !== 'string' ||
    !isStringRecord(headers)
  ) {
    return undefined;
  }
  return { type: 'response', id, status, statusText, headers, body };
}

/** The relay's WebSocket URL for a page at `location` with the meta tag's `content` (path and token). */
export function relayInfoFrom(
  content: string | null | undefined,
  location: { protocol: string; host: string },
): RelayInfo | undefined {
  if (!content) return undefined;
  const meta = parseObject(content);
  const token = meta?.['token'];
  const path = meta?.['path'];
  if (typeof token !== 'string' || typeof path !== 'string' || !path.startsWith('/')) {
    return undefined;
  }
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return {
    url: `${scheme}//${location.host}${path}?${RELAY_TOKEN_PARAM}=${encodeURIComponent(token)}`,
  };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function isStringRecord(v: unknown): v is Record<string, string> {
  return (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    Object.values(v).every((x) => typeof x === 'string')
  );
}
