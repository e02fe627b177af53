// The hub service: trust registry, store-and-forward of envelopes, inboxes.
export { createHubApp, hubOpenApiFromApp } from './app.ts';
export { type HubConfig, readHubConfig } from './config.ts';
export { hubPaths } from './home.ts';
export { startHubServer } from './server.ts';
export { createHubServices, type HubServices } from './services.ts';
export { MemberRegistration } from './trust/registration.ts';
