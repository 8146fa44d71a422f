/**
 * `claimmap plan OLD NEW --store SPEC | --samples DIR`: the population impact of a mapping change, from stored
 * accounts' last-seen claims or from sample files. `claimmap plan NEW --store SPEC`: drift, the grants stored
 * accounts hold that the mapping would no longer give them (or that an older mapping version gave them).
 */
import { resolve } from 'node:path';
import type { Plan } from '../../model/plan.js';
import { eachAccount, type Account, type Store } from '../../runtime/index.js';
import { drift } from '../../simulate/impact/drift.js';
import { planImpact } from '../../simulate/impact/impact.js';
import {
  formatDriftMarkdown,
  formatDriftText,
  formatImpactMarkdown,
  formatImpactText,
  formatReportJson,
} from '../../simulate/impact/report.js';
import { readSampleDir } from '../../simulate/load-samples.js';
import { subjectsFromAccounts, subjectsFromClaimSets } from '../../simulate/impact/subjects.js';
import type { ImpactSubject } from '../../simulate/impact/types.js';
import { intOption, oneOf, parseCommandArgs } from '../args.js';
import { UsageError, type CliIO, type Command } from '../command.js';
import { loadMapping, Reported } from '../load.js';
import { openCliStore, redactStoreSpec, reportRuntimeError, StoreFailure } from '../store.js';
import { plural } from '../../diagnostics/plural.js';
import { defined } from '../../model/invariant.js';

async function storeSubjects(spec: string, plan: Plan, limit: number, io: CliIO): Promise<ImpactSubject[]> {
  // Read-only: a preview never creates, migrates or writes a store (store/not-found when there is none).
  const store: Store = await openCliStore(spec, io, { readOnly: true });
  try {
    // Read a page per transaction and turn each page into subjects as it comes.
    const subjects: ImpactSubject[] = [];
    let page: Account[] = [];
    let read = 0;
    for await (const account of eachAccount(store, { issuer: plan.idp.issuer, pageSize: PAGE })) {
      if (read === limit) {
        io.stderr(
          `claimmap: warning: only the first ${plural(limit, 'account')} of ${plan.idp.issuer} ${limit === 1 ? 'was' : 'were'} read (--limit)\n`,
        );
        break;
      }
      read++;
      page.push(account);
      if (page.length === PAGE) {
        subjects.push(...subjectsFromAccounts(page, plan));
        page = [];
      }
    }
    subjects.push(...subjectsFromAccounts(page, plan));
    return subjects;
  } catch (e) {
    throw new StoreFailure(reportRuntimeError(e, io));
  } finally {
    await store.close();
  }
}

const PAGE = 1000;

export const command: Command = {
  name: 'plan',
  summary: 'preview a mapping change on real accounts (or samples), or list drifted grants',
  help: `Usage: claimmap plan OLD NEW (--store SPEC | --samples DIR) [--format text|json|markdown]
       claimmap plan MAPPING --store SPEC [--format text|json|markdown]

With OLD and NEW: the population impact of replacing OLD by NEW. Each account's next login (its
last-seen claims, stored with the account) runs through provision() under both mappings on a
private in-memory copy of the account; the report says who gains and who loses which role,
entitlement, profile value or access ("would remove admin from 12 accounts"). Nothing is written.

With one MAPPING: drift. Grants the stored accounts hold from the mapping that it would no longer
give them from their last-seen claims, and grants stamped by an older mapping version: the
clean-up list for access reviews and offboarding.

Options:
  --store <spec>    sqlite:PATH or postgres://USER:PASSWORD@HOST/DB (read only; also CLAIMMAP_STORE).
                    Accounts of the (old) mapping's issuer are read.
  --samples <dir>   claims files (SAML XML/base64, JWT, OIDC JSON, claim-set JSON) instead of a
                    store, each previewed as a first login (impact only)
  --format <f>      text (default), json or markdown (for a pull-request comment)
  --limit <n>       read at most n accounts (default: every account of the mapping's issuer)

Exit codes: 0 report printed, 1 a mapping does not compile or a sample file is not claims,
2 usage error or the store cannot be read.
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      store: { type: 'string' },
      samples: { type: 'string' },
      format: { type: 'string' },
      limit: { type: 'string' },
    });
    const format = oneOf('format', values.format, ['text', 'json', 'markdown'] as const, 'text');
    const limit = intOption('limit', values.limit, { min: 1, dflt: Infinity }); // no cap unless --limit: accounts are read a page at a time
    if (positionals.length < 1 || positionals.length > 2)
      throw new UsageError('expected OLD NEW, or one MAPPING for drift');
    if (values.store !== undefined && values.samples !== undefined)
      throw new UsageError('give --store or --samples, not both');
    const storeSpec = values.store ?? (values.samples === undefined ? io.env.CLAIMMAP_STORE : undefined);
    if (storeSpec === undefined && values.samples === undefined)
      throw new UsageError('give --store SPEC or --samples DIR');
    const isDrift = positionals.length === 1;
    if (isDrift && values.samples !== undefined) {
      throw new UsageError('drift needs stored grants: use --store (samples hold claims, not grants)');
    }

    try {
      const plans = positionals.map((p) => loadMapping(p, io));
      const anchor = defined(plans[0]);
      let subjects: ImpactSubject[];
      let exit = 0;
      let source: string;
      if (values.samples !== undefined) {
        const { samples, problems } = readSampleDir(resolve(io.cwd, values.samples));
        for (const p of problems) io.stderr(`error ${p.code}: ${values.samples}/${p.file}: ${p.message}\n`);
        if (problems.length) exit = 1;
        subjects = subjectsFromClaimSets(samples);
        source = values.samples;
      } else {
        subjects = await storeSubjects(defined(storeSpec), anchor, limit, io);
        source = redactStoreSpec(defined(storeSpec));
      }

      if (isDrift) {
        const report = drift(anchor, subjects);
        io.stdout(
          format === 'json'
            ? formatReportJson(report)
            : format === 'markdown'
              ? formatDriftMarkdown(report)
              : formatDriftText(report, { source }),
        );
      } else {
        const report = await planImpact(defined(plans[0]), defined(plans[1]), subjects);
        io.stdout(
          format === 'json'
            ? formatReportJson(report)
            : format === 'markdown'
              ? formatImpactMarkdown(report)
              : formatImpactText(report, { source }),
        );
      }
      return exit;
    } catch (e) {
      if (e instanceof Reported || e instanceof StoreFailure) return e.exitCode;
      throw e;
    }
  },
};
