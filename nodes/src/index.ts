// The node service: case store, exchange (outbox relay, inbox), API.
export { createNodeApp, nodeOpenApiFromApp } from './app.ts';
export { type NodeConfig, readNodeConfig } from './config.ts';
export { NodeIdentity, nodePaths } from './home.ts';
export { createNodeServices, type NodeServices } from './services.ts';
export { startNodeWorkers } from './workers.ts';
