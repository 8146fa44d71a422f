// Module loader hooks (run in Node's hooks thread): append the URL of every module Node loads to the file named by
// CLAIMMAP_LOAD_LOG, one per line. Used by test/dist/cli-startup.test.ts through register.mjs.
import { appendFileSync } from 'node:fs';

const log = process.env.CLAIMMAP_LOAD_LOG;

export async function load(url, context, nextLoad) {
  if (log) appendFileSync(log, `${url}\n`);
  return nextLoad(url, context);
}
