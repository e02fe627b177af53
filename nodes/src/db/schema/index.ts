export * from './cases.ts';
export * from './federation-members.ts';
export * from './foreign-summaries.ts';
export * from './inbox-log.ts';
export * from './outbox.ts';
