/**
 * `claimmap login MAPPING CLAIMS`: provision one login through a store, as an app's SSO callback would, and print
 * what happened (created / updated / unchanged / refused / conflict, with a per-field diff).
 */
import type { Plan } from '../../model/plan.js';
import type { ClaimSet } from '../../model/claim-set.js';
import { provision } from '../../runtime/index.js';
import { formatProvisionResult } from '../format.js';
import { intOption, oneOf, parseCommandArgs } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { loadMapping, Reported } from '../load.js';
import { loadClaimSet } from '../load-claims.js';
import { STORE_HELP, withStore } from '../store.js';
import { defined } from '../../model/invariant.js';

export const command: Command = {
  name: 'login',
  summary: 'provision one login (JIT create, update or refuse) through a store, and print the diff',
  help: `Usage: claimmap login MAPPING CLAIMS [--store SPEC] [--now ISO] [--format text|json] [--as saml|jwt|json]

MAPPING is a .claimmap file or a compiled .plan.json. CLAIMS is a claim-set JSON file, a SAML response or
assertion (XML or base64), a JWT, or an OIDC claims JSON object. The account is found by its durable key
(issuer, subject) only; it is created, updated by the profile sync modes with roles and entitlements
reconciled, or refused (mapping refusal, suspended or deprovisioned account, older assertion), or is a
conflict (its email belongs to another key). Every attempt is recorded in the audit trail ('claimmap audit').

Claims read from a file are unverified (claimmap never checks signatures), so link_verified never links here.

Options:
${STORE_HELP}
  --now <iso>              the login time (default: now)
  --format <f>             text (default) or json (the full result, with the decision and its trace)
  --as <kind>              read CLAIMS as saml, jwt or json instead of detecting it
  --max-claim-bytes <n>    cap of the stored last-seen claims (default 16384)

Exit codes: 0 created, updated or unchanged; 1 refused, conflict or unreadable input; 2 usage error or store
failure.
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      store: { type: 'string' },
      now: { type: 'string' },
      format: { type: 'string' },
      as: { type: 'string' },
      'max-claim-bytes': { type: 'string' },
    });
    const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
    const as = values.as === undefined ? undefined : oneOf('as', values.as, ['saml', 'jwt', 'json'] as const, 'json');
    if (positionals.length !== 2) throw new UsageError('expected MAPPING and CLAIMS');
    if (values.now !== undefined && Number.isNaN(Date.parse(values.now)))
      throw new UsageError('--now must be an ISO 8601 instant');
    const cap = intOption('max-claim-bytes', values['max-claim-bytes'], { min: 0, dflt: undefined });

    let plan: Plan;
    let claims: ClaimSet;
    try {
      plan = loadMapping(defined(positionals[0]), io);
      claims = loadClaimSet(defined(positionals[1]), io, as);
    } catch (e) {
      if (e instanceof Reported) return e.exitCode;
      throw e;
    }
    return withStore(values.store, io, async (store) => {
      const result = await provision(plan, claims, {
        store,
        ...(values.now === undefined ? {} : { now: values.now }),
        ...(cap === undefined ? {} : { maxClaimBytes: cap }),
      });
      io.stdout(format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatProvisionResult(result));
      return result.action === 'refused' || result.action === 'conflict' ? 1 : 0;
    });
  },
};
