/**
 * What the model relay agrees to send (SPEC 5: not an open proxy): http(s) URLs
 * only, GET and POST only, never to a link-local or cloud-metadata address, whatever
 * name resolves to it. Loopback and private addresses stay allowed: a model server
 * on this machine or the local network is what the relay is for.
 *
 * The address check runs in the lookup the connection itself uses, so a name that
 * resolves differently the second time (DNS rebinding) cannot slip past it.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/** A request the relay will not send; its message says why. */
export class RelayRefusal extends Error {
  override readonly name = 'RelayRefusal';
}

const METHODS = new Set(['GET', 'POST']);

/** Names of cloud metadata services (they resolve to link-local addresses, refused anyway). */
const METADATA_HOSTS = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

const BLOCKED = new BlockList();
// Link-local: cloud metadata (169.254.169.254, 169.254.170.2) and friends.
BLOCKED.addSubnet('169.254.0.0', 16, 'ipv4');
BLOCKED.addSubnet('fe80::', 10, 'ipv6');
// "This network": 0.0.0.0 reaches loopback services on some systems without looking like it.
BLOCKED.addSubnet('0.0.0.0', 8, 'ipv4');
// AWS's IPv6 metadata address; Alibaba Cloud's metadata address.
BLOCKED.addAddress('fd00:ec2::254', 'ipv6');
BLOCKED.addAddress('100.100.100.200', 'ipv4');

/** Whether `address` (an IP literal) is link-local or a metadata service. */
function isBlockedAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return BLOCKED.check(mapped[1]!, 'ipv4');
  const family = isIP(bare);
  if (family === 0) return false;
  return BLOCKED.check(bare, family === 6 ? 'ipv6' : 'ipv4');
}

/** The URL to send `method` to, or a RelayRefusal naming what is wrong with it. */
export function checkTarget(method: string, url: string): URL {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new RelayRefusal(`the relay sends only http(s) URLs, got ${JSON.stringify(url)}`);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new RelayRefusal(
      `the relay sends only http(s) URLs, got a ${target.protocol.replace(/:$/, '')}: URL`,
    );
  }
  if (!METHODS.has(method)) {
    throw new RelayRefusal(`the relay sends only GET and POST requests, got ${method}`);
  }
  const host = target.hostname.toLowerCase().replace(/\.$/, '');
  if (METADATA_HOSTS.has(host) || isBlockedAddress(host)) {
    throw new RelayRefusal(
      `the relay does not send requests to ${target.host}: link-local and cloud metadata addresses are refused`,
    );
  }
  return target;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** dns.lookup that fails for names resolving to a refused address (the `lookup` option of http.request). */
export function guardedLookup(
  hostname: string,
  options: LookupOptions,
  callback: LookupCallback,
): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const refused = addresses.find((a) => isBlockedAddress(a.address));
    if (refused || addresses.length === 0) {
      return callback(
        new RelayRefusal(
          `the relay does not send requests to ${hostname}: it resolves to ${refused?.address ?? 'no address'}, a link-local or metadata address`,
        ),
        '',
      );
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0]!;
    callback(null, first.address, first.family);
  });
}
