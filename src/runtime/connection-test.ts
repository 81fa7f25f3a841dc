/**
 * "Test connection" in the page (SPEC 5): probes `{endpoint}/models` the way the
 * engine will call it (through the relay when the page was served by
 * `npx tabsynth serve`, else with the browser's fetch), tells a CORS refusal from
 * an unreachable server with a no-cors request, reads Chrome's Local Network
 * Access permission, and hands what it saw to core's `diagnose`.
 *
 * A page on a public or non-loopback origin calling a loopback or private
 * endpoint asks with `targetAddressSpace`, so Chrome shows its permission prompt
 * where it can (a secure context); where it cannot, the diagnosis says why.
 */
import {
  diagnose,
  type Finding,
  type PageContext,
  type ProbeOutcome,
} from '../core/models/diagnose.ts';
import type { FetchLike } from '../core/models/fetch.ts';
import { addressSpaceHint } from './local-network-fetch.ts';
import { pageFetch, pageRelayInfo } from './relay-fetch.ts';

/** Chrome's Local Network Access hint for the probe (none through the relay). */
const hint = (page: PageContext, endpoint: string) =>
  page.viaRelay ? {} : addressSpaceHint(page.origin, endpoint);

/** How long the probe waits. */
export const TEST_TIMEOUT_MS = 10_000;

export interface ConnectionTestInput {
  endpoint: string;
  apiKey?: string;
  extraHeaders?: Record<string, string>;
  /** Model ids configured on this provider. */
  models: readonly string[];
}

export interface ConnectionTestHost {
  /** Default: the page's (relay-fetch.ts pageFetch). */
  fetch?: FetchLike;
  /** Default: this page's origin, secure context and relay. */
  page?: PageContext;
  /** Default: TEST_TIMEOUT_MS. */
  timeoutMs?: number;
}

/** Where this page (or worker) runs; `viaRelay` defaults to whether this page has a relay. */
export function currentPage(viaRelay = pageRelayInfo() !== undefined): PageContext {
  return { origin: globalThis.location.origin, secure: globalThis.isSecureContext, viaRelay };
}

export async function testConnection(
  input: ConnectionTestInput,
  host: ConnectionTestHost = {},
): Promise<Finding[]> {
  const page = host.page ?? currentPage();
  const endpoint = input.endpoint.trim().replace(/\/+$/, '');
  const probe = await probeModels(endpoint, input, page, host);
  return diagnose({ endpoint, models: input.models, probe, page });
}

async function probeModels(
  endpoint: string,
  input: ConnectionTestInput,
  page: PageContext,
  host: ConnectionTestHost,
): Promise<ProbeOutcome> {
  const timeoutMs = host.timeoutMs ?? TEST_TIMEOUT_MS;
  const url = `${endpoint}/models`;
  const headers: Record<string, string> = { ...input.extraHeaders };
  if (input.apiKey) headers['authorization'] = `Bearer ${input.apiKey}`;
  const signal = AbortSignal.timeout(timeoutMs);
  const doFetch = host.fetch ?? pageFetch();
  try {
    const init = { method: 'GET', headers, signal, ...hint(page, endpoint) };
    const res = await doFetch(url, init);
    return { kind: 'answered', status: res.status, body: await res.text() };
  } catch (err) {
    if (signal.aborted) return { kind: 'timeout', ms: timeoutMs };
    if (page.viaRelay) {
      return { kind: 'relay-failed', message: err instanceof Error ? err.message : String(err) };
    }
    return {
      kind: 'blocked',
      reachable: await reachableWithoutCors(url, page, endpoint),
      ...(await localNetworkPermission()),
    };
  }
}

/** Whether a no-cors request (no headers, opaque answer) reaches the URL: CORS refusal vs unreachable. */
async function reachableWithoutCors(
  url: string,
  page: PageContext,
  endpoint: string,
): Promise<boolean> {
  try {
    await fetch(url, {
      mode: 'no-cors',
      signal: AbortSignal.timeout(TEST_TIMEOUT_MS),
      ...hint(page, endpoint),
    } as RequestInit);
    return true;
  } catch {
    return false;
  }
}

/** Chrome's Local Network Access permission for this page, when it has one. */
async function localNetworkPermission(): Promise<{
  localNetwork?: 'granted' | 'denied' | 'prompt';
}> {
  for (const name of ['local-network-access', 'loopback-network', 'local-network']) {
    try {
      const status = await navigator.permissions.query({ name } as unknown as PermissionDescriptor);
      return { localNetwork: status.state };
    } catch {
      // Not a permission this browser knows: try the next name.
    }
  }
  return {};
}
