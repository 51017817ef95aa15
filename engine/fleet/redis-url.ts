import type { RedisOptions } from 'bullmq';
import { InputError } from '../kernel/errors.js';

/**
 * `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS) as connection options. The
 * password is never echoed: a message names the URL with it masked.
 */
export function redisOptions(text: string): RedisOptions {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(`--redis: expected a URL such as redis://host:6379 or rediss://user:password@host:6380/0, got "${maskedUrl(text)}"`);
  }
  const fail = (why: string): never => {
    throw new InputError(`--redis: ${why}, got "${maskedUrl(text)}"`);
  };
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') fail('expected the scheme redis:// or rediss:// (TLS)');
  if (url.hostname === '') fail('expected a host name');
  const port = url.port === '' ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : /^\d{1,2}$/.test(dbText) ? Number(dbText) : fail('expected a database number 0 to 99 as the path');
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    db,
    ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
    ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
    ...(url.protocol === 'rediss:' ? { tls: { servername: url.hostname } } : {}),
    // BullMQ's workers block on Redis and must not give up a command after a few retries.
    maxRetriesPerRequest: null,
  };
}

/** The URL as it may be shown: a password is replaced by `***`. */
export function maskedUrl(text: string): string {
  return text.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}
