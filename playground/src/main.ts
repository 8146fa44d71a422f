/** The playground page: a CodeMirror editor for the mapping, a claims pane, and claimmap's outputs in tabs. */
import { type Diagnostic as CmDiagnostic, linter, lintGutter } from '@codemirror/lint';
import { RangeSetBuilder } from '@codemirror/state';
import { Decoration, type DecorationSet, ViewPlugin, type ViewUpdate } from '@codemirror/view';
import { basicSetup, EditorView } from 'codemirror';
import * as core from './core.js';
import { type PlaygroundState, type PlaygroundTab, PLAYGROUND_TABS } from './core.js';

// ---- presets: the examples/ directory, bundled at build time ----
const files = import.meta.glob('../../examples/*/*', { query: '?raw', import: 'default', eager: true }) as Record<
  string,
  string
>;
interface Preset {
  id: string;
  mapping: string;
  sample: string;
  sampleName: string;
}
const presets: Preset[] = [];
for (const [path, text] of Object.entries(files)) {
  const m = /examples\/([^/]+)\/([^/]+)$/.exec(path);
  if (!m || !/\.(xml|json|jwt)$/.test(m[2] as string)) continue;
  const dir = m[1] as string;
  const mapping = Object.entries(files).find(([p]) => p.includes(`/examples/${dir}/`) && p.endsWith('.claimmap'));
  if (!mapping) continue;
  presets.push({ id: `${dir}/${m[2]}`, mapping: mapping[1], sample: text.trim(), sampleName: m[2] as string });
}
presets.sort((a, b) => a.id.localeCompare(b.id));

// ---- highlighting from claimmap's own lexer ----
function tokenClass(name: string): string | null {
  if (name.startsWith('Kw_')) return 'tok-keyword';
  if (name === 'StringLiteral' || name === 'UnterminatedString') return 'tok-string';
  if (name === 'RegexLiteral') return 'tok-regex';
  if (name === 'IntegerLiteral' || name === 'Duration') return 'tok-number';
  if (name.endsWith('Comment')) return 'tok-comment';
  if (name === 'Identifier') return null;
  return 'tok-punct';
}
function highlight(view: EditorView): DecorationSet {
  const text = view.state.doc.toString();
  const r = core.lex(text);
  const toks = [...r.tokens, ...(r.groups.comments ?? [])].sort((a, b) => a.startOffset - b.startOffset);
  const b = new RangeSetBuilder<Decoration>();
  for (const t of toks) {
    const cls = tokenClass(t.tokenType.name);
    const end = t.startOffset + t.image.length;
    if (cls && end > t.startOffset) b.add(t.startOffset, end, Decoration.mark({ class: cls }));
  }
  return b.finish();
}
const claimmapHighlight = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = highlight(view);
    }
    update(u: ViewUpdate) {
      if (u.docChanged) this.decorations = highlight(u.view);
    }
  },
  { decorations: (v) => v.decorations },
);

// ---- diagnostics ----
function diagnosticsOf(text: string): core.Diagnostic[] {
  return core.lint(text, { filename: core.MAPPING_FILE });
}
const mappingLint = linter(
  (view) =>
    diagnosticsOf(view.state.doc.toString()).map(
      (d): CmDiagnostic => ({
        from: d.range.start.offset,
        to: Math.max(d.range.end.offset, d.range.start.offset),
        severity: d.severity,
        source: d.code,
        message: d.message,
        renderMessage: () => diagnosticNode(d),
      }),
    ),
  { delay: 250 },
);

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string | null)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c !== null) e.append(c);
  return e;
}
function diagnosticNode(d: core.Diagnostic): HTMLElement {
  return el(
    'span',
    {},
    el('a', { class: 'cm-diag-code', href: core.diagnosticHelpUri(d.code), target: '_blank', rel: 'noopener' }, d.code),
    `: ${d.message}`,
    d.hint ? el('span', { class: 'hint' }, ` (hint: ${d.hint})`) : null,
  );
}

