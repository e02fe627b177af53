export * from './deliveries.ts';
export * from './envelopes.ts';
export * from './members.ts';
