// The hub service: trust registry and administration, store-and-forward of envelopes, inboxes.
export * from './admin/index.ts';
export { createHubApp, hubOpenApiFromApp } from './app.ts';
export { verifyHubAudit } from './audit/audit.store.ts';
export { DEFAULT_TRUST_SETTINGS, type HubConfig, readHubConfig, type TrustSettings } from './config.ts';
export { type HubPaths, hubPaths } from './home.ts';
export { type RunningHub, startHubServer } from './server.ts';
export { createHubServices, type HubServices } from './services.ts';
export { type LogCheck, verifyHubHomeLog, verifyTransparencyLog } from './transparency/verify.ts';
export { ensureConfigSigningKey, readTrustAnchor } from './trust/anchor.ts';
export {
  createNextIssuingCa,
  currentIssuingCa,
  installCertificateAuthority,
  liveIssuingCas,
  loadIssuingCas,
} from './trust/ca-store.ts';
export { currentFederationConfig, federationConfigHistory } from './trust/federation-config.store.ts';
export { issuedCertificate } from './trust/issuance.ts';
export { MemberRegistration } from './trust/registration.ts';
