/**
 * Mutation operators: named, documented ways an IdP can send something other than the happy path. Each operator
 * turns one sample claim set into zero or more mutated claim sets, never modifying its input. The registry is
 * {@link DEFAULT_OPERATORS}; `simulate()` accepts extra operators, and {@link compose} chains two.
 *
 * SAML attribute values are always `string[]`: operators only produce shapes a SAML reader could produce (multiple
 * values, empty strings, odd text), never numbers or objects. OIDC claims are JSON: wrong JSON types are produced.
 */
import { NAMEID_FORMATS, type ClaimSet, type JsonValue } from '../model/claim-set.js';
import { planClaimFacts } from '../check/exact-path.js';
import type { ClaimPlan, Plan, ScalarType } from '../model/plan.js';
import { composeNormalizers } from '../evaluate/normalize.js';
import { getRaw, indeterminateName, mapStrings, show, stringValues, withClaim } from './claim-edit.js';
import type { MutatedClaims, MutationOperator } from './types.js';
import { cyrillicConfusable } from '../names/confusables.js';
import { defined, present } from '../model/invariant.js';

export { cyrillicConfusable };

const isMulti = (c: ClaimPlan): boolean => c.type.kind === 'set' || c.type.kind === 'list';
const elementType = (c: ClaimPlan): ScalarType => {
  const t = c.type;
  return 'element' in t ? t.element : t;
};
const always = (): boolean => true;

/** Structural equality of JSON values (no stringification: values may be 10 000 characters long). */
function sameValue(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!Object.hasOwn(b, k) || !sameValue(a[k], b[k])) return false;
  return true;
}

/** Drops variants identical to the input or to an earlier variant, and returns the rest as mutations. */
function variants(
  cs: ClaimSet,
  claim: ClaimPlan,
  raw: JsonValue | undefined,
  list: [string, JsonValue | undefined][],
): MutatedClaims[] {
  const kept: (JsonValue | undefined)[] = [raw];
  const out: MutatedClaims[] = [];
  for (const [label, value] of list) {
    if (kept.some((k) => sameValue(k, value))) continue;
    kept.push(value);
    out.push({ label, claimSet: withClaim(cs, claim, value) });
  }
  return out;
}

/**
 * The string in fullwidth forms (U+FF01..U+FF5E for ASCII, U+3000 for space); NFKC maps it back.
 *
 * @example
 * ```ts
 * fullwidth('admin') // 'ａｄｍｉｎ'
 * ```
 */
export function fullwidth(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = defined(ch.codePointAt(0));
    out += cp === 0x20 ? '\u3000' : cp > 0x20 && cp < 0x7f ? String.fromCodePoint(cp + 0xfee0) : ch;
  }
  return out;
}

/** `Jane.doe-smith` → `Jane.Doe-Smith`: lower case, then upper case after a start or separator. */
function titleCase(s: string): string {
  return s.toLowerCase().replace(/(^|[\s\-_.@])(\p{Ll})/gu, (_m, p: string, c: string) => p + c.toUpperCase());
}

/** A value of the wrong format for a SAML scalar type (SAML can only send text). */
function wrongFormatText(t: ScalarType): string | null {
  switch (t.kind) {
    case 'string':
      return null;
    case 'enum':
      return 'not-in-enum';
    case 'email':
      return 'not-an-email';
    case 'int':
      return 'twelve';
    case 'bool':
      return 'maybe';
    case 'uuid':
      return 'not-a-uuid';
    case 'url':
      return 'not a url';
    case 'datetime':
      return 'yesterday';
  }
}

const absent: MutationOperator = {
  name: 'absent',
  description: 'The claim is not sent at all (attribute release policy changed, optional claim not configured).',
  scope: 'claim',
  appliesTo: always,
  apply(cs, claim) {
    const raw = getRaw(cs, present(claim));
    return raw === undefined ? [] : [{ label: 'removed', claimSet: withClaim(cs, present(claim), undefined) }];
  },
};

