// The language every part of khoj speaks: zod schemas (the source of truth), route contracts,
// and the rules for the bytes that are signed.
export * from './access-api.ts';
export * from './canonical.ts';
export * from './case-summary.ts';
export * from './cases-api.ts';
export * from './consent.ts';
export * from './delivery-api.ts';
export * from './directory-api.ts';
export * from './envelope.ts';
export * from './errors.ts';
export * from './federation-config.ts';
export * from './hub-admin-api.ts';
export * from './hub-api.ts';
export * from './hub-trust-api.ts';
export * from './ids.ts';
export * from './intake-api.ts';
export * from './jwe.ts';
export * from './keys.ts';
export * from './matching-api.ts';
export * from './node-api.ts';
export * from './openapi.ts';
export * from './photos-api.ts';
export * from './stats-api.ts';
export * from './transparency.ts';
export * from './transparency-api.ts';
