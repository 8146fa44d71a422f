import { NAMEID_FORMATS } from '../../model/claim-set.js';
import { DURABLE_NAMEID_FORMATS, unsafeReason } from '../model.js';
import type { Rule } from '../rule.js';
import { didYouMean } from '../suggest.js';

/** `key nameid <format>` and `key sub`: the right form for the protocol, and a durable NameID format. */
export const keyForm: Rule = {
  name: 'key-form',
  codes: [
    {
      code: 'key/unknown-format',
      severity: 'error',
      summary: 'The NameID format after `key nameid` is not a SAML format name.',
    },
    {
      code: 'key/protocol-mismatch',
      severity: 'error',
      summary: '`key nameid` in an OIDC mapping, or `key sub` in a SAML mapping.',
    },
    {
      code: 'key/non-durable-format',
      severity: 'error',
      summary:
        'A transient, emailAddress, unspecified (or other non-persistent) NameID is used as the key; `unsafe` ' +
        'makes it a warning.',
    },
  ],
  check(m) {
    const k = m.key;
    if (!k) return;
    const keyword = { start: k.span.start, end: k.span.start + 3 };
    if (k.form === 'nameid' && m.protocol === 'oidc') {
      m.sink.error('key/protocol-mismatch', 'OIDC has no NameID', keyword, {
        hint: 'use key sub, or key claim <declared claim>',
      });
    }
    if (k.form === 'sub' && m.protocol === 'saml') {
      m.sink.error('key/protocol-mismatch', 'SAML has no sub claim', keyword, {
        hint: 'use key nameid persistent, or key claim <declared claim>',
      });
    }
    if (k.form !== 'nameid' || !k.format) return;
    const f = k.format.name;
    if (!Object.hasOwn(NAMEID_FORMATS, f)) {
      m.sink.error('key/unknown-format', `unknown NameID format '${f}'`, k.format.span, {
        hint: didYouMean(f, Object.keys(NAMEID_FORMATS)) ?? `use one of: ${Object.keys(NAMEID_FORMATS).join(', ')}`,
      });
      return;
    }
    if (!DURABLE_NAMEID_FORMATS.has(f)) {
      const reason = unsafeReason(m);
      const why =
        f === 'transient'
          ? 'changes at every login'
          : f === 'emailAddress'
            ? 'is an email address, which changes and can be reassigned'
            : f === 'unspecified'
              ? 'has no defined stability'
              : 'is not guaranteed to be stable and unique per user';
      m.sink.report(
        reason ? 'warning' : 'error',
        'key/non-durable-format',
        `${/^[aeiou]/i.test(f) ? 'an' : 'a'} ${f} NameID ${why}: it is not a durable key`,
        k.format.span,
        {
          hint: reason
            ? `accepted because of unsafe "${reason}"`
            : 'ask the IdP for a persistent NameID, or key on a durable attribute; if you must, add unsafe "<reason>"',
        },
      );
    }
  },
};
