/**
 * TRUST_PROXY: which reverse proxies may tell the web app the client's address
 * (X-Forwarded-For). Off by default, so a client cannot pick its own address and slip past
 * the per-IP sign-in limit. Accepts what Fastify's `trustProxy` acts on:
 * - `true` / `false`: trust every hop / none (true only when nothing reaches the app but the proxy);
 * - addresses and CIDRs, comma-separated (`10.0.0.1, 192.168.0.0/16`), or the names
 *   `loopback`, `linklocal`, `uniquelocal`: trust those proxies only (the safest choice).
 * A hop count is refused, not accepted and ignored: Fastify 5 (5.12 here) treats a number as
 * "trust nobody", since a count cannot tell the proxy from a client that connects directly.
 */
import { isIP } from 'node:net';

export type TrustProxy = boolean | string[];

const RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** The parsed setting, or the reason it is not one (for ConfigError). */
export function parseTrustProxy(value: string | undefined): TrustProxy | { error: string } {
  const given = value?.trim() ?? '';
  if (given === '' || /^false$/i.test(given)) return false;
  if (/^true$/i.test(given)) return true;
  if (/^\d+$/.test(given)) {
    return {
      error: `a hop count ("${given}") is not supported: Fastify trusts no one for a count, as it cannot tell the proxy from a client; give the proxy's addresses or CIDRs instead`,
    };
  }
  const entries = given.split(',').map((e) => e.trim());
  for (const entry of entries) {
    if (!isTrustable(entry)) {
      return { error: `must be true, false, a hop count, or comma-separated IP addresses/CIDRs (not an address or CIDR: "${entry}")` };
    }
  }
  return entries;
}

function isTrustable(entry: string): boolean {
  if (RANGE_NAMES.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  // A prefix length; IPv4 also allows a dotted netmask, as proxy-addr does.
  if (/^\d{1,3}$/.test(prefix)) return Number(prefix) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(prefix) === 4;
}