const empty: MutationOperator = {
  name: 'empty',
  description:
    'The claim is sent with an empty value: an empty string (SAML: one empty AttributeValue), [] for OIDC arrays, ' +
    'and for a SAML set or list also an Attribute with no AttributeValue (an empty set, not an absent attribute).',
  scope: 'claim',
  appliesTo: always,
  apply(cs, claim) {
    const c = present(claim);
    const raw = getRaw(cs, c);
    if (cs.protocol !== 'saml')
      return variants(cs, c, raw, [[isMulti(c) ? 'empty array' : 'empty string', isMulti(c) ? [] : '']]);
    const list: [string, JsonValue][] = [['one empty value', ['']]];
    if (isMulti(c)) list.push(['no values', []]);
    return variants(cs, c, raw, list);
  },
};

const whitespacePadded: MutationOperator = {
  name: 'whitespace-padded',
  description:
    'Every string value gets a leading and a trailing space (a trailing blank typed into the IdP directory).',
  scope: 'claim',
  appliesTo: always,
  apply(cs, claim) {
    const c = present(claim);
    const raw = getRaw(cs, c);
    if (raw === undefined || stringValues(raw).length === 0) return [];
    return variants(cs, c, raw, [['" " + value + " "', mapStrings(raw, (s) => ` ${s} `)]]);
  },
};

const caseChanged: MutationOperator = {
  name: 'case-changed',
  description: 'Every string value in UPPER case, and in Title Case (a directory that re-capitalises names or groups).',
  scope: 'claim',
  appliesTo: always,
  apply(cs, claim) {
    const c = present(claim);
    const raw = getRaw(cs, c);
    if (raw === undefined || stringValues(raw).length === 0) return [];
    return variants(cs, c, raw, [
      ['UPPER CASE', mapStrings(raw, (s) => s.toUpperCase())],
      ['Title Case', mapStrings(raw, titleCase)],
    ]);
  },
};

const wrongType: MutationOperator = {
  name: 'wrong-type',
  description:
    'A value of another type. OIDC: a number, an object, an array for a scalar; a scalar or nested objects for an ' +
    'array. SAML (text only): several values for a scalar, and text of the wrong format for typed claims.',
  scope: 'claim',
  appliesTo: always,
  apply(cs, claim) {
    const c = present(claim);
    const raw = getRaw(cs, c);
    const first = stringValues(raw)[0] ?? 'x';
    const el = elementType(c);
    const list: [string, JsonValue][] = [];
    if (cs.protocol === 'saml') {
      const bad = wrongFormatText(el);
      if (!isMulti(c)) list.push(['multiple values', [first, `${first}-2`]]);
      if (bad !== null) list.push([`wrong format ${show(bad)}`, isMulti(c) ? [...stringValues(raw), bad] : [bad]]);
    } else if (isMulti(c)) {
      list.push([`scalar ${show(first)} for an array`, first]);
      list.push(['nested object in the array', [Object.create(null) as Record<string, JsonValue>]]);
      list.push(['number in the array', [42]]);
    } else {
      list.push(el.kind === 'int' ? ['string "42" for an int', '42'] : ['number 42', 42]);
      if (el.kind === 'bool') list.push(['string "true" for a bool', 'true']);
      list.push(['object {}', Object.create(null) as Record<string, JsonValue>]);
      list.push([`array [${show(first)}]`, [first]]);
    }
    return variants(cs, c, raw, list);
  },
};

const duplicatedValue: MutationOperator = {
  name: 'duplicated-value',
  description: 'The first value is sent twice (two identical SAML AttributeValues, or a repeated array element).',
  scope: 'claim',
  appliesTo: always,
  apply(cs, claim) {
    const c = present(claim);
    const raw = getRaw(cs, c);
    if (!Array.isArray(raw) || raw.length === 0) return [];
    return variants(cs, c, raw, [[`duplicate ${show(raw[0])}`, [...raw, defined(raw[0])]]]);
  },
};

const veryLong: MutationOperator = {
  name: 'very-long',
  description: 'The first string value padded to a very long string (10 000 characters by default).',
  scope: 'claim',
  appliesTo: always,
  apply(cs, claim, ctx) {
    const c = present(claim);
    const raw = getRaw(cs, c);
    const first = stringValues(raw)[0];
    if (raw === undefined || first === undefined) return [];
    const long = first + 'x'.repeat(Math.max(0, ctx.longLength - first.length));
    const value: JsonValue = Array.isArray(raw) ? raw.map((v, i) => (i === raw.indexOf(first) ? long : v)) : long;
    return variants(cs, c, raw, [[`${ctx.longLength} characters`, value]]);
  },
};

