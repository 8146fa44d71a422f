/**
 * `claimmap import keycloak`: a realm export (JSON, as `kc.sh export` or the admin console's partial export writes
 * it) → the mapping of one identity provider: its issuer and brokered-user key, its mappers (role, group,
 * attribute and username importers, with their sync modes) and its first-broker-login linking policy. Keycloak's
 * own semantics for `--compare` are in semantics.ts, with the documentation each rule comes from.
 */
import type { JsonValue } from '../../model/claim-set.js';
import { ClaimTable, type MappingSpec, type Origin, emitMapping } from '../emit.js';
import { failedImport, guardImporter } from '../failure.js';
import { asArray, asBool, asObject, asString, type JsonObject, own } from '../json-access.js';
import { type LocatedDocument, fileStart, readJsonFile } from '../locate.js';
import { note } from '../notes.js';
import type { ImportNote, ImportOptions, ImportResult, Importer } from '../types.js';
import { linkingPolicy } from './flow.js';
import { translateMapper, type MapperContext, type SyncMode } from './mappers.js';
import { type KeycloakKey, keycloakSemantics, samlValues } from './semantics.js';

/** Identity-provider settings that concern the connection or the login page, not claim mapping. */
const IGNORED_IDP_KEYS = new Set([
  'internalId',
  'displayName',
  'enabled',
  'updateProfileFirstLoginMode',
  'storeToken',
  'addReadTokenRoleOnCreate',
  'authenticateByDefault',
  'hideOnLogin',
  'organizationId',
  'postBrokerLoginFlowAlias',
]);
const IGNORED_CONFIG_KEYS = new Set([
  'clientId',
  'clientSecret',
  'clientAuthMethod',
  'clientAssertionSigningAlg',
  'authorizationUrl',
  'tokenUrl',
  'userInfoUrl',
  'logoutUrl',
  'jwksUrl',
  'useJwksUrl',
  'validateSignature',
  'publicKeySignatureVerifier',
  'pkceEnabled',
  'pkceMethod',
  'defaultScope',
  'prompt',
  'loginHint',
  'uiLocales',
  'backchannelSupported',
  'disableUserInfo',
  'guiOrder',
  'hideOnLoginPage',
  'acceptsPromptNoneForwardFromClient',
  'allowedClockSkew',
  'singleSignOnServiceUrl',
  'singleLogoutServiceUrl',
  'postBindingResponse',
  'postBindingAuthnRequest',
  'postBindingLogout',
  'wantAuthnRequestsSigned',
  'wantAssertionsSigned',
  'wantAssertionsEncrypted',
  'signingCertificate',
  'signatureAlgorithm',
  'xmlSigKeyInfoKeyNameTransformer',
  'entityId',
  'forceAuthn',
  'allowCreate',
  'attributeConsumingServiceIndex',
  'metadataDescriptorUrl',
  'sendClientIdOnLogout',
  'sendIdTokenOnLogout',
  'caseSensitiveOriginalUsername',
  'filteredByClaim',
  'claimFilterName',
  'claimFilterValue',
]);

const fail = (notes: ImportNote[]): ImportResult => failedImport('keycloak', notes);

/** Picks the identity provider: the one --idp names, or the only one. */
function pickIdp(
  doc: LocatedDocument,
  file: string,
  wanted: string | undefined,
): { idp: JsonObject; index: number } | ImportNote[] {
  const list = asArray(own(asObject(doc.value), 'identityProviders'));
  if (!asObject(doc.value)) return [note('import/invalid-input', 'a realm export is a JSON object', fileStart(file))];
  if (!list || list.length === 0)
    return [note('import/no-idp', 'the realm export has no identityProviders', doc.at('/identityProviders'))];
  const aliases = list.map((p) => asString(own(asObject(p), 'alias')) ?? '');
  if (wanted === undefined) {
    if (list.length === 1 && asObject(list[0])) return { idp: asObject(list[0]) as JsonObject, index: 0 };
    return [
      note(
        'import/choose-idp',
        `the realm has ${list.length} identity providers: ${aliases.map((a) => JSON.stringify(a)).join(', ')}`,
        doc.at('/identityProviders'),
        {
          hint: 'name one with --idp ALIAS',
        },
      ),
    ];
  }
  const index = aliases.indexOf(wanted);
  const idp = asObject(list[index]);
  if (index < 0 || !idp)
    return [
      note(
        'import/no-idp',
        `no identity provider has the alias ${JSON.stringify(wanted)} (there are ${aliases.map((a) => JSON.stringify(a)).join(', ')})`,
        doc.at('/identityProviders'),
      ),
    ];
  return { idp, index };
}

const SYNC_MODES = new Set(['IMPORT', 'LEGACY', 'FORCE']);

