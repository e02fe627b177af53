import { packageTestConfig } from '../vitest.shared.ts';

export default packageTestConfig('nodes', { globalSetup: ['../tests/infra/global-setup.ts'] });
