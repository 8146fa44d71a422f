/**
 * Group lsp: a keystroke on a 1,000-rule mapping, from `didChange` to its diagnostics, in-process through the code
 * path the server runs (TextDocument.update, then diagnose(): analysis of the new version and conversion to
 * protocol diagnostics with UTF-16 positions). The debounce delay is not counted: this is the CPU time after it.
 * Baseline: lint() of the same text (what the server adds is the document update and the conversion).
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lint } from '../../src/compile/compile.js';
import { Analyses, diagnose } from '../../src/lsp/documents.js';
import { defined } from '../../src/model/invariant.js';
import { type MeasureOptions, measureGroup } from '../lib/measure.js';
import { type GroupResult, toRows } from '../lib/report.js';

/** A mapping with `n` role rules (grants with conditions, some denies) and one warning per 50 rules. */
export function generateRules(n: number): string {
  const lines = [
    'mapping "bench-lsp" version "1" {',
    '  idp oidc "https://login.example.com"',
    '  key sub',
    '  claims {',
    '    email  : email       from "email"  required normalize lower',
    '    groups : set<string> from "groups" optional',
    '    dept   : string      from "dept"   optional',
    '  }',
    '  roles replace {',
  ];
  for (let i = 0; i < n; i++) {
    if (i % 10 === 9) lines.push(`    deny role${i - 1} when dept == "suspended-${i}"`);
    else if (i % 50 === 0) lines.push(`    grant role${i} when any groups matches /team-${i}/`);
    else lines.push(`    grant role${i} when "team-${i}" in groups and dept != "x${i}"`);
  }
  lines.push('  }', '  lifecycle {', '    offboarding scim', '  }', '}', '');
  return lines.join('\n');
}

export async function runLsp(options: MeasureOptions): Promise<GroupResult> {
  const text = generateRules(1000);
  const uri = 'file:///bench/lsp.claimmap';
  const analyses = new Analyses();
  let doc = TextDocument.create(uri, 'claimmap', 1, text);
  const first = diagnose(analyses, doc);
  // The spot a user types at: the middle of a role name near the end of the file.
  const at = doc.positionAt(text.lastIndexOf('grant role9') + 'grant role9'.length);
  let typed = false;
  const keystroke = () => {
    // Type a character, then delete it: the text alternates between two versions, each analysed afresh.
    const change = typed
      ? { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' }
      : { range: { start: at, end: at }, text: 'x' };
    typed = !typed;
    doc = TextDocument.update(doc, [change], doc.version + 1);
    return diagnose(analyses, doc);
  };
  const stats = await measureGroup(
    [
      { name: 'lint() of the same text', run: () => lint(text, { filename: uri }) },
      { name: 'keystroke: didChange -> diagnostics', run: keystroke },
    ],
    { ...options, sampleMs: Math.max(options.sampleMs ?? 4, 20) },
  );
  const rows = toRows('lsp', stats, 'lint() of the same text', 'keystrokes/s', () => 1);
  const ours = defined(rows.find((r) => r.name.startsWith('keystroke')));
  const ms = 1000 / ours.throughput;
  return {
    group: 'lsp',
    rows,
    notes: [`mapping of 1,000 role rules, ${text.length} characters, ${first.length} diagnostics per version`],
    targets: [{ name: 'keystroke to diagnostics (ms CPU)', value: ms, target: '< 100 ms', met: ms < 100 }],
  };
}