const unicodeConfusable: MutationOperator = {
  name: 'unicode-confusable',
  description: 'Look-alike characters: a Cyrillic letter for a Latin one (а for a), and fullwidth forms (ａｄｍｉｎ).',
  scope: 'claim',
  appliesTo: always,
  apply(cs, claim) {
    const c = present(claim);
    const raw = getRaw(cs, c);
    if (raw === undefined || stringValues(raw).length === 0) return [];
    return variants(cs, c, raw, [
      ['Cyrillic look-alike letter', mapStrings(raw, (s) => cyrillicConfusable(s) ?? s)],
      ['fullwidth forms', mapStrings(raw, fullwidth)],
    ]);
  },
};

const valueRemoved: MutationOperator = {
  name: 'value-removed',
  description: 'For a set or list: each value removed in turn (a group membership revoked).',
  scope: 'claim',
  appliesTo: (c) => c !== null && isMulti(c),
  apply(cs, claim, ctx) {
    const c = present(claim);
    const raw = getRaw(cs, c);
    if (!Array.isArray(raw)) return [];
    const list: [string, JsonValue][] = [];
    for (let i = 0; i < raw.length && i < ctx.maxSetValues; i++) {
      list.push([`- ${show(raw[i])}`, raw.filter((_, j) => j !== i)]);
    }
    return variants(cs, c, raw, list);
  },
};

/**
 * Near misses of a literal: a suffix, upper case, a leading space, a Cyrillic look-alike and fullwidth forms.
 *
 * @example
 * ```ts
 * nearMisses('okta-admins') // ['okta-admins-x', 'OKTA-ADMINS', ' okta-admins', 'оkta-admins', 'ｏｋｔａ-ａｄｍｉｎｓ']
 * ```
 */
export function nearMisses(lit: string): string[] {
  const out = [`${lit}-x`, lit.toUpperCase(), ` ${lit}`, cyrillicConfusable(lit) ?? lit, fullwidth(lit)];
  return [...new Set(out)].filter((v) => v !== lit);
}

const nearPrivileged: MutationOperator = {
  name: 'near-privileged',
  description:
    'A value that nearly matches a literal the rules test (privileged rules first): okta-admins-x, OKTA-ADMINS, ' +
    '" okta-admins", a look-alike. Added to a set or list; replaces a scalar.',
  scope: 'claim',
  appliesTo: always,
  apply(cs, claim, ctx) {
    return planted(cs, present(claim), ctx.literals.flatMap(nearMisses));
  },
};

function stringValuesOrEmpty(raw: JsonValue | undefined): JsonValue[] {
  return Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
}

/**
 * One mutation per value `v`: `v` added to a set or list (labelled `+ v`), or replacing a scalar (labelled `v`).
 * What an IdP sends when a user holds a group named `v`, or has typed `v` into an attribute. A value of `alone`
 * replaces a set or list instead (labelled `only v`): a user whose only group is `v`.
 */
function planted(
  cs: ClaimSet,
  c: ClaimPlan,
  values: readonly string[],
  alone: readonly string[] = [],
): MutatedClaims[] {
  if (values.length === 0 && alone.length === 0) return [];
  const raw = getRaw(cs, c);
  const list: [string, JsonValue][] = [];
  for (const v of values) {
    if (isMulti(c)) {
      const base = cs.protocol === 'saml' || Array.isArray(raw) ? stringValuesOrEmpty(raw) : [];
      list.push([`+ ${show(v)}`, [...base, v]]);
    } else {
      list.push([`${show(v)}`, cs.protocol === 'saml' ? [v] : v]);
    }
  }
  for (const v of alone)
    list.push(isMulti(c) ? [`only ${show(v)}`, [v]] : [`${show(v)}`, cs.protocol === 'saml' ? [v] : v]);
  return variants(cs, c, raw, list);
}