function importKeycloak(text: string, options: ImportOptions): ImportResult {
  const { file } = options;
  const read = readJsonFile(text, file);
  if (!read.ok) return fail(read.notes);
  const doc = read.documents[0] as LocatedDocument;
  const picked = pickIdp(doc, file, options.idp);
  if (Array.isArray(picked)) return fail(picked);
  const { idp, index } = picked;
  const base = `/identityProviders/${index}`;
  const notes: ImportNote[] = [];
  const at = (p: string) => doc.at(p);
  const from = (p: string, what: string): Origin => ({ at: at(p), what });
  const alias = asString(own(idp, 'alias')) ?? `idp-${index}`;
  const providerId = asString(own(idp, 'providerId')) ?? '';
  const config = asObject(own(idp, 'config')) ?? {};
  const protocol =
    providerId === 'saml' ? 'saml' : providerId === 'oidc' || providerId === 'keycloak-oidc' ? 'oidc' : null;
  if (protocol === null) {
    return fail([
      note(
        'import/untranslated',
        `the identity provider ${JSON.stringify(alias)} is a ${JSON.stringify(providerId)} provider: only oidc, keycloak-oidc and saml are imported`,
        at(`${base}/providerId`),
        {
          hint: 'social providers (google, github, microsoft, ...) have fixed issuers: write their mapping by hand from examples/',
        },
      ),
    ]);
  }
  if (asBool(own(idp, 'enabled')) === false)
    notes.push(
      note(
        'import/disabled',
        `the identity provider ${JSON.stringify(alias)} is disabled in Keycloak; imported all the same`,
        at(`${base}/enabled`),
      ),
    );

  // Issuer ([OIDC] / [SAML] in semantics.ts).
  const issuerKey = protocol === 'oidc' ? 'issuer' : 'idpEntityId';
  let issuer = asString(own(config, issuerKey)) ?? '';
  if (issuer === '') {
    notes.push(
      note(
        'import/untranslated',
        `the identity provider has no config.${issuerKey}: the mapping needs the issuer it accepts`,
        at(`${base}/config`),
        {
          hint: `replace the placeholder issuer in the mapping with the IdP's ${protocol === 'oidc' ? 'iss' : 'entityID'}`,
        },
      ),
    );
    issuer = `https://issuer.invalid/${encodeURIComponent(alias)}`;
  }

  // IdP sync mode ([SYNC]); the default of an identity provider without one is LEGACY.
  const idpSyncRaw = asString(own(config, 'syncMode'));
  let idpSync: SyncMode = 'LEGACY';
  if (idpSyncRaw !== undefined) {
    if (SYNC_MODES.has(idpSyncRaw)) idpSync = idpSyncRaw as SyncMode;
    else
      notes.push(
        note(
          'import/invalid-input',
          `unknown sync mode ${JSON.stringify(idpSyncRaw)} (IMPORT, LEGACY or FORCE); LEGACY assumed`,
          at(`${base}/config/syncMode`),
        ),
      );
  }

  const claims = new ClaimTable();
  // The key: Keycloak links a brokered identity by (alias, IdP user id) [SAML], [OIDC].
  const keyPart = brokeredKey(doc, base, config, protocol, claims, notes);

  // Mappers.
  const ctx: MapperContext = {
    doc,
    protocol,
    alias,
    idpSync,
    claims,
    notes,
    rules: [],
    profile: [],
    grants: [],
    roleSync: [],
  };
  const mappers = asArray(own(asObject(doc.value), 'identityProviderMappers')) ?? [];
  mappers.forEach((m, i) => {
    if (asString(own(asObject(m), 'identityProviderAlias')) === alias) translateMapper(ctx, i, m);
  });

  // First-broker-login linking [FIRST].
  const realmFlow = asString(own(asObject(doc.value), 'firstBrokerLoginFlow')) ?? 'first broker login';
  const flowAlias = asString(own(idp, 'firstBrokerLoginFlowAlias')) ?? realmFlow;
  const flowPointer = own(idp, 'firstBrokerLoginFlowAlias') !== undefined ? `${base}/firstBrokerLoginFlowAlias` : base;
  const policy = linkingPolicy(doc, flowAlias);
  const trustEmail = asBool(own(idp, 'trustEmail')) === true;
  const accounts: MappingSpec['accounts'] = linking(
    policy,
    trustEmail,
    flowAlias,
    from(flowPointer, `first-broker-login flow ${JSON.stringify(flowAlias)}`),
    notes,
    at(flowPointer),
  );

  // Settings read above, and those with no bearing on claim mapping (one note for all of them).
  const used = new Set(['alias', 'providerId', 'config', 'trustEmail', 'firstBrokerLoginFlowAlias', 'enabled']);
  const ignored = [
    ...Object.keys(idp).filter((k) => !used.has(k) && IGNORED_IDP_KEYS.has(k)),
    ...Object.keys(config)
      .filter((k) => IGNORED_CONFIG_KEYS.has(k))
      .map((k) => `config.${k}`),
  ];
  if (ignored.length)
    notes.push(
      note(
        'import/ignored',
        `connection and login-page settings are the application's and the verifier's business, not the mapping's: ${ignored.join(', ')}`,
        at(base),
      ),
    );
  const known = new Set([...used, ...IGNORED_IDP_KEYS]);
  for (const k of Object.keys(idp))
    if (!known.has(k))
      notes.push(
        note(
          'import/unknown-construct',
          `unknown identity-provider setting ${JSON.stringify(k)}: not imported`,
          at(`${base}/${k}`),
        ),
      );
  const knownConfig = new Set([
    ...IGNORED_CONFIG_KEYS,
    'issuer',
    'idpEntityId',
    'syncMode',
    'principalType',
    'principalAttribute',
    'nameIDPolicyFormat',
  ]);
  for (const k of Object.keys(config))
    if (!knownConfig.has(k))
      notes.push(
        note(
          'import/unknown-construct',
          `unknown identity-provider config ${JSON.stringify(k)}: not imported`,
          at(`${base}/config/${k}`),
        ),
      );

  const roleModes = ctx.roleSync.map((r) => r.mode);
  const mode = roleModes.length > 0 && roleModes.every((m) => m === 'IMPORT') ? 'add' : 'replace';
  for (const r of ctx.roleSync) {
    if (r.mode === 'IMPORT' && mode === 'replace')
      notes.push(
        note(
          'import/sync-mode',
          `sync mode IMPORT grants ${JSON.stringify(r.role)} at the first login only and never revokes it; the mapping recomputes roles at every login (roles replace): the role follows the claim`,
          r.at,
        ),
      );
    if (r.mode === 'IMPORT' && mode === 'add')
      notes.push(
        note(
          'import/sync-mode',
          `sync mode IMPORT grants ${JSON.stringify(r.role)} at the first login and never revokes it; the mapping uses roles add (never revokes) and also grants it at a later login when the claim appears`,
          r.at,
        ),
      );
    if (r.mode === 'LEGACY')
      notes.push(
        note(
          'import/sync-mode',
          `sync mode LEGACY grants ${JSON.stringify(r.role)} at the first login and only revokes it later; the mapping recomputes roles at every login (roles replace), so it is also granted when the claim appears later`,
          r.at,
        ),
      );
  }

  const spec: MappingSpec = {
    name: `keycloak-${alias}`,
    header: [
      `Imported by \`claimmap import keycloak\` from ${file}: identity provider ${JSON.stringify(alias)} (${providerId}).`,
      'Review every rule, then declare the roles that matter as privileged.',
    ],
    idp: {
      protocol,
      issuer,
      from: [from(`${base}/config/${issuerKey}`, `identity provider ${JSON.stringify(alias)} config.${issuerKey}`)],
    },
    key: keyPart.spec,
    claims: claims.specs,
    profile: ctx.profile,
    ...(ctx.rules.length ? { roles: { mode, rules: ctx.rules } } : {}),
    ...(accounts ? { accounts } : {}),
  };
  const emitted = emitMapping(spec, { file });
  notes.push(...emitted.notes);
  const semanticIssuer = asString(own(config, issuerKey)) ?? null;
  return {
    kind: 'keycloak',
    source: emitted.source,
    notes,
    semantics: keycloakSemantics(
      semanticIssuer === '' ? null : semanticIssuer,
      { ...keyPart.key, autoLinkByEmail: policy.autoLink !== null },
      ctx.grants,
    ),
  };
}

