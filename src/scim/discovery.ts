/**
 * The discovery endpoints (RFC 7644 §4): `/ServiceProviderConfig`, `/ResourceTypes`, `/Schemas`. They describe what
 * this endpoint really does: PATCH yes, bulk, sort and password change no, filter with `maxResults`, weak ETags,
 * OAuth bearer tokens. The schemas list the attributes of RFC 7643 §4 that IdPs send; any other attribute is kept
 * as received.
 */
import type { JsonValue } from '../model/claim-set.js';
import { GROUP_SCHEMA, USER_SCHEMA } from './filter.js';

type JsonObject = { [key: string]: JsonValue };

export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RT_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export function serviceProviderConfig(base: string, maxResults: number, maxOperations: number, maxBodyBytes: number) {
  return {
    schemas: [SPC_SCHEMA],
    documentationUri: 'https://github.com/claimmap/claimmap/blob/main/docs/offboarding.md',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: `A token from 'claimmap scim token create NAME' in the Authorization header (RFC 6750). PATCH carries at most ${maxOperations} operations; a request body at most ${maxBodyBytes} bytes.`,
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}

function resourceType(base: string, name: 'User' | 'Group'): JsonObject {
  return {
    schemas: [RT_SCHEMA],
    id: name,
    name,
    endpoint: `/${name}s`,
    description: name === 'User' ? 'User Account' : 'Group',
    schema: name === 'User' ? USER_SCHEMA : GROUP_SCHEMA,
    ...(name === 'User' ? { schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }] } : {}),
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/${name}` },
  };
}

export function resourceTypes(base: string): JsonObject[] {
  return [resourceType(base, 'User'), resourceType(base, 'Group')];
}

interface AttrOptions {
  type?: 'string' | 'boolean' | 'complex' | 'reference';
  multi?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: 'readOnly' | 'readWrite' | 'immutable';
  returned?: 'always' | 'default' | 'never';
  uniqueness?: 'none' | 'server' | 'global';
  sub?: JsonObject[];
  referenceTypes?: string[];
}

function attr(name: string, o: AttrOptions = {}): JsonObject {
  return {
    name,
    type: o.type ?? 'string',
    multiValued: o.multi ?? false,
    required: o.required ?? false,
    caseExact: o.caseExact ?? false,
    mutability: o.mutability ?? 'readWrite',
    returned: o.returned ?? 'default',
    uniqueness: o.uniqueness ?? 'none',
    ...(o.sub ? { subAttributes: o.sub } : {}),
    ...(o.referenceTypes ? { referenceTypes: o.referenceTypes } : {}),
  };
}

const multiSub = () => [attr('value'), attr('display'), attr('type'), attr('primary', { type: 'boolean' })];

function schemaResource(base: string, id: string, name: string, description: string, attributes: JsonObject[]) {
  return {
    schemas: [SCHEMA_SCHEMA],
    id,
    name,
    description,
    attributes,
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${id}` },
  };
}

export function schemas(base: string): JsonObject[] {
  return [
    schemaResource(base, USER_SCHEMA, 'User', 'User Account', [
      attr('userName', { required: true, uniqueness: 'server' }),
      attr('name', {
        type: 'complex',
        sub: ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'].map((n) =>
          attr(n),
        ),
      }),
      attr('displayName'),
      attr('nickName'),
      attr('title'),
      attr('userType'),
      attr('preferredLanguage'),
      attr('locale'),
      attr('timezone'),
      attr('active', { type: 'boolean' }),
      attr('emails', { type: 'complex', multi: true, sub: multiSub() }),
      attr('phoneNumbers', { type: 'complex', multi: true, sub: multiSub() }),
      attr('groups', {
        type: 'complex',
        multi: true,
        mutability: 'readOnly',
        sub: [attr('value', { mutability: 'readOnly' }), attr('display', { mutability: 'readOnly' })],
      }),
      attr('externalId', { caseExact: true }),
    ]),
    schemaResource(base, GROUP_SCHEMA, 'Group', 'Group', [
      attr('displayName', { required: true }),
      attr('members', {
        type: 'complex',
        multi: true,
        sub: [attr('value', { mutability: 'immutable', caseExact: true }), attr('display', { mutability: 'readOnly' })],
      }),
      attr('externalId', { caseExact: true }),
    ]),
    schemaResource(base, ENTERPRISE_USER_SCHEMA, 'EnterpriseUser', 'Enterprise User', [
      attr('employeeNumber'),
      attr('costCenter'),
      attr('organization'),
      attr('division'),
      attr('department'),
      attr('manager', { type: 'complex', sub: [attr('value'), attr('displayName', { mutability: 'readOnly' })] }),
    ]),
  ];
}

/** A ListResponse (RFC 7644 §3.4.2) of `resources`, all on one page. */
export function listOf(resources: JsonValue[]) {
  return {
    schemas: [LIST_SCHEMA],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