// ---- page state ----
const editorHost = document.getElementById('editor') as HTMLElement;
const claimsBox = document.getElementById('claims') as HTMLTextAreaElement;
const claimsStatus = document.getElementById('claims-status') as HTMLElement;
const panel = document.getElementById('panel') as HTMLElement;
const presetSelect = document.getElementById('preset') as HTMLSelectElement;
const shareStatus = document.getElementById('share-status') as HTMLElement;
let tab: PlaygroundTab = 'eval';
let role: string | undefined;
let mutationNote: string | null = null;

const view = new EditorView({
  parent: editorHost,
  extensions: [
    basicSetup,
    claimmapHighlight,
    mappingLint,
    lintGutter(),
    EditorView.contentAttributes.of({ 'aria-label': 'Mapping source' }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) schedule();
    }),
  ],
});
const mappingText = () => view.state.doc.toString();
function setMapping(text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

for (const p of presets) presetSelect.append(el('option', { value: p.id }, p.id));
presetSelect.append(el('option', { value: '' }, '(your own)'));
presetSelect.addEventListener('change', () => {
  const p = presets.find((x) => x.id === presetSelect.value);
  if (!p) return;
  mutationNote = null;
  setMapping(p.mapping);
  claimsBox.value = p.sample;
  schedule();
});
claimsBox.addEventListener('input', () => {
  mutationNote = null;
  schedule();
});

// ---- tabs ----
const tabButtons = [...document.querySelectorAll<HTMLButtonElement>('[role=tab]')];
function selectTab(t: PlaygroundTab, focus = false): void {
  tab = t;
  for (const b of tabButtons) {
    const on = b.dataset.tab === t;
    b.setAttribute('aria-selected', String(on));
    b.tabIndex = on ? 0 : -1;
    if (on) {
      panel.setAttribute('aria-labelledby', b.id);
      if (focus) b.focus();
    }
  }
  schedule(0);
}
for (const b of tabButtons) {
  b.addEventListener('click', () => selectTab(b.dataset.tab as PlaygroundTab));
  b.addEventListener('keydown', (e) => {
    const i = tabButtons.indexOf(b);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : null;
    if (next === null) return;
    const t = tabButtons[(next + tabButtons.length) % tabButtons.length];
    if (t) selectTab(t.dataset.tab as PlaygroundTab, true);
  });
}

// ---- rendering ----
function pre(text: string, attrs: Record<string, string> = {}): HTMLElement {
  return el('pre', attrs, text);
}
function table(head: string[], rows: (Node | string)[][], attrs: Record<string, string> = {}): HTMLTableElement {
  return el(
    'table',
    attrs,
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c))))),
  );
}

function renderLint(): Node[] {
  const ds = diagnosticsOf(mappingText());
  if (!ds.length) return [el('p', { class: 'ok', 'data-testid': 'no-diagnostics' }, 'No diagnostics.')];
  return [
    table(
      ['where', 'severity', 'code', 'message'],
      ds.map((d) => [
        `${d.range.start.line}:${d.range.start.column}`,
        el('span', { class: `sev-${d.severity}` }, d.severity),
        el('a', { href: core.diagnosticHelpUri(d.code), target: '_blank', rel: 'noopener' }, d.code),
        el('span', {}, d.message, d.hint ? el('div', { class: 'hint' }, `hint: ${d.hint}`) : null),
      ]),
      { 'data-testid': 'diagnostics' },
    ),
  ];
}

function renderFmt(): Node[] {
  const r = core.formatSource(mappingText(), { filename: core.MAPPING_FILE });
  if (r.text === null)
    return [el('p', { class: 'sev-error' }, 'Cannot format: fix the syntax errors first (see Lint).')];
  return [
    el('p', {}, r.changed ? 'Formatted (press "Format mapping" to apply):' : 'Already formatted.'),
    pre(r.text, { 'data-testid': 'formatted' }),
  ];
}