const EMAILISH = /(^|[^a-z])(e?mail|upn|userprincipalname|emailaddress)$/i;

/** The mapping's key and Keycloak's own: OIDC sub; SAML NameID or the principal attribute [SAML]. */
function brokeredKey(
  doc: LocatedDocument,
  base: string,
  config: JsonObject,
  protocol: 'oidc' | 'saml',
  claims: ClaimTable,
  notes: ImportNote[],
): { spec: MappingSpec['key']; key: Omit<KeycloakKey, 'autoLinkByEmail'> } {
  const sub = (claims: { [name: string]: JsonValue }): string | null =>
    typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : null;
  if (protocol === 'oidc') {
    return {
      spec: { form: 'sub', comment: ['Keycloak links a brokered identity by (alias, sub): the same durable key'] },
      key: { source: 'sub', read: sub },
    };
  }
  const principalType = asString(own(config, 'principalType')) ?? 'SUBJECT';
  const format = asString(own(config, 'nameIDPolicyFormat')) ?? 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
  const nameid = {
    form: 'nameid persistent',
    from: [{ at: doc.at(`${base}/config/nameIDPolicyFormat`), what: 'NameID policy format' }],
  };
  if (principalType === 'SUBJECT') {
    if (!format.endsWith(':persistent')) {
      const email = format.endsWith(':emailAddress');
      notes.push(
        note(
          email ? 'import/keyed-on-email' : 'import/untranslated',
          email
            ? `Keycloak keys brokered users on an emailAddress NameID: a renamed or recycled address moves the account. The mapping keys on a persistent NameID`
            : `Keycloak keys brokered users on a ${format.replace(/^.*:/, '')} NameID, which is not durable. The mapping keys on a persistent NameID`,
          doc.at(`${base}/config/nameIDPolicyFormat`),
          {
            hint: 'configure the IdP to send a persistent NameID (and nameIDPolicyFormat persistent) before switching',
          },
        ),
      );
    }
    return {
      spec: nameid,
      key: { source: format.endsWith(':emailAddress') ? 'nameid (emailAddress)' : 'nameid', read: sub },
    };
  }
  // ATTRIBUTE / FRIENDLY_ATTRIBUTE: the user id is an attribute's value.
  const attr = asString(own(config, 'principalAttribute')) ?? '';
  const friendly = principalType === 'FRIENDLY_ATTRIBUTE';
  const read = (c: { [name: string]: JsonValue }): string | null => {
    const v = samlValues(c, friendly ? undefined : attr, friendly ? attr : undefined);
    const first = Array.isArray(v) ? v[0] : v;
    return typeof first === 'string' && first !== '' ? first : null;
  };
  const at = doc.at(`${base}/config/principalAttribute`);
  if (attr === '' || EMAILISH.test(attr)) {
    notes.push(
      note(
        attr === '' ? 'import/invalid-input' : 'import/keyed-on-email',
        attr === ''
          ? `principalType ${principalType} without a principalAttribute`
          : `Keycloak keys brokered users on the attribute ${JSON.stringify(attr)}, an email: a renamed or recycled address moves the account. The mapping keys on a persistent NameID`,
        at,
        { hint: 'configure the IdP to send a persistent NameID before switching' },
      ),
    );
    return { spec: nameid, key: { source: attr === '' ? 'nameid' : attr, read: attr === '' ? sub : read } };
  }
  const name = claims.add({
    source: [attr],
    type: 'string',
    presence: 'required',
    from: [{ at, what: `principal attribute (principalType ${principalType})` }],
  });
  return { spec: { form: `claim ${name}` }, key: { source: attr, read } };
}