// ---- privileged look-alikes, lost values and user edits: the classes `privileged/*` lint codes report ----

/**
 * Non-ASCII letters that a case-insensitive comparison can equate with an ASCII letter: U+017F (long s) and U+212A
 * (Kelvin sign) fold to `s` and `k` under Unicode simple case folding (a `/i` regex, on V8 and on RE2 alike) and
 * under NFKC (`normalize nfkc` / `lower`). U+0131 (dotless i) and U+0130 (I with dot) are what locale-dependent
 * (Turkish) folding equates with `i` and `I`; claimmap's comparisons do not, so they must never escalate.
 */
const FOLD_LOOK_ALIKES: readonly (readonly [RegExp, string])[] = Object.freeze([
  [/[sS]/, '\u017f'],
  [/[kK]/, '\u212a'],
  [/i/, '\u0131'],
  [/I/, '\u0130'],
] as const);

/** Compatibility ligatures NFKC expands back to ASCII, longest first. */
const LIGATURES: readonly (readonly [string, string])[] = Object.freeze([
  ['ffi', '\ufb03'],
  ['ffl', '\ufb04'],
  ['ff', '\ufb00'],
  ['fi', '\ufb01'],
  ['fl', '\ufb02'],
  ['st', '\ufb06'],
] as const);

/** `vault-admins` → `vault-admiNS`: the case of the last two cased letters inverted. */
function mixedCase(s: string): string {
  const chars = [...s];
  let left = 2;
  for (let i = chars.length - 1; i >= 0 && left > 0; i--) {
    const ch = defined(chars[i]);
    const up = ch.toUpperCase();
    const low = ch.toLowerCase();
    if (up === low) continue;
    chars[i] = ch === low ? up : low;
    left--;
  }
  return chars.join('');
}

/**
 * Case variants of a literal (UPPER, lower, Title, mixed) and the look-alikes case folding equates with it: each of
 * {@link FOLD_LOOK_ALIKES} replacing the first letter it stands for. Variants equal to the literal are left out.
 *
 * @example
 * ```ts
 * caseFoldVariants('vault-admins')
 * // ['VAULT-ADMINS', 'Vault-Admins', 'vault-admiNS', 'vault-admin\u017f', 'vault-adm\u0131ns']
 * ```
 */
export function caseFoldVariants(lit: string): string[] {
  const out = [lit.toUpperCase(), lit.toLowerCase(), titleCase(lit), mixedCase(lit)];
  for (const [letter, alike] of FOLD_LOOK_ALIKES) {
    const m = letter.exec(lit);
    if (m) out.push(lit.slice(0, m.index) + alike + lit.slice(m.index + 1));
  }
  return [...new Set(out)].filter((v) => v !== lit);
}

/**
 * Compatibility look-alikes of a literal that NFKC maps back to it: the fullwidth forms, and the first ligature
 * the literal spells (ﬁ for fi, ﬆ for st...). Variants equal to the literal are left out.
 *
 * @example
 * ```ts
 * compatibilityVariants('staff') // ['ｓｔａｆｆ', 'sta\ufb00']
 * ```
 */
export function compatibilityVariants(lit: string): string[] {
  const out = [fullwidth(lit)];
  for (const [letters, ligature] of LIGATURES) {
    const i = lit.indexOf(letters);
    if (i >= 0) {
      out.push(lit.slice(0, i) + ligature + lit.slice(i + letters.length));
      break;
    }
  }
  return [...new Set(out)].filter((v) => v !== lit);
}

/** Claims compared as text: look-alikes of a uuid, an int or a url are the same value or malformed, never another one. */
const comparedAsText = (c: ClaimPlan | null): boolean => {
  if (c === null) return false;
  const k = elementType(c).kind;
  return k === 'string' || k === 'email' || k === 'enum';
};

/** An operator planting, in claims compared as text, `variantsOf` each privileged literal of the claim. */
function lookAlikeOperator(name: string, description: string, variantsOf: (lit: string) => string[]): MutationOperator {
  return {
    name,
    description,
    scope: 'claim',
    appliesTo: comparedAsText,
    apply: (cs, claim, ctx) => planted(cs, present(claim), (ctx.privilegedLiterals ?? []).flatMap(variantsOf)),
  };
}