function planOrProblem(): core.Plan | Node[] {
  const { plan, diagnostics } = core.compile(mappingText(), { filename: core.MAPPING_FILE });
  if (plan) return plan;
  const n = diagnostics.filter((d) => d.severity === 'error').length;
  return [el('p', { class: 'sev-error' }, `The mapping has ${n} error${n === 1 ? '' : 's'}: see Lint.`)];
}

function renderCompile(): Node[] {
  const plan = planOrProblem();
  if (Array.isArray(plan)) return plan;
  return [el('p', {}, `Plan digest ${plan.digest}`), pre(JSON.stringify(plan, null, 2), { 'data-testid': 'plan' })];
}

const list = (xs: readonly string[]) => (xs.length ? xs.join(', ') : '(none)');

async function claimsOrProblem(): Promise<core.ReadInput | Node[]> {
  const text = claimsBox.value;
  claimsStatus.className = 'status';
  if (!text.trim()) {
    claimsStatus.textContent = 'Paste a SAML response, a JWT or OIDC claims.';
    return [el('p', {}, 'No claims: paste some in the claims pane.')];
  }
  try {
    const r = await core.readClaimsInput(text);
    const kind = { saml: 'SAML', jwt: 'JWT', json: 'JSON' }[r.format];
    claimsStatus.replaceChildren(
      el('span', { class: 'badge' }, `${kind}${r.inflated ? ' (deflated)' : ''}`),
      r.format === 'jwt'
        ? el('span', { class: 'badge unverified' }, 'decoded, signature NOT verified')
        : el('span', { class: 'badge unverified' }, 'unverified'),
      `${r.claimSet.protocol.toUpperCase()} from ${r.claimSet.issuer}`,
    );
    if (mutationNote) claimsStatus.append(el('div', {}, `Mutated by the simulation: ${mutationNote}`));
    return r;
  } catch (e) {
    const x = core.errorInfo(e);
    claimsStatus.className = 'status bad';
    claimsStatus.textContent = `${x.code}: ${x.message}`;
    return [el('p', { class: 'sev-error', 'data-testid': 'claims-error' }, `${x.code}: ${x.message}`)];
  }
}

async function renderEval(): Promise<Node[]> {
  const plan = planOrProblem();
  const input = await claimsOrProblem();
  if (Array.isArray(plan)) return plan;
  if (Array.isArray(input)) return input;
  const d = core.evaluate(plan, input.claimSet, { trace: true });
  const by = (names: string[], g: Record<string, string[]>) =>
    names.length ? names.map((n) => `${n} (${(g[n] ?? []).join(', ')})`).join(', ') : '(none)';
  const dl = el('dl', { class: 'decision' });
  const row = (k: string, v: string, id?: string) =>
    dl.append(el('dt', {}, k), el('dd', id ? { 'data-testid': id } : {}, v));
  if (d.key) row('key', `${d.key.issuer} | ${d.key.subject}`);
  row('roles', by(d.roles, d.grantedBy.roles), 'roles');
  row('entitlements', by(d.entitlements, d.grantedBy.entitlements), 'entitlements');
  row('refusals', list(d.refusals.map((r) => `${r.code}: ${r.message}`)), 'refusals');
  row('denied', list(d.denied.map((x) => `${x.kind} ${x.name} by ${x.rule} (${x.result})`)));
  row('absent', list(d.absent));
  row('malformed', list(d.malformed.map((m) => `${m.claim}: ${m.reason}`)));
  for (const [name, p] of Object.entries(d.profile))
    row(`profile ${name}`, p.state === 'present' ? JSON.stringify(p.value) : `(${p.state})`);
  const trace = (d.trace ?? []).map((t) => [
    el('code', {}, t.rule),
    t.result,
    t.fired ? 'fired' : '',
    el('code', {}, t.text),
    Object.entries(t.inputs)
      .map(([k, v]) => `${k}=${v.state === 'present' ? JSON.stringify(v.value) : v.state}`)
      .join(' '),
  ]);
  return [
    el(
      'p',
      {},
      el('span', { class: `outcome ${d.outcome}`, 'data-testid': 'outcome' }, d.outcome.toUpperCase()),
      ` ${d.mapping.name}`,
    ),
    dl,
    el('h3', {}, 'Trace'),
    table(['rule', 'result', '', 'text', 'inputs'], trace, { 'data-testid': 'trace' }),
  ];
}

