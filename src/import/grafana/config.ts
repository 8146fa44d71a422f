/**
 * Reads Grafana's configuration in its three documented spellings into one table of sections and keys, each value
 * with the place it came from:
 * - grafana.ini (parsed by `ini`; a line scan finds each key's line),
 * - environment variables `GF_<SECTION>_<KEY>=value` (Grafana's override syntax: the section name upper-cased, `.`
 *   and `-` replaced by `_`), one a line as in a `.env` file or a `docker run --env-file`,
 * - Helm chart values: the `grafana.ini:` map (at the top, or under `grafana:` as kube-prometheus-stack nests it).
 */
import { parse as parseIni } from 'ini';
import { isMap, isScalar, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { ImportNote, SourceLocation } from '../types.js';
import { note } from '../notes.js';

export interface GrafanaSetting {
  value: string;
  location: SourceLocation;
  /** The 1-based column where the value's text starts on its line (0 when unknown), for offsets inside it. */
  valueColumn: number;
}

export interface GrafanaConfig {
  format: 'ini' | 'env' | 'helm';
  /** Section name (`auth.generic_oauth`) → key → setting. */
  sections: Map<string, Map<string, GrafanaSetting>>;
  /** Where each section starts. */
  sectionLocations: Map<string, SourceLocation>;
}

/** The sections whose environment-variable spelling the reader recognises (longest prefix wins). */
export const KNOWN_SECTIONS = [
  'auth.generic_oauth',
  'auth.azuread',
  'auth.okta',
  'auth.google',
  'auth.gitlab',
  'auth.github',
  'auth',
  'users',
] as const;

const ENV_LINE = /^\s*(?:export\s+)?(GF_[A-Za-z0-9_]+)\s*=(.*)$/;

export function readGrafanaConfig(text: string, file: string): { config: GrafanaConfig | null; notes: ImportNote[] } {
  const lines = text.split(/\r\n|\r|\n/);
  const meaningful = lines.filter((l) => l.trim() !== '' && !/^\s*[#;]/.test(l));
  if (meaningful.length > 0 && meaningful.every((l) => ENV_LINE.test(l))) return readEnv(lines, file);
  if (/^\s*["']?grafana(\.ini)?["']?\s*:/m.test(text) && !/^\s*\[[^\]]+\]\s*$/m.test(text)) return readHelm(text, file);
  return readIniText(text, lines, file);
}

function at(file: string, line: number, column = 1, pointer?: string): SourceLocation {
  return pointer === undefined ? { file, line, column } : { file, line, column, pointer };
}

function put(config: GrafanaConfig, section: string, key: string, setting: GrafanaSetting): void {
  let keys = config.sections.get(section);
  if (!keys) {
    keys = new Map();
    config.sections.set(section, keys);
    config.sectionLocations.set(section, setting.location);
  }
  keys.set(key, setting);
}

function stringOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(stringOf).join(' ');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function readIniText(
  text: string,
  lines: string[],
  file: string,
): { config: GrafanaConfig | null; notes: ImportNote[] } {
  let parsed: Record<string, unknown>;
  try {
    parsed = parseIni(text) as Record<string, unknown>;
  } catch (e) {
    return {
      config: null,
      notes: [note('import/invalid-input', `This is not a grafana.ini file: ${(e as Error).message}`, at(file, 0, 0))],
    };
  }
  const config: GrafanaConfig = { format: 'ini', sections: new Map(), sectionLocations: new Map() };
  // `ini` nests `[auth.generic_oauth]` as auth → generic_oauth; the line scan gives the section names as written.
  let section = '';
  lines.forEach((raw, index) => {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(raw);
    if (header) {
      section = (header[1] ?? '').trim();
      if (!config.sectionLocations.has(section)) config.sectionLocations.set(section, at(file, index + 1));
      return;
    }
    const kv = /^(\s*)([^=;#\s][^=]*?)\s*=/.exec(raw);
    if (!kv || section === '') return;
    const key = (kv[2] ?? '').trim();
    let node: unknown = parsed;
    for (const part of section.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
    const value = (node as Record<string, unknown> | undefined)?.[key];
    if (value === undefined) return;
    const eq = raw.indexOf('=');
    const rest = raw.slice(eq + 1);
    const lead = rest.length - rest.trimStart().length;
    const quoted = /^["`]/.test(rest.trimStart()) ? 1 : 0;
    // `ini` unquotes '...' as well as "...": Grafana's go-ini does not strip single quotes, which are JMESPath's raw
    // string literals (role_attribute_path = 'Admin'), so such a value is taken as written.
    const written = rest.trim();
    put(config, section, key, {
      value: written.startsWith("'") ? written : stringOf(value),
      location: at(file, index + 1, (kv[1] ?? '').length + 1),
      valueColumn: eq + 2 + lead + quoted,
    });
  });
  return { config, notes: [] };
}

function readEnv(lines: string[], file: string): { config: GrafanaConfig | null; notes: ImportNote[] } {
  const config: GrafanaConfig = { format: 'env', sections: new Map(), sectionLocations: new Map() };
  const notes: ImportNote[] = [];
  const prefixes = KNOWN_SECTIONS.map((s) => ({
    section: s,
    prefix: `GF_${s.toUpperCase().replace(/[.-]/g, '_')}_`,
  })).sort((a, b) => b.prefix.length - a.prefix.length);
  lines.forEach((raw, index) => {
    const m = ENV_LINE.exec(raw);
    if (!m) return;
    const name = m[1] ?? '';
    const known = prefixes.find((p) => name.startsWith(p.prefix));
    const location = at(file, index + 1, raw.indexOf(name) + 1);
    if (!known) {
      notes.push(note('import/ignored', `${name} configures nothing the import reads.`, location));
      return;
    }
    let value = (m[2] ?? '').trim();
    const rawValue = m[2] ?? '';
    let valueColumn = raw.length - rawValue.length + 1 + (rawValue.length - rawValue.trimStart().length);
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) {
      value = value.slice(1, -1);
      valueColumn++;
      if (m[2]?.trim()[0] === '"') value = value.replace(/\\(["\\$`])/g, '$1');
    }
    put(config, known.section, name.slice(known.prefix.length).toLowerCase(), { value, location, valueColumn });
  });
  return { config, notes };
}

function readHelm(text: string, file: string): { config: GrafanaConfig | null; notes: ImportNote[] } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = counter.linePos(e?.pos[0] ?? 0);
    return {
      config: null,
      notes: [
        note(
          'import/invalid-input',
          `The Helm values are not valid YAML: ${e?.message.split('\n')[0] ?? ''}`,
          at(file, pos.line, pos.col),
        ),
      ],
    };
  }
  const loc = (node: YamlNode | null | undefined, pointer: string): SourceLocation => {
    const pos = counter.linePos(node?.range?.[0] ?? 0);
    return at(file, node?.range ? pos.line : 0, node?.range ? pos.col : 0, pointer);
  };
  let ini: unknown = doc.get('grafana.ini', true);
  let base = '/grafana.ini';
  if (!isMap(ini)) {
    const nested = doc.getIn(['grafana', 'grafana.ini'], true);
    if (isMap(nested)) {
      ini = nested;
      base = '/grafana/grafana.ini';
    }
  }
  const config: GrafanaConfig = { format: 'helm', sections: new Map(), sectionLocations: new Map() };
  if (!isMap(ini)) {
    return {
      config: null,
      notes: [note('import/invalid-input', 'The Helm values have no grafana.ini map.', at(file, 1, 1))],
    };
  }
  for (const pair of ini.items) {
    const section = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!isMap(pair.value)) continue;
    const sectionPointer = `${base}/${escapePointer(section)}`;
    config.sectionLocations.set(section, loc(pair.key as YamlNode, sectionPointer));
    for (const item of pair.value.items) {
      const key = isScalar(item.key) ? String(item.key.value) : '';
      const valueNode = item.value as YamlNode | null;
      const value = valueNode && 'toJSON' in valueNode ? (valueNode.toJSON() as unknown) : null;
      let valueColumn = 0;
      if (isScalar(valueNode) && valueNode.range) {
        const quoted = valueNode.type === 'QUOTE_DOUBLE' || valueNode.type === 'QUOTE_SINGLE' ? 1 : 0;
        const block = valueNode.type === 'BLOCK_LITERAL' || valueNode.type === 'BLOCK_FOLDED';
        valueColumn = block ? 0 : counter.linePos(valueNode.range[0]).col + quoted;
      }
      put(config, section, key, {
        value: stringOf(value),
        location: loc(item.key as YamlNode, `${sectionPointer}/${escapePointer(key)}`),
        valueColumn,
      });
    }
  }
  return { config, notes: [] };
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
