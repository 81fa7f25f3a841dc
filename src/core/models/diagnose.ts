/**
 * "Test connection" (SPEC 5): from what a probe of `{endpoint}/models` saw, names
 * the cause of a failure and the fix for the server it recognises: unreachable,
 * refused by CORS, blocked by Local Network Access, key refused, model unknown; and,
 * when it works, the six-connection limit a browser puts on an http:// endpoint.
 * Pure: the probing (fetch, no-cors, permissions) lives in src/runtime/connection-test.ts.
 */
import { BROWSER_CONNECTIONS_PER_ORIGIN, httpOrigin } from './connection-budget.ts';

/** What the probe saw. */
export type ProbeOutcome =
  /** A readable answer to GET {endpoint}/models. */
  | { kind: 'answered'; status: number; body: string }
  /**
   * The browser hid the answer or the failure (a fetch TypeError). `reachable`: a
   * no-cors request to the same URL went through (true), failed too (false), or
   * was not tried (undefined). `localNetwork`: Chrome's local network access
   * permission for this page, when the browser has one.
   */
  | {
      kind: 'blocked';
      reachable: boolean | undefined;
      localNetwork?: 'granted' | 'denied' | 'prompt';
    }
  /** Nothing within `ms`. */
  | { kind: 'timeout'; ms: number }
  /** Through the relay: the relay could not reach it, or would not send it; its words. */
  | { kind: 'relay-failed'; message: string };

/** Where the page runs. */
export interface PageContext {
  /** e.g. `http://192.0.2.7:8080`. */
  origin: string;
  /** window.isSecureContext. */
  secure: boolean;
  /** Served by `npx tabsynth serve`: requests go through its relay. */
  viaRelay: boolean;
}

type FindingKind =
  | 'connected'
  | 'unreachable'
  | 'cors'
  | 'local-network'
  | 'key'
  | 'model-unknown'
  | 'no-models-route'
  | 'http-error'
  | 'timeout'
  | 'connection-limit';

/** One thing the test found, in words naming the endpoint, and what to do. */
export interface Finding {
  kind: FindingKind;
  /** False for what stops a run; true for success and for advice. */
  ok: boolean;
  message: string;
  /** Default: none. */
  fix?: string;
}

export interface DiagnoseInput {
  /** The provider's endpoint, e.g. `http://127.0.0.1:11434/v1`. */
  endpoint: string;
  /** The model ids configured on this provider. */
  models: readonly string[];
  probe: ProbeOutcome;
  page: PageContext;
}

/** Where an address sits, for Local Network Access: the more private, the more guarded. */
type AddressSpace = 'loopback' | 'local' | 'public';

const RANK: Record<AddressSpace, number> = { loopback: 0, local: 1, public: 2 };

/** The address space of a host name or IP literal (names other than localhost count as public). */
export function addressSpaceOf(host: string): AddressSpace {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\./.test(h)) {
    return 'loopback';
  }
  if (
    /^10\./.test(h) ||
    /^192\.168\./.test(h) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(h) ||
    /^169\.254\./.test(h) ||
    /^f[cd][0-9a-f]{2}:/.test(h) ||
    /^fe80:/.test(h) ||
    h.endsWith('.local')
  ) {
    return 'local';
  }
  return 'public';
}

/** Host (no port) of a URL, lower-cased; '' when it is not one. */
function hostOf(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(url.trim());
  return m ? m[1]!.toLowerCase() : '';
}

/** Whether Chrome's Local Network Access guards a request from `page` to `endpoint`. */
export function localNetworkApplies(pageOrigin: string, endpoint: string): boolean {
  const target = hostOf(endpoint);
  return target !== '' && RANK[addressSpaceOf(target)] < RANK[addressSpaceOf(hostOf(pageOrigin))];
}

/** A server recognised from its endpoint, and how it allows a page's origin. */
interface KnownServer {
  name: string;
  /** How to allow `origin`; undefined when the server sends no CORS headers at all. */
  cors: ((origin: string) => string) | undefined;
}

