// The node service: case store, exchange (outbox relay, inbox), API.

export { createToken, createUser, disableUser, revokeToken } from './access/accounts.ts';
export { ROLES, type Role } from './access/permissions.ts';
export { CLI_ACTOR, type NodeStore, openNodeStore } from './admin.ts';
export { createNodeApp, nodeOpenApiFromApp } from './app.ts';
export { appendAudit, verifyAuditChain } from './audit/audit.store.ts';
export { type NodeConfig, readNodeConfig } from './config.ts';
export { findUnit, insertUnit } from './directory/units.store.ts';
export { importUnits, UNIT_COLUMNS } from './directory/units-csv.ts';
export { createHubClient } from './exchange/hub-client.ts';
export { NodeIdentity, type NodePaths, nodePaths, readNodeIdentity } from './home.ts';
export { exportCases, importFile } from './interchange/import.ts';
export { createProgress, detectFormat, type InterchangeFormat } from './interchange/index.ts';
export * as matching from './matching/index.ts';
export { createNodeServices, type NodeServices } from './services.ts';
export { parseTrustAnchor } from './trust/anchor.ts';
export { renewTlsCertificate } from './trust/certificate-renewal.ts';
export { installRotatedKeys } from './trust/own-keys.ts';
export { checkIssuedCertificate, installTlsIdentity, readTlsIdentity } from './trust/tls-identity.ts';
export { startNodeWorkers } from './workers.ts';
