/**
 * The browser's fetch for model requests, with Chrome's Local Network Access hint:
 * a request from a page (or its worker) to a more private address than the page's
 * own (a public https site calling `http://127.0.0.1:11434`) carries
 * `targetAddressSpace`, so Chrome treats it as a local-network request (asking the
 * user once, where it can) rather than blocking it as mixed content. Other
 * requests go out unchanged; browsers without Local Network Access ignore the field.
 */
import { addressSpaceOf, localNetworkApplies } from '../core/models/diagnose.ts';
import type { FetchLike } from '../core/models/fetch.ts';

/** `{ targetAddressSpace }` for a request from `pageOrigin` to `url` that Local Network Access guards, else `{}`. */
export function addressSpaceHint(pageOrigin: string, url: string): Record<string, string> {
  if (!localNetworkApplies(pageOrigin, url)) return {};
  const host = /^[a-z]+:\/\/(?:[^@/?#]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(url)?.[1] ?? '';
  return { targetAddressSpace: addressSpaceOf(host) === 'loopback' ? 'loopback' : 'local' };
}

/** fetch with the hint, for code running at `pageOrigin` (default: this global's location). */
export function localNetworkFetch(
  pageOrigin: string = typeof location === 'undefined' ? '' : location.origin,
): FetchLike {
  return (url, init) => fetch(url, { ...init, ...addressSpaceHint(pageOrigin, url) });
}