/** The server an endpoint most likely is (by host, else by its usual port). */
function recogniseServer(endpoint: string): KnownServer | undefined {
  const host = hostOf(endpoint);
  const port = /^[a-z]+:\/\/[^/?#]*:(\d+)/i.exec(endpoint)?.[1];
  if (host.endsWith('nvidia.com')) return { name: "NVIDIA's hosted API", cors: undefined };
  if (host === 'api.openai.com') {
    return { name: 'OpenAI', cors: () => 'OpenAI allows browser origins; check the endpoint URL' };
  }
  if (host.endsWith('openrouter.ai')) {
    return { name: 'OpenRouter', cors: () => 'OpenRouter allows browser origins; check the URL' };
  }
  switch (port) {
    case '11434':
      return {
        name: 'Ollama',
        cors: (o) =>
          `start Ollama with OLLAMA_ORIGINS=${o} (e.g. OLLAMA_ORIGINS=${o} ollama serve)`,
      };
    case '1234':
      return {
        name: 'LM Studio',
        cors: () => 'in LM Studio, Developer → Server Settings, turn on "Enable CORS"',
      };
    case '8000':
      return {
        name: 'vLLM',
        cors: (o) => `start vLLM with --allowed-origins '["${o}"]' (its default allows any origin)`,
      };
    case '8080':
      return {
        name: "llama.cpp's llama-server",
        cors: () =>
          'recent llama-server builds allow any origin; update llama.cpp, or add Access-Control-Allow-Origin in the proxy in front of it',
      };
    case '30000':
      return {
        name: 'SGLang',
        cors: () => 'SGLang allows any origin by default; check a proxy in front of it',
      };
    default:
      return undefined;
  }
}

const SERVE_FIX = 'open the app with npx tabsynth serve: its relay calls the endpoint from Node';

export function diagnose(input: DiagnoseInput): Finding[] {
  const { endpoint, probe, page } = input;
  const at = endpoint.replace(/\/+$/, '');
  switch (probe.kind) {
    case 'timeout':
      return [
        {
          kind: 'timeout',
          ok: false,
          message: `${at} did not answer within ${Math.round(probe.ms / 1000)} s`,
          fix: 'check that the server is running and not overloaded, and that the endpoint URL is right',
        },
      ];
    case 'relay-failed':
      return [
        {
          kind: 'unreachable',
          ok: false,
          message: `cannot reach ${at} from the relay: ${probe.message}`,
          fix: 'check that the server is running and the endpoint URL (host, port, /v1) is right',
        },
      ];
    case 'blocked':
      return [blocked(at, probe, page)];
    case 'answered':
      return answered(at, input, probe);
  }
}

function blocked(
  at: string,
  probe: Extract<ProbeOutcome, { kind: 'blocked' }>,
  page: PageContext,
): Finding {
  if (localNetworkApplies(page.origin, at) && probe.localNetwork !== 'granted') {
    const space = addressSpaceOf(hostOf(at)) === 'loopback' ? 'this machine' : 'the local network';
    if (!page.secure) {
      return {
        kind: 'local-network',
        ok: false,
        message: `blocked by Local Network Access: this page (${page.origin}) is not a secure context, so Chrome does not let it reach ${at} on ${space}, and cannot ask you`,
        fix: 'open the app from https or from localhost, or with npx tabsynth serve on the machine that runs the browser',
      };
    }
    return {
      kind: 'local-network',
      ok: false,
      message:
        probe.localNetwork === 'denied'
          ? `blocked by Local Network Access: this site may not reach ${at} on ${space} (the permission was denied)`
          : `blocked by Local Network Access: Chrome asks before ${page.origin} may reach ${at} on ${space}`,
      fix:
        probe.localNetwork === 'denied'
          ? "allow local network access in the site's settings (the icon left of the address), then test again"
          : 'allow it when Chrome asks (test again to see the prompt), or open the app with npx tabsynth serve',
    };
  }
  if (probe.reachable === false) {
    return {
      kind: 'unreachable',
      ok: false,
      message: `cannot reach ${at}: nothing answered`,
      fix: 'check that the server is running, and the endpoint URL (host, port, http or https, /v1)',
    };
  }
  const server = recogniseServer(at);
  const how = server?.cors?.(page.origin);
  return {
    kind: 'cors',
    ok: false,
    message: `${at} answered, but refused this page's origin (${page.origin}) by CORS${server ? ` — it looks like ${server.name}` : ''}`,
    fix: server
      ? how
        ? `${how}; or ${SERVE_FIX}`
        : `${server.name} sends no CORS headers, so no page can call it directly: ${SERVE_FIX}`
      : `make the server send Access-Control-Allow-Origin: ${page.origin} and allow the Authorization header, or ${SERVE_FIX}`,
  };
}

function answered(
  at: string,
  input: DiagnoseInput,
  probe: Extract<ProbeOutcome, { kind: 'answered' }>,
): Finding[] {
  const { status } = probe;
  if (status === 401 || status === 403) {
    return [
      {
        kind: 'key',
        ok: false,
        message: `${at} refused the API key (HTTP ${status})`,
        fix: 'check the API key of this provider (set, current, and for this service)',
      },
    ];
  }
  if (status === 404) {
    return [
      {
        kind: 'no-models-route',
        ok: false,
        message: `${at}/models does not exist (HTTP 404)`,
        fix: 'an OpenAI-compatible endpoint usually ends in /v1, e.g. http://127.0.0.1:8000/v1',
      },
    ];
  }
  if (status < 200 || status >= 300) {
    return [
      {
        kind: 'http-error',
        ok: false,
        message: `${at}/models answered HTTP ${status}: ${probe.body.slice(0, 200)}`,
      },
    ];
  }
  const listed = listedModels(probe.body);
  const findings: Finding[] = [];
  const unknown = listed ? input.models.filter((m) => !listed.includes(m)) : [];
  if (listed && unknown.length > 0) {
    findings.push({
      kind: 'model-unknown',
      ok: false,
      message: `${at} does not know ${unknown.map((m) => `"${m}"`).join(', ')}; it lists ${listed.length > 0 ? listed.slice(0, 20).join(', ') : 'no models'}${listed.length > 20 ? ` and ${listed.length - 20} more` : ''}`,
      fix: 'set the model id to one the server lists (or load that model on the server)',
    });
  } else {
    findings.push({
      kind: 'connected',
      ok: true,
      message: `connected to ${at}${listed ? `: ${listed.length} models listed` : ''}`,
    });
  }
  const origin = httpOrigin(at);
  if (origin && !input.page.viaRelay) {
    findings.push({
      kind: 'connection-limit',
      ok: true,
      message: `a browser opens at most ${BROWSER_CONNECTIONS_PER_ORIGIN} connections to ${origin} (http://), so this tab sends at most ${BROWSER_CONNECTIONS_PER_ORIGIN} requests at once there, whatever max_parallel_requests says`,
      fix: 'to lift it, open the app with npx tabsynth serve, or put HTTPS with HTTP/2 in front of the server',
    });
  }
  return findings;
}

/** The ids of an OpenAI `/models` list (`{data: [{id}]}`; Ollama's `{models: [{name}]}` too), or undefined. */
export function listedModels(body: string): string[] | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const o = json as { data?: unknown; models?: unknown } | null;
  const items = Array.isArray(o?.data) ? o.data : Array.isArray(o?.models) ? o.models : undefined;
  if (!items) return undefined;
  return items
    .map((m: unknown) => {
      const r = m as { id?: unknown; name?: unknown } | null;
      return typeof r?.id === 'string' ? r.id : typeof r?.name === 'string' ? r.name : undefined;
    })
    .filter((id): id is string => id !== undefined);
}
