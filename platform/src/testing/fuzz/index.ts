// A fuzz suite for khoj's HTTP APIs, shared by the hub and the nodes (test code only: it is not
// exported from the package root, so no service loads fast-check). Routes come from the route
// contracts and the OpenAPI document emitted from them, so a new route is fuzzed as it is added.
export {
  type Answer,
  answerProblems,
  changedTables,
  type DatabaseSnapshot,
  describeRequest,
  LEAK_PATTERNS,
  leakIn,
  snapshotDatabase,
} from './checks.ts';
export { defectsOf } from './defects.ts';
export { type FuzzCaller, type FuzzContext, type FuzzRequest, requestFor } from './requests.ts';
export { type ContractRoute, type FuzzRoute, fuzzRoutes, type OpenApiDocument } from './routes.ts';
export {
  DEFAULT_FUZZ_RUNS,
  DEFAULT_FUZZ_SEED,
  type Finding,
  type FuzzReport,
  type FuzzTarget,
  formatReport,
  fuzzApi,
  fuzzSettings,
  toRequest,
} from './run.ts';
