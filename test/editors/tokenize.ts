/**
 * Tokenises claimmap text with grammar/claimmap.tmLanguage.json through vscode-textmate and vscode-oniguruma (the
 * engine of VS Code; shiki and Linguist read the same grammar with compatible engines).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import oniguruma from 'vscode-oniguruma';
import vsctm from 'vscode-textmate';

const require = createRequire(import.meta.url);
export const GRAMMAR_PATH = new URL('../../grammar/claimmap.tmLanguage.json', import.meta.url);

/** One token of one line: its text, its offsets in the whole text, and its scopes (outermost first). */
export interface TmToken {
  text: string;
  line: number;
  start: number;
  end: number;
  scopes: string[];
}

let grammar: Promise<vsctm.IGrammar> | undefined;

async function load(): Promise<vsctm.IGrammar> {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === 'source.claimmap'
        ? vsctm.parseRawGrammar(readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH.pathname)
        : null,
  });
  const g = await registry.loadGrammar('source.claimmap');
  if (g === null) throw new TypeError('grammar/claimmap.tmLanguage.json did not load');
  return g;
}

/** The grammar, loaded once per test file. */
export function getGrammar(): Promise<vsctm.IGrammar> {
  grammar ??= load();
  return grammar;
}

/** Every token of `text`, line by line, with offsets into `text` (lines split at \n, \r\n or \r, as the lexer counts). */
export async function tokenize(text: string): Promise<TmToken[]> {
  const g = await getGrammar();
  const out: TmToken[] = [];
  let state = vsctm.INITIAL;
  let offset = 0;
  let line = 0;
  for (const m of text.matchAll(/([^\r\n]*)(\r\n|\r|\n|$)/g)) {
    const [, content = '', eol = ''] = m;
    if (content === '' && eol === '' && m.index === text.length && text.length > 0) break;
    const r = g.tokenizeLine(content, state);
    for (const t of r.tokens) {
      const end = Math.min(t.endIndex, content.length);
      if (end <= t.startIndex) continue;
      out.push({
        text: content.slice(t.startIndex, end),
        line,
        start: offset + t.startIndex,
        end: offset + end,
        scopes: t.scopes,
      });
    }
    state = r.ruleStack;
    offset += content.length + eol.length;
    line++;
    if (eol === '') break;
  }
  return out;
}

/** The scopes of the character at `offset`, or [] when it is white space between tokens. */
export function scopesAt(tokens: readonly TmToken[], offset: number): string[] {
  return tokens.find((t) => t.start <= offset && offset < t.end)?.scopes ?? [];
}