const caseFold = lookAlikeOperator(
  'case-fold',
  'Case and case-fold look-alikes of the literals privileged rules compare the claim with (vault-admins: ' +
    'VAULT-ADMINS, Vault-Admins, vault-admiNS, long s U+017F, Kelvin sign U+212A, dotless/dotted i): a group ' +
    'another person can name. Added to a set or list; replaces a scalar. Escalates where a grant folds case ' +
    '(a /i regex, normalize lower).',
  caseFoldVariants,
);

const nfkcLookAlike = lookAlikeOperator(
  'nfkc-look-alike',
  'Compatibility look-alikes of the literals privileged rules compare the claim with, which NFKC maps back to ' +
    'them: fullwidth forms (ｖａｕｌｔ－ａｄｍｉｎｓ) and ligatures (ﬁ, ﬆ). Added to a set or list; replaces a ' +
    'scalar. Escalates where the claim is declared normalize nfkc or lower.',
  compatibilityVariants,
);

const lostValues: MutationOperator = {
  name: 'lost-values',
  description:
    'For a set or list: the values a privileged rule tests under a negation (not "Contractors" in groups) or in ' +
    'a deny are lost (the IdP stopped sending them): each removed, then all of them. Escalates where a grant ' +
    'relies on the absence of a value.',
  scope: 'claim',
  appliesTo: (c) => c !== null && isMulti(c),
  apply(cs, claim, ctx) {
    const c = present(claim);
    const negated = ctx.negatedLiterals ?? [];
    const raw = getRaw(cs, c);
    if (negated.length === 0 || !Array.isArray(raw)) return [];
    const norm = composeNormalizers(c.normalize) ?? ((s: string) => s);
    const is = (v: JsonValue, lit: string): boolean => typeof v === 'string' && norm(v) === norm(lit);
    const held = negated.filter((lit) => raw.some((v) => is(v, lit)));
    const list: [string, JsonValue][] = held.map((lit) => [`- ${show(lit)}`, raw.filter((v) => !is(v, lit))]);
    if (held.length > 1)
      list.push([`- ${held.map((l) => show(l)).join(', ')}`, raw.filter((v) => !held.some((lit) => is(v, lit)))]);
    return variants(cs, c, raw, list);
  },
};

const userEdited: MutationOperator = {
  name: 'user-edited',
  description:
    'A claim users can often edit themselves (title, name, email... as the checker lists them) set to each ' +
    'literal a privileged rule compares it with: the user typed it into their profile. Added to a set or list; ' +
    'replaces a scalar.',
  scope: 'claim',
  // The checker's own answer for this IdP; a claim declared `trusted "<why>"` is taken at its word, as lint does.
  appliesTo: (c, plan) => c !== null && planClaimFacts(plan)(c.name)?.editable !== undefined,
  apply(cs, claim, ctx) {
    return planted(cs, present(claim), ctx.privilegedLiterals ?? []);
  },
};

const regexWitness: MutationOperator = {
  name: 'regex-witness',
  description:
    'Values an inexact test of a privileged rule accepts though no exact reading of it names them ' +
    '(regex-witness.ts): ' +
    'x/admins and /sandbox/admins for /^.*\\/admins$/, gh-xx for /^gh-[a-z]+$/, xadminsx for /admins/, adminx for ' +
    'starts_with "admin". At most 4 per claim. Added to a set or list (as its only value for an `all` test); ' +
    'replaces a scalar.',
  scope: 'claim',
  appliesTo: always,
  apply(cs, claim, ctx) {
    const ws = ctx.witnesses ?? [];
    return planted(
      cs,
      present(claim),
      ws.filter((w) => !w.all).map((w) => w.value),
      ws.filter((w) => w.all).map((w) => w.value),
    );
  },
};

