import { isMutableIdentifier } from '../identity-claims.js';
import { isCollection, unsafeReason } from '../model.js';
import type { Rule } from '../rule.js';

/** `key claim a, b`: durable, required, single-valued claims that are never emails or usernames. */
export const keyClaim: Rule = {
  name: 'key-claim',
  codes: [
    {
      code: 'key/mutable-claim',
      severity: 'error',
      summary:
        'The key uses email, mail, upn, preferred_username, name, unique_name or a similar mutable identifier; ' +
        '`unsafe` makes it a warning.',
    },
    {
      code: 'key/email-claim',
      severity: 'error',
      summary: 'The key uses a claim typed `email`; `unsafe` makes it a warning.',
    },
    {
      code: 'key/optional-claim',
      severity: 'error',
      summary: 'A key claim is declared optional: every login must carry the key.',
    },
    { code: 'key/multi-valued-claim', severity: 'error', summary: 'A key claim is a set or list: a key is one value.' },
  ],
  check(m) {
    const k = m.key;
    if (k?.form !== 'claim') return;
    const reason = unsafeReason(m);
    const sev = reason ? 'warning' : 'error';
    const unsafeHint = reason ? `accepted because of unsafe "${reason}"` : undefined;
    for (const ref of k.claims) {
      const c = m.claims.get(ref.name);
      if (!c) continue; // claim/unknown reports it
      const src = c.decl.source.map((s) => s.value);
      if (isMutableIdentifier(src)) {
        m.sink.report(
          sev,
          'key/mutable-claim',
          `'${ref.name}' comes from "${src.join('.')}", which changes and can be reassigned: it is not a durable key`,
          ref.span,
          {
            hint:
              unsafeHint ??
              (m.protocol === 'oidc'
                ? 'key on sub (or tid + oid for Entra ID)'
                : 'key on a persistent NameID, subject-id or pairwise-id'),
            related: [{ span: c.decl.span, message: `'${ref.name}' is declared here` }],
          },
        );
      } else if (c.type?.kind === 'email') {
        m.sink.report(
          sev,
          'key/email-claim',
          `'${ref.name}' is typed email: an email is never a durable key`,
          ref.span,
          {
            hint: unsafeHint ?? 'key on an immutable identifier the IdP assigns (sub, oid, persistent NameID)',
            related: [{ span: c.decl.span, message: `'${ref.name}' is declared here` }],
          },
        );
      }
      if (c.decl.presence?.value === 'optional') {
        m.sink.error('key/optional-claim', `the key claim '${ref.name}' is optional`, ref.span, {
          hint: `declare '${ref.name}' required: a login without its key must be refused`,
          related: [{ span: c.decl.presence.span, message: 'declared optional here' }],
        });
      }
      if (isCollection(c.type)) {
        m.sink.error('key/multi-valued-claim', `the key claim '${ref.name}' is a ${c.type.kind}`, ref.span, {
          hint: 'a key is one value: use a scalar type',
        });
      }
    }
  },
};
