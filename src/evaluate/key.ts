/**
 * The durable account key: `nameid` (SAML NameID of one Format), `sub` (OIDC subject) or `claims` (declared claims,
 * each URI-encoded and joined with ':'). Always scoped by the plan's issuer; never derived from an email fallback.
 */
import { NAMEID_FORMATS, UNSTORABLE_CHARACTERS, type ClaimSet } from '../model/claim-set.js';
import type { KeyPlan } from '../model/plan.js';
import type { ClaimIndex } from './conditions.js';
import type { ClaimState, Refusal } from './decision.js';
import { defined } from '../model/invariant.js';

/** Derives the key subject, or pushes refusals and returns null. */
export type KeyFn = (cs: ClaimSet, v: readonly ClaimState[], refusals: Refusal[]) => string | null;

function subjectOf(cs: ClaimSet): { id: unknown; format: unknown } {
  const s: unknown = cs.subject;
  if (typeof s !== 'object' || s === null) return { id: undefined, format: undefined };
  const o = s as Record<string, unknown>;
  return { id: Object.hasOwn(o, 'id') ? o.id : undefined, format: Object.hasOwn(o, 'format') ? o.format : undefined };
}

function subjectId(cs: ClaimSet, refusals: Refusal[], what: string): string | null {
  const { id } = subjectOf(cs);
  if (typeof id === 'string' && id !== '') return id;
  refusals.push({ code: 'key-absent', message: `the ${what} is missing or empty` });
  return null;
}

/**
 * Compiles the key derivation of a plan.
 *
 * @example
 * ```ts
 * const key = compileKey({ kind: 'sub', loc }, index);
 * key(claimSet, states, refusals) // claimSet.subject.id, or null with a 'key-absent' refusal
 * ```
 */
export function compileKey(k: KeyPlan, index: ClaimIndex): KeyFn {
  switch (k.kind) {
    case 'sub':
      return (cs, _v, refusals) => subjectId(cs, refusals, 'subject (sub)');
    case 'nameid': {
      const want = k.formatUri;
      if (typeof want !== 'string' || want === '') throw new TypeError('invalid plan: key nameid without formatUri');
      return (cs, _v, refusals) => {
        const { format } = subjectOf(cs);
        const got = typeof format === 'string' && format !== '' ? format : NAMEID_FORMATS.unspecified;
        const id = subjectId(cs, refusals, 'NameID');
        if (got !== want) {
          refusals.push({
            code: 'key-format-mismatch',
            message: `the NameID format ${clip(got)} is not the key's format ${want}`,
          });
          return null;
        }
        return id;
      };
    }
    case 'claims': {
      if (!Array.isArray(k.claims) || k.claims.length === 0) throw new TypeError('invalid plan: key claims is empty');
      const names = k.claims.slice();
      const slots = names.map((n) => index(n, 'key'));
      return (_cs, v, refusals) => {
        let out = '';
        let ok = true;
        for (let j = 0; j < slots.length; j++) {
          const s = defined(v[defined(slots[j])]);
          const claim = defined(names[j]);
          if (s.state === 'absent') {
            refusals.push({ code: 'key-absent', message: `the key claim ${claim} is absent`, claim });
            ok = false;
          } else if (s.state === 'malformed') {
            refusals.push({
              code: 'key-malformed',
              message: `the key claim ${claim} is malformed (${s.reason})`,
              claim,
            });
            ok = false;
          } else {
            const val = s.value;
            if (typeof val !== 'string' && typeof val !== 'number' && typeof val !== 'boolean') {
              refusals.push({ code: 'key-malformed', message: `the key claim ${claim} is not a single value`, claim });
              ok = false;
            } else if (typeof val === 'string' && UNSTORABLE_CHARACTERS.test(val)) {
              // No store keeps such a key apart from others (PostgreSQL reads a lone surrogate as U+FFFD, cannot
              // hold U+0000), and encodeURIComponent throws on a lone surrogate.
              refusals.push({
                code: 'key-malformed',
                message: `the key claim ${claim} has a lone surrogate or a NUL character`,
                claim,
              });
              ok = false;
            } else if (ok) {
              // One claim is the key as sent; several are percent-encoded and joined with ':', so no value can
              // forge the separator.
              out += slots.length === 1 ? String(val) : (j === 0 ? '' : ':') + encodeURIComponent(String(val));
            }
          }
        }
        return ok ? out : null;
      };
    }
    default:
      throw new TypeError(`invalid plan: unknown key kind ${JSON.stringify((k as { kind?: unknown }).kind)}`);
  }
}

/**
 * Quotes untrusted text for a message, cut to a readable length.
 *
 * @example
 * ```ts
 * clip('https://evil.example.com') // '"https://evil.example.com"'
 * ```
 */
export function clip(s: string): string {
  return JSON.stringify(s.length > 120 ? `${s.slice(0, 120)}…` : s);
}
