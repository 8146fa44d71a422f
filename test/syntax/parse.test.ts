import { describe, expect, it } from 'vitest';
import { parse } from '../../src/syntax/parse.js';
import { compile } from '../../src/compile/compile.js';

const codes = (src: string) => parse(src, { filename: 't.claimmap' }).diagnostics.map((d) => d.code);
const at = (src: string) =>
  parse(src).diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code}`);

describe('parse', () => {
  it('parses the issue sketch into an AST with every section', () => {
    const r = parse(`mapping "m" version "1" {
      idp saml "http://idp" key nameid persistent
      claims { email : email from "email" required groups : set<string> from "groups" optional normalize lower }
      profile { email = lower(email) sync always  x = email ?? "n/a" sync fill }
      roles replace { privileged admin grant viewer grant admin when "a" in groups deny admin when not any groups matches /^x$/ }
      entitlements add { grant "gh:{1}" for each groups matching /^gh-(.+)$/ when "a" in groups }
      accounts { on email_conflict reject unique email }
      lifecycle { offboarding manual runbook "https://wiki" dormant_after 12w reactivate refuse }
    }`);
    expect(r.diagnostics).toEqual([]);
    expect(r.value?.sections.map((s) => s.kind)).toEqual([
      'idp',
      'key',
      'claims',
      'profile',
      'roles',
      'entitlements',
      'accounts',
      'lifecycle',
    ]);
    const roles = r.value!.sections[4]!;
    expect(roles.kind === 'roles' && roles.rules[2]!.when?.kind).toBe('not');
  });

  it('reads `unsafe "<reason>"` at the end of a grant or deny, after its condition (a claim may still be called unsafe)', () => {
    const r = parse(`mapping "m" {
      roles { grant admin when unsafe unsafe "SEC-1: a bool claim named unsafe" grant b unsafe "SEC-2" deny c when "x" in g }
      entitlements { grant "e" when "a" in g unsafe "SEC-3" grant "t:{1}" for each g matching /^t-(.+)$/ unsafe "SEC-4" }
    }`);
    expect(r.diagnostics).toEqual([]);
    const [roles, ents] = r.value!.sections;
    const rules = [
      ...(roles?.kind === 'roles' ? roles.rules : []),
      ...(ents?.kind === 'entitlements' ? ents.rules : []),
    ];
    expect(rules.map((x) => x.unsafe?.value ?? null)).toEqual([
      'SEC-1: a bool claim named unsafe',
      'SEC-2',
      null,
      'SEC-3',
      'SEC-4',
    ]);
    expect(rules[0]!.when).toMatchObject({ kind: 'test', claim: { name: 'unsafe' }, comparison: { op: 'truthy' } });
  });

  it('reads a scim section and the action after dormant_after (absent when the next item follows)', () => {
    const r = parse(`mapping "m" {
      claims { groups : set<string> from "groups" optional }
      roles { grant admin when "admins" in groups }
      lifecycle { dormant_after 90d reactivate allow dormant_after 12w deprovision offboarding scim }
      scim { key externalId groups groups deactivate suspend }
    }`);
    expect(r.diagnostics).toEqual([]);
    const [, , lc, scim] = r.value!.sections;
    expect(
      lc?.kind === 'lifecycle' && lc.items.map((i) => (i.kind === 'dormant_after' ? (i.action?.name ?? null) : i.kind)),
    ).toEqual([null, 'reactivate', 'deprovision', 'offboarding']);
    expect(scim?.kind === 'scim' && scim.items.map((i) => `${i.kind} ${i.value?.name}`)).toEqual([
      'key externalId',
      'groups groups',
      'deactivate suspend',
    ]);
  });

  it('reports a scim item without its value, and an unknown scim item, with their positions', () => {
    expect(at('mapping "m" {\n scim { key }\n}')).toEqual(['2:13 syntax/unexpected-token']);
    expect(at('mapping "m" {\n scim { link externalId }\n}')[0]).toBe('2:9 syntax/unexpected-token');
  });

  it('lets statement keywords be claim names (soft keywords)', () => {
    const r = parse(
      'mapping "m" { claims { sub : string from "sub" required key : string from "k" optional version : int from "v" optional } profile { clear = key sync always clear } }',
    );
    expect(r.diagnostics).toEqual([]);
    const claims = r.value!.sections[0]!;
    expect(claims.kind === 'claims' && claims.claims.map((c) => c.name.name)).toEqual(['sub', 'key', 'version']);
    const profile = r.value!.sections[1]!;
    expect(profile.kind === 'profile' && profile.fields[0]!.clear).not.toBeNull();
  });

  it('parses absent empty and trusted on a claim declaration, in grammar order, with their spans', () => {
    const src =
      'mapping "m" { claims { g : set<string> from "groups" optional absent empty normalize lower trusted "IT only" } }';
    const r = parse(src);
    expect(r.diagnostics).toEqual([]);
    const claims = r.value!.sections[0]!;
    const d = claims.kind === 'claims' ? claims.claims[0]! : null;
    expect(d?.absent?.value?.name).toBe('empty');
    expect(src.slice(d!.absent!.span.start, d!.absent!.span.end)).toBe('absent empty');
    expect(d?.normalize.map((n) => n.name)).toEqual(['lower']);
    expect(d?.trusted?.value).toBe('IT only');
    expect(src.slice(d!.trusted!.span.start, d!.trusted!.span.end)).toBe('"IT only"');
  });

  it('keeps absent, normalize and trusted usable as claim names (soft keywords, decided by the next token)', () => {
    const r = parse(
      'mapping "m" { claims { g : set<string> from "g" optional\n absent : bool from "a" optional\n trusted : string from "t" optional absent empty\n normalize : int from "n" required\n x : int from "x" required } }',
    );
    expect(r.diagnostics).toEqual([]);
    const claims = r.value!.sections[0]!;
    expect(claims.kind === 'claims' && claims.claims.map((c) => [c.name.name, c.absent?.value?.name ?? null])).toEqual([
      ['g', null],
      ['absent', null],
      ['trusted', 'empty'],
      ['normalize', null],
      ['x', null],
    ]);
  });

  it('reports absent and trusted without their operand, and out of grammar order', () => {
    expect(codes('mapping "m" { claims { g : set<string> from "g" optional trusted } }')).toEqual([
      'syntax/unexpected-token',
    ]);
    expect(codes('mapping "m" { claims { g : set<string> from "g" optional absent } }')).toEqual([
      'syntax/unexpected-token',
    ]);
    expect(
      codes('mapping "m" { claims { g : set<string> from "g" optional trusted "x" absent empty } }').length,
    ).toBeGreaterThan(0);
  });

  it('reports a reserved word used as a name with a hint', () => {
    const d = parse('mapping "m" { roles { grant in } }').diagnostics[0]!;
    expect(d.code).toBe('syntax/unexpected-token');
    expect(d.hint).toMatch(/reserved/);
    expect(d.range.start.column).toBe(29);
  });

  it.each([
    ['unterminated string', 'mapping "m', 'syntax/unterminated-string'],
    ['unterminated comment', 'mapping "m" { /* ', 'syntax/unterminated-comment'],
    ['NUL byte', 'mapping "m" {\0}', 'syntax/unexpected-character'],
    ['bad escape', 'mapping "a\\q" {}', 'syntax/invalid-escape'],
    ['huge number', 'mapping "m" { roles { grant a when n == 99999999999999999999 } }', 'syntax/number-out-of-range'],
    ['early end', 'mapping "m" { roles {', 'syntax/unexpected-end'],
    ['empty file', '', 'syntax/unexpected-end'],
  ])('%s → %s', (_name, src, code) => {
    expect(codes(src)).toContain(code);
  });

  it.each([
    ['no escape', '"plain"', 'plain'],
    ['escaped quote', String.raw`"say \"hi\""`, 'say "hi"'],
    ['escaped backslash before the closing quote', String.raw`"a\\"`, 'a\\'],
    ['two escaped backslashes', String.raw`"\\\\"`, '\\\\'],
    ['control escapes and \\u', String.raw`"\t\n\u00e9\/"`, '\t\n\u00e9/'],
  ])('decodes string literals: %s', (_name, literal, value) => {
    const r = parse(`mapping ${literal} { }`);
    expect(r.diagnostics).toEqual([]);
    expect(r.value?.name?.value).toBe(value);
  });

  it('reports a condition left unfinished where the next rule starts, not a claim named after its keyword', () => {
    const r = parse('mapping "m" { roles {\n grant admin when "a" in groups and\n deny admin when "b" in groups\n} }');
    expect(r.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code}`)).toEqual([
      '3:2 syntax/unexpected-token',
    ]);
    expect(r.diagnostics[0]!.message).toBe("expected a condition but found 'deny'");
    const roles = r.value!.sections[0]!;
    expect(roles.kind === 'roles' && roles.rules.map((x) => `${x.effect} ${x.target?.value}`)).toContain('deny admin');
  });

  it.each([
    ['before the next section', 'require a and deny roles { grant x }'],
    ['before the next rule', 'roles { grant x when a and deny grant y }'],
    ['before a closing brace', 'entitlements { grant "e" when a and privileged }'],
    ['before a string: an entitlement rule', 'entitlements { grant "e" when grant deny "f" }'],
  ])('still reads grant, deny and privileged as claim names where a condition can end: %s', (_name, body) => {
    const r = parse(`mapping "m" { ${body} }`);
    expect(r.diagnostics).toEqual([]);
    const claims: string[] = [];
    const walk = (c: unknown): void => {
      if (!c || typeof c !== 'object') return;
      const n = c as { kind?: string; claim?: { name: string }; args?: unknown[]; arg?: unknown };
      if (n.kind === 'test' && n.claim) claims.push(n.claim.name);
      for (const a of n.args ?? []) walk(a);
      walk(n.arg);
    };
    for (const sec of r.value!.sections) {
      if (sec.kind === 'require') walk(sec.rule.when);
      if (sec.kind === 'roles' || sec.kind === 'entitlements') for (const rule of sec.rules) walk(rule.when);
    }
    expect(claims.some((c) => ['grant', 'deny', 'privileged'].includes(c))).toBe(true);
  });

  it('reports every error, not only the first (recovery)', () => {
    const ds = at('mapping "m" {\n idp saml\n roles { grant }\n lifecycle { offboarding }\n}');
    expect(ds.length).toBeGreaterThanOrEqual(2);
    expect(ds.every((d) => d.includes('syntax/'))).toBe(true);
  });

  it('bounds nesting before parsing', () => {
    const deep = `mapping "m" { roles { grant a when ${'('.repeat(200)}x${')'.repeat(200)} } }`;
    const r = parse(deep);
    expect(r.value).toBeNull();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['syntax/too-deep']);
    const nots = `mapping "m" { roles { grant a when ${'not '.repeat(100000)}x } }`;
    expect(parse(nots).diagnostics.map((d) => d.code)).toEqual(['syntax/too-deep']);
  });

  it('refuses input over maxLength without lexing it', () => {
    const r = parse('x'.repeat(101), { maxLength: 100 });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['syntax/too-large']);
  });

  it('counts lines across CRLF, CR and LF, and treats a BOM as white space', () => {
    const d = parse('\uFEFFmapping "m" {\r\n idp saml "x"\r key sub\n oops }').diagnostics;
    expect(d.map((x) => `${x.range.start.line}:${x.range.start.column}`)).toEqual(['4:2']);
  });

  it('reports invalid UTF-8 at the first bad byte', () => {
    const bytes = new Uint8Array([...Buffer.from('mapping "m" {\n idp saml "'), 0xff, ...Buffer.from('" }')]);
    const { plan, diagnostics } = compile(bytes, { filename: 'bad.claimmap' });
    expect(plan).toBeNull();
    expect(diagnostics.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.column}`)).toEqual([
      'syntax/invalid-utf8 2:12',
    ]);
  });
});
