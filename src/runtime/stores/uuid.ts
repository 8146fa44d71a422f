/** Audit event ids shared by the SQL stores. */
import { randomUUID } from 'node:crypto';

/**
 * A time-ordered UUID (version 7, RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. Audit event ids
 * of one database then grow with time, so each insert lands on the last page of the `id` index instead of a
 * random one.
 *
 * @example
 * ```ts
 * uuidV7() // '019a7f4e-8c2a-7b3d-9f1e-2c4d5e6f7a8b'
 * ```
 */
export function uuidV7(): string {
  const ms = Date.now().toString(16).padStart(12, '0');
  // randomUUID(): xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx; keep its random bits after the version nibble (and the
  // RFC 4122 variant), put the timestamp in front and version 7.
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${randomUUID().slice(15)}`;
}