/** The accounts section and its note, from the first-broker-login flow [FIRST]. */
function linking(
  policy: ReturnType<typeof linkingPolicy>,
  trustEmail: boolean,
  flowAlias: string,
  origin: Origin,
  notes: ImportNote[],
  at: ImportNote['location'],
): MappingSpec['accounts'] {
  const trust = trustEmail ? " trustEmail is on, so the IdP's email is taken as verified without a check." : '';
  if (policy.autoLink) {
    notes.push(
      note(
        'import/linked-by-email',
        `the first-broker-login flow ${JSON.stringify(flowAlias)} links a brokered login to the existing user with the same email or username, with no proof (${policy.detectExisting ? 'Automatically set existing user + ' : ''}Automatically link brokered account).${trust} Anyone who can set that email at the IdP takes over the account. The mapping refuses the conflict instead (on email_conflict reject)`,
        policy.autoLink,
        { hint: 'link existing accounts once, by an administrator, before the switch (claimmap accounts)' },
      ),
    );
    return {
      emailConflict: 'reject',
      from: [origin],
      comment: ['Keycloak linked existing users by email automatically: refused here'],
    };
  }
  if (policy.confirmLink) {
    notes.push(
      note(
        'import/linked-by-email',
        `the first-broker-login flow ${JSON.stringify(flowAlias)} offers to link a brokered login to the existing user with the same email after the user proves the account (Confirm link, then email verification or password).${trust} The mapping refuses the conflict (on email_conflict reject)`,
        policy.confirmLink,
        {
          severity: 'warning',
          hint: 'on email_conflict link_verified links only when both sides have a verified email',
        },
      ),
    );
    return { emailConflict: 'reject', from: [origin] };
  }
  if (policy.at === null)
    notes.push(
      note(
        'import/ignored',
        `the first-broker-login flow ${JSON.stringify(flowAlias)} is not in the export; the mapping refuses email conflicts (on email_conflict reject)`,
        at,
        { severity: 'warning' },
      ),
    );
  return { emailConflict: 'reject', from: [origin] };
}

/**
 * The Keycloak importer (see the module comment). Pure; never throws on any input text.
 *
 * @example
 * ```ts
 * const r = importer(readFileSync('realm.json', 'utf8'), { file: 'realm.json', idp: 'corp-oidc' });
 * ```
 */
export const importer: Importer = guardImporter('keycloak', 'Keycloak', importKeycloak);
