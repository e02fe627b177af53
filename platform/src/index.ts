// The service runtime shared by the hub and the nodes: configuration, database, HTTP app and
// server, ids, tracing.
export * from './config.ts';
export * from './database.ts';
export * from './error-log.ts';
export * from './http.ts';
export * from './ids.ts';
export * from './security-headers.ts';
export * from './server.ts';
export * from './tracing.ts';