function renderExplain(): Node[] {
  const plan = planOrProblem();
  if (Array.isArray(plan)) return plan;
  const select = el('select', { 'aria-label': 'Role to explain', id: 'explain-role' });
  select.append(el('option', { value: '' }, 'every role'));
  for (const r of plan.roles.declared) select.append(el('option', { value: r }, r));
  const only = role !== undefined && plan.roles.declared.includes(role) ? role : undefined;
  select.value = only ?? '';
  select.addEventListener('change', () => {
    role = select.value || undefined;
    schedule(0);
  });
  const out = [
    el('label', {}, 'Who can get ', select, '?'),
    pre(core.explainText(plan, core.explainRoles(plan, only), only === undefined), { 'data-testid': 'explain' }),
  ];
  if (plan.roles.privileged.length) {
    const priv = core.explainPrivileged(core.planSource(plan) as never, only);
    out.push(el('h3', {}, 'Privileged paths'), pre(core.privilegedText(plan.name, priv as never)));
  }
  return out;
}

async function renderSimulate(): Promise<Node[]> {
  const plan = planOrProblem();
  const input = await claimsOrProblem();
  if (Array.isArray(plan)) return plan;
  if (Array.isArray(input)) return input;
  const result = core.simulateDecisions(plan, [{ name: 'sample', claimSet: input.claimSet }]);
  const ranked = core.rankedFindings(result);
  const counts = Object.entries(result.counts)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${c} ${n}`)
    .join(' · ');
  const rows = ranked.slice(0, 100).map((o) => {
    const b = el(
      'button',
      { type: 'button', 'aria-label': `Load the claims mutated by ${o.operator} on ${o.claim}: ${o.label}` },
      'load',
    );
    b.addEventListener('click', () => applyMutation(plan, input.claimSet, o));
    return [
      `${o.critical ? 'critical ' : ''}${o.class}`,
      el('code', {}, o.claim),
      `${o.operator}: ${o.label}`,
      core.describeOutcome(o),
      b,
    ];
  });
  return [
    el('p', { 'data-testid': 'sim-summary' }, `${result.outcomes.length} mutated logins: ${counts || 'none'}.`),
    ranked.length
      ? table(['outcome', 'claim', 'mutation', 'what changed', 'claims'], rows, { 'data-testid': 'findings' })
      : el('p', { class: 'ok' }, 'No findings: every mutated login kept the baseline access and profile.'),
  ];
}

function applyMutation(
  plan: core.Plan,
  cs: core.ClaimSet,
  m: { claim: string; operator: string; label: string },
): boolean {
  const mutated = core.mutatedClaimSet(plan, cs, m);
  if (!mutated) return false;
  claimsBox.value = JSON.stringify(mutated, null, 2);
  mutationNote = `${m.claim} × ${m.operator}: ${m.label}`;
  presetSelect.value = '';
  selectTab('eval');
  return true;
}

const renderers: Record<PlaygroundTab, () => Node[] | Promise<Node[]>> = {
  lint: renderLint,
  fmt: renderFmt,
  compile: renderCompile,
  eval: renderEval,
  explain: renderExplain,
  simulate: renderSimulate,
};

let timer: ReturnType<typeof setTimeout> | undefined;
let generation = 0;
function schedule(delay = 200): void {
  clearTimeout(timer);
  timer = setTimeout(() => void refresh(), delay);
}
async function refresh(): Promise<void> {
  const g = ++generation;
  document.body.dataset.busy = 'true';
  let nodes: Node[];
  try {
    nodes = await renderers[tab]();
  } catch (e) {
    const x = core.errorInfo(e);
    nodes = [el('p', { class: 'sev-error' }, `${x.code}: ${x.message}`)];
  }
  if (g !== generation) return;
  panel.replaceChildren(...nodes);
  panel.dataset.tab = tab;
  await writeHash();
  if (g === generation) document.body.dataset.busy = 'false';
}

// ---- the URL fragment ----
function currentState(): PlaygroundState {
  return { mapping: mappingText(), claims: claimsBox.value, tab, ...(role ? { role } : {}) };
}
async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  const s = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(s).arrayBuffer());
}
async function fragmentOf(state: PlaygroundState): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(state));
  const z = await deflateRaw(json);
  return core.playgroundFragment(state, { deflateRaw: () => z });
}
let lastHash = '';
async function writeHash(): Promise<void> {
  const f = `#${await fragmentOf(currentState())}`;
  if (f !== location.hash) {
    lastHash = f;
    history.replaceState(null, '', f);
  }
}
async function readHash(hash: string): Promise<{ state: PlaygroundState | null; problem?: string }> {
  const p = core.playgroundPayload(hash);
  if ('problem' in p) return { state: null, problem: p.problem };
  try {
    const bytes = p.deflated ? await core.inflateRawBrowser(p.bytes, 4 << 20) : p.bytes;
    const state = core.parsePlaygroundState(new TextDecoder().decode(bytes));
    return state ? { state } : { state: null, problem: 'bad-state' };
  } catch {
    return { state: null, problem: 'bad-encoding' };
  }
}
async function restore(hash: string): Promise<boolean> {
  const { state, problem } = await readHash(hash);
  if (!state) {
    if (problem !== 'not-a-state') shareStatus.textContent = `This link could not be read (${problem}).`;
    return false;
  }
  setMapping(state.mapping);
  claimsBox.value = state.claims;
  role = state.role;
  presetSelect.value = presets.find((x) => x.mapping === state.mapping && x.sample === state.claims)?.id ?? '';
  mutationNote = null;
  if (state.mutation) {
    const { plan } = core.compile(state.mapping, { filename: core.MAPPING_FILE });
    let ok = false;
    if (plan) {
      try {
        ok = applyMutation(plan, (await core.readClaimsInput(state.claims)).claimSet, state.mutation);
      } catch {
        ok = false;
      }
    }
    if (!ok) shareStatus.textContent = 'The linked mutation could not be reproduced from this sample.';
    if (ok) return true;
  }
  selectTab(state.tab && (PLAYGROUND_TABS as readonly string[]).includes(state.tab) ? state.tab : 'eval');
  return true;
}
window.addEventListener('hashchange', () => {
  if (location.hash !== lastHash) void restore(location.hash);
});

document.getElementById('share')?.addEventListener('click', async () => {
  await writeHash();
  try {
    await navigator.clipboard.writeText(location.href);
    shareStatus.textContent =
      'Link copied: it holds the mapping and the claims (in the fragment, never sent to a server).';
  } catch {
    shareStatus.textContent = 'Copy the address bar: it holds the mapping and the claims.';
  }
});
document.getElementById('format')?.addEventListener('click', () => {
  const r = core.formatSource(mappingText(), { filename: core.MAPPING_FILE });
  if (r.text === null) shareStatus.textContent = 'Cannot format: the mapping has syntax errors.';
  else if (r.changed) setMapping(r.text);
});

// Hooks for the browser tests (and the console): set and read the editor's text.
(window as unknown as { playground: object }).playground = { setMapping, mappingText };

void (async () => {
  if (!(location.hash && (await restore(location.hash)))) {
    const first = presets.find((p) => p.id.startsWith('okta-saml/jane.saml')) ?? presets[0];
    if (first) {
      presetSelect.value = first.id;
      setMapping(first.mapping);
      claimsBox.value = first.sample;
    }
    selectTab('eval');
  }
  document.body.dataset.ready = 'true';
})();
