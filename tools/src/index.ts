// Programmatic access to what the `khoj` command does, for tests and scripts.
export { DEMO_NODES, runDemo, waitForSummary } from './demo/demo.ts';
export { demoTokenPath, ensureDemoAccount } from './demo/demo-accounts.ts';
export { initFederation } from './federation/init.ts';
export { federationLayout } from './federation/layout.ts';
export { createNode } from './federation/node-create.ts';
export { type ServiceProcess, startHubProcess, startNodeProcess } from './run/services.ts';
