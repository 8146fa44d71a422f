/** The namespace URIs the SAML reader matches on (elements are matched by URI and local name, never by prefix). */
export const SAML_ASSERTION_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
export const SAML_PROTOCOL_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
export const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