const overage: MutationOperator = {
  name: 'overage',
  description: 'The IdP says the value is incomplete (Entra ID group overage): the claim is listed as indeterminate.',
  scope: 'claim',
  appliesTo: (c) => c !== null && isMulti(c),
  apply(cs, claim) {
    const name = indeterminateName(cs, present(claim));
    if (cs.indeterminate?.includes(name)) return [];
    return [{ label: 'marked indeterminate', claimSet: { ...cs, indeterminate: [...(cs.indeterminate ?? []), name] } }];
  },
};

// ---- login-scope operators: the key and the issuer ----

/** The claim set with another subject id (and `sub` claim, for OIDC, kept consistent). */
function withSubjectId(cs: ClaimSet, id: string, format?: string): ClaimSet {
  const subject = { ...cs.subject, id };
  if (format !== undefined) subject.format = format;
  const out: ClaimSet = { ...cs, subject };
  const claims = cs.claims as Record<string, JsonValue>;
  if (cs.protocol === 'oidc' && typeof claims === 'object' && claims !== null && Object.hasOwn(claims, 'sub')) {
    const copy = Object.assign(Object.create(null) as Record<string, JsonValue>, claims);
    if (id === '') delete copy.sub;
    else copy.sub = id;
    out.claims = copy;
  }
  return out;
}

/** Another value of the same type for a key claim: a different uuid, or the value with `-2`. */
function otherKeyValue(v: JsonValue | undefined, t: ScalarType): JsonValue {
  const s = typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : String(v ?? 'x');
  if (t.kind === 'uuid') return `${s.slice(0, -1)}${s.endsWith('0') ? '1' : '0'}`;
  if (t.kind === 'int') return typeof v === 'number' ? v + 1 : `${Number.parseInt(s, 10) + 1}`;
  return `${s}-2`;
}

function keyClaims(plan: Plan): ClaimPlan[] {
  return plan.key.kind === 'claims'
    ? plan.claims.filter((c) => (plan.key as { claims: string[] }).claims.includes(c.name))
    : [];
}

const keyAbsent: MutationOperator = {
  name: 'key-absent',
  description: 'No subject: an empty NameID or sub, or (for a claims key) every key claim removed.',
  scope: 'login',
  appliesTo: always,
  apply(cs, _claim, ctx) {
    if (ctx.plan.key.kind !== 'claims') return [{ label: 'empty subject', claimSet: withSubjectId(cs, '') }];
    let out = cs;
    for (const c of keyClaims(ctx.plan)) out = withClaim(out, c, undefined);
    return [{ label: 'key claims removed', claimSet: out }];
  },
};

const keyTransient: MutationOperator = {
  name: 'key-transient',
  description: 'A transient NameID (a new random id every login) instead of the durable one (SAML only).',
  scope: 'login',
  appliesTo: (_c, plan) => plan.idp.protocol === 'saml',
  apply(cs) {
    if (cs.protocol !== 'saml') return [];
    return [
      { label: 'transient NameID', claimSet: withSubjectId(cs, '_7f3c9a1e0b5d4e2f8a6c', NAMEID_FORMATS.transient) },
    ];
  },
};

const newSubjectSameEmail: MutationOperator = {
  name: 'new-subject-same-email',
  description: 'Another subject with the same email and profile (the IdP re-created the user, or an account takeover).',
  scope: 'login',
  appliesTo: always,
  apply(cs, _claim, ctx) {
    if (ctx.plan.key.kind !== 'claims') {
      const id = typeof cs.subject?.id === 'string' ? cs.subject.id : '';
      return [{ label: `subject ${show(`${id}-2`)}`, claimSet: withSubjectId(cs, `${id}-2`) }];
    }
    let out = cs;
    for (const c of keyClaims(ctx.plan)) {
      const raw = getRaw(cs, c);
      if (raw === undefined) continue;
      const v = otherKeyValue(raw, elementType(c));
      out = withClaim(out, c, cs.protocol === 'saml' ? [String(v)] : v);
    }
    return out === cs ? [] : [{ label: 'other key claim values', claimSet: out }];
  },
};

