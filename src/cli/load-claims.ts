/**
 * Loading a claims file named on the command line (`eval`, `login`): a claim-set JSON, or raw SAML / JWT / OIDC JSON
 * read by the claim readers. Apart from load.ts so that only the commands that take claims load the readers.
 */
import type { ClaimSet } from '../model/claim-set.js';
import { readClaimsFile } from '../simulate/claims-file.js';
import type { CliIO } from './command.js';
import { readInput, reportError } from './load.js';

/** Reads a claims file: a claim-set JSON (`{ protocol, issuer, subject, claims }`), SAML XML/base64, a JWT or OIDC JSON. */
export function loadClaimSet(path: string, io: CliIO, as?: 'saml' | 'jwt' | 'json'): ClaimSet {
  const bytes = readInput(path, io);
  try {
    return readClaimsFile(bytes, as ? { as } : {});
  } catch (e) {
    reportError(e, path, io);
  }
}
