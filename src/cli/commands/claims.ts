/**
 * `claimmap claims FILE [--as saml|jwt|json]`: reads a SAML response (XML or base64), a JWT or an OIDC claims JSON
 * file and prints the claim set as JSON. Exit 0 on success, 1 when the input is refused (`error <code>: <message>`
 * on stderr), 2 for usage errors and unreadable files.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { intOption, oneOf, parseCommandArgs } from '../args.js';
import { type CliIO, type Command, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from '../command.js';
import { formatInputProblem, readProblem } from '../input-errors.js';
import { ClaimsError } from '../../claims/errors.js';
import { DEFAULT_LIMITS } from '../../claims/options.js';
import { readClaims } from '../../claims/read-claims.js';
import { defined } from '../../model/invariant.js';

const FORMATS = ['saml', 'jwt', 'json'] as const;

const HELP = `Usage: claimmap claims FILE [--as saml|jwt|json] [--max-bytes N]

Reads the claims an IdP sent and prints the claim set that mappings are evaluated against, as JSON:
protocol, issuer, subject, claims, aliases, attributes, indeterminate, issuedAt, verified, warnings.

FILE may hold a SAML Response or Assertion (XML, the base64 SAMLResponse form value, or the deflated
Redirect-binding form), a compact JWT, or an OIDC claims JSON object. Use - to read standard input.
The format is detected unless --as says which.

claimmap never verifies signatures: the output always says "verified": false.

Options:
  --as saml|jwt|json   skip detection
  --max-bytes N        refuse input larger than N bytes (default ${DEFAULT_LIMITS.maxBytes})

Exit status: 0 read, 1 input refused (error <code>: <message> on stderr), 2 usage error or unreadable file.`;

/** A path that names a directory or a device rather than a file. */
class NotAFile extends Error {}

async function readStdin(stdin: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    size += chunk.length;
    if (size > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooLarge(io: CliIO, maxBytes: number): number {
  const e = new ClaimsError('input/too-large', `the input is larger than maxBytes (${maxBytes})`);
  io.stderr(`error ${e.code}: ${e.message}\n`);
  return EXIT_FINDINGS;
}

/** The `claims` command. */
export const command: Command = {
  name: 'claims',
  summary: 'read SAML XML/base64, a JWT or OIDC JSON and print the claim set (no signature check)',
  help: HELP,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      as: { type: 'string' },
      'max-bytes': { type: 'string' },
    });
    if (positionals.length !== 1)
      throw new UsageError(positionals.length === 0 ? 'expected a FILE (or - for stdin)' : 'expected exactly one FILE');
    const as = values.as === undefined ? undefined : oneOf('as', values.as, FORMATS, FORMATS[0]);
    const maxBytes = intOption('max-bytes', values['max-bytes'], { min: 1, dflt: DEFAULT_LIMITS.maxBytes });
    const file = defined(positionals[0]);
    let input: Uint8Array;
    if (file === '-') {
      const data = await readStdin(io.stdin, maxBytes);
      if (data === undefined) return tooLarge(io, maxBytes);
      input = data;
    } else {
      const path = resolve(io.cwd, file);
      try {
        const info = await stat(path);
        if (!info.isFile()) throw new NotAFile();
        if (info.size > maxBytes) return tooLarge(io, maxBytes);
        input = await readFile(path);
      } catch (e) {
        io.stderr(
          formatInputProblem(
            e instanceof NotAFile
              ? { code: 'input/unreadable', arg: file, message: 'not a regular file' }
              : readProblem(file, e),
          ),
        );
        return EXIT_USAGE;
      }
    }
    try {
      const cs = readClaims(input, { maxBytes, ...(as !== undefined ? { as } : {}) });
      const out = {
        protocol: cs.protocol,
        issuer: cs.issuer,
        subject: cs.subject,
        claims: cs.claims,
        ...(cs.aliases !== undefined ? { aliases: cs.aliases } : {}),
        ...(cs.attributes !== undefined ? { attributes: cs.attributes } : {}),
        ...(cs.indeterminate !== undefined ? { indeterminate: cs.indeterminate } : {}),
        ...(cs.issuedAt !== undefined ? { issuedAt: cs.issuedAt } : {}),
        verified: cs.verified,
        warnings: cs.warnings ?? [],
      };
      io.stdout(`${JSON.stringify(out, null, 2)}\n`);
      return EXIT_OK;
    } catch (e) {
      if (e instanceof ClaimsError) {
        io.stderr(`error ${e.code}: ${e.message}\n`);
        if (e.hint) io.stderr(`  hint: ${e.hint}\n`);
        return EXIT_FINDINGS;
      }
      throw e;
    }
  },
};
