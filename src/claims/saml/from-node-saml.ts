/**
 * node-saml (`@node-saml/node-saml`, passport-saml) Profile → verified claim set. node-saml has checked the
 * signature before it hands out a Profile; this adapter only reshapes it. Attribute values in a Profile are a string,
 * an array, `undefined` for `xsi:nil`, or an xml2js object for complex content.
 */
import type { ClaimSet, Subject } from '../../model/claim-set.js';
import { ClaimsError } from '../errors.js';
import { type SamlReadOptions, samlLimits } from '../options.js';
import { assembleSaml, type RawAttribute } from './assemble.js';
import { defined } from '../../model/invariant.js';

/**
 * The fields of a node-saml `Profile` this adapter reads (structural: no dependency on node-saml).
 *
 * @example
 * ```ts
 * const { profile } = await saml.validatePostResponseAsync(req.body); // node-saml
 * const claimSet = fromNodeSamlProfile(profile satisfies NodeSamlProfileLike);
 * ```
 */
export interface NodeSamlProfileLike {
  issuer?: unknown;
  nameID?: unknown;
  nameIDFormat?: unknown;
  nameQualifier?: unknown;
  spNameQualifier?: unknown;
  /** Attribute Name → value(s), as node-saml builds it. */
  attributes?: unknown;
}

function optionalString(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string')
    throw new ClaimsError('saml/invalid-profile', `the profile field '${field}' is not a string`);
  return v;
}

/** One node-saml attribute value → string, or undefined for xsi:nil. */
function profileValue(v: unknown, name: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => k !== '$');
    if (keys.length === 0) return undefined; // only XML attributes: an empty or nil value
    if (keys.length === 1 && keys[0] === '_' && typeof o._ === 'string') return o._;
    // eduPersonTargetedID: { NameID: [{ _: 'value', $: {...} }] } (with or without a prefix)
    if (keys.length === 1 && /(^|:)NameID$/.test(defined(keys[0]))) {
      const inner = o[defined(keys[0])];
      if (Array.isArray(inner) && inner.length === 1) {
        const n = inner[0] as unknown;
        if (typeof n === 'string') return n;
        if (typeof n === 'object' && n !== null && typeof (n as Record<string, unknown>)._ === 'string')
          return (n as Record<string, string>)._;
      }
    }
  }
  throw new ClaimsError(
    'saml/invalid-profile',
    `the attribute '${name}' holds a value that is neither text nor a NameID`,
  );
}

/**
 * Turns a node-saml `Profile` (already signature-checked by node-saml) into a claim set marked `verified: true`.
 * FriendlyName and NameFormat are not in a Profile; for those, and for exact document order, prefer
 * `fromVerifiedSamlXml(profile.getAssertionXml())`.
 *
 * @example
 * ```ts
 * const { profile } = await saml.validatePostResponseAsync(req.body);
 * const cs = fromNodeSamlProfile(profile!);
 * evaluate(plan, cs);
 * ```
 */
export function fromNodeSamlProfile(profile: NodeSamlProfileLike, options?: SamlReadOptions): ClaimSet {
  if (typeof profile !== 'object' || profile === null)
    throw new TypeError('claimmap: fromNodeSamlProfile expects a node-saml Profile object');
  const limits = samlLimits(options);
  const issuer = optionalString(profile.issuer, 'issuer');
  if (issuer === undefined || issuer === '') throw new ClaimsError('saml/missing-issuer', 'the profile has no issuer');
  const id = optionalString(profile.nameID, 'nameID');
  if (id === undefined || id === '') throw new ClaimsError('saml/missing-subject', 'the profile has no nameID');
  const subject: Subject = { id };
  const format = optionalString(profile.nameIDFormat, 'nameIDFormat');
  const nq = optionalString(profile.nameQualifier, 'nameQualifier');
  const spnq = optionalString(profile.spNameQualifier, 'spNameQualifier');
  if (format !== undefined) subject.format = format;
  if (nq !== undefined) subject.nameQualifier = nq;
  if (spnq !== undefined) subject.spNameQualifier = spnq;

  const attributes: RawAttribute[] = [];
  const raw = profile.attributes;
  if (raw !== undefined && raw !== null) {
    if (typeof raw !== 'object' || Array.isArray(raw))
      throw new ClaimsError('saml/invalid-profile', 'the profile attributes are not an object');
    const names = Object.keys(raw);
    if (names.length > limits.maxAttributes) {
      throw new ClaimsError('saml/too-many-attributes', `more than maxAttributes (${limits.maxAttributes}) attributes`);
    }
    for (const name of names) {
      const v = (raw as Record<string, unknown>)[name];
      const list = Array.isArray(v) ? v : [v];
      if (list.length > limits.maxValuesPerAttribute) {
        throw new ClaimsError(
          'saml/too-many-values',
          `the attribute '${name}' has more than maxValuesPerAttribute (${limits.maxValuesPerAttribute}) values`,
        );
      }
      const values: string[] = [];
      for (const item of list) {
        const s = profileValue(item, name);
        if (s === undefined) continue;
        if (s.length > limits.maxValueLength)
          throw new ClaimsError(
            'saml/value-too-long',
            `a value of '${name}' is longer than maxValueLength (${limits.maxValueLength})`,
          );
        values.push(s);
      }
      attributes.push({ name, values });
    }
  }
  return assembleSaml({ issuer, subject, attributes, verified: true, warnings: [] }, limits);
}