const sameSubjectNewEmail: MutationOperator = {
  name: 'same-subject-new-email',
  description: 'The same subject with a new email address (a rename, or a recycled address).',
  scope: 'login',
  appliesTo: (_c, plan) => plan.claims.some((c) => elementType(c).kind === 'email' && !isMulti(c)),
  apply(cs, _claim, ctx) {
    let out = cs;
    for (const c of ctx.plan.claims) {
      if (elementType(c).kind !== 'email' || isMulti(c)) continue;
      const raw = getRaw(cs, c);
      if (raw === undefined || stringValues(raw).length === 0) continue;
      out = withClaim(
        out,
        c,
        mapStrings(raw, (s) => `renamed.${s}`),
      );
    }
    return out === cs ? [] : [{ label: 'email "renamed." + email', claimSet: out }];
  },
};

const anotherIssuer: MutationOperator = {
  name: 'another-issuer',
  description: 'The same claims from another issuer (another tenant or IdP).',
  scope: 'login',
  appliesTo: always,
  apply(cs) {
    const issuer = `${typeof cs.issuer === 'string' ? cs.issuer : ''}/other-tenant`;
    return [{ label: `issuer ${show(issuer)}`, claimSet: { ...cs, issuer } }];
  },
};

/**
 * Every built-in operator, in run order. Frozen: pass `operators` or `extraOperators` to `simulate()` to change it.
 *
 * @example
 * ```ts
 * const names = DEFAULT_OPERATORS.map((op) => op.name); // ['absent', 'empty', ...]
 * ```
 */
export const DEFAULT_OPERATORS: readonly MutationOperator[] = Object.freeze([
  absent,
  empty,
  whitespacePadded,
  caseChanged,
  wrongType,
  duplicatedValue,
  veryLong,
  unicodeConfusable,
  valueRemoved,
  nearPrivileged,
  lostValues,
  caseFold,
  nfkcLookAlike,
  userEdited,
  regexWitness,
  overage,
  keyAbsent,
  keyTransient,
  newSubjectSameEmail,
  sameSubjectNewEmail,
  anotherIssuer,
]);

/**
 * The built-in operator with this name, or undefined.
 *
 * @example
 * ```ts
 * const op = operatorByName('case-changed');
 * ```
 */
export function operatorByName(name: string): MutationOperator | undefined {
  return DEFAULT_OPERATORS.find((op) => op.name === name);
}

/**
 * Chains two operators: every result of `a` is mutated again by `b` (on the same claim). The composite applies
 * where both do; its scope is `claim` unless both are `login`.
 *
 * @example
 * ```ts
 * const paddedUpper = compose(operatorByName('whitespace-padded')!, operatorByName('case-changed')!);
 * simulate(plan, samples, { extraOperators: [paddedUpper] });
 * ```
 */
export function compose(a: MutationOperator, b: MutationOperator): MutationOperator {
  return {
    name: `${a.name}+${b.name}`,
    description: `${a.description} Then: ${b.description}`,
    scope: a.scope === 'login' && b.scope === 'login' ? 'login' : 'claim',
    appliesTo: (claim, plan) =>
      a.appliesTo(a.scope === 'login' ? null : claim, plan) && b.appliesTo(b.scope === 'login' ? null : claim, plan),
    apply(cs, claim, ctx) {
      const out: MutatedClaims[] = [];
      for (const first of a.apply(cs, a.scope === 'login' ? null : claim, ctx)) {
        for (const second of b.apply(first.claimSet, b.scope === 'login' ? null : claim, ctx)) {
          out.push({ label: `${first.label}, then ${second.label}`, claimSet: second.claimSet });
        }
      }
      return out;
    },
  };
}

/**
 * Checks that a value is a usable operator (for operators supplied by callers); throws TypeError otherwise.
 *
 * @example
 * ```ts
 * assertOperator(myOperator);
 * ```
 */
export function assertOperator(op: unknown): asserts op is MutationOperator {
  const o = op as Partial<MutationOperator> | null;
  if (
    typeof o !== 'object' ||
    o === null ||
    typeof o.name !== 'string' ||
    o.name === '' ||
    typeof o.description !== 'string' ||
    (o.scope !== 'claim' && o.scope !== 'login') ||
    typeof o.appliesTo !== 'function' ||
    typeof o.apply !== 'function'
  ) {
    throw new TypeError('simulate: an operator needs name, description, scope, appliesTo and apply');
  }
}
