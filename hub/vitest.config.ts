import { packageTestConfig } from '../vitest.shared.ts';

export default packageTestConfig('hub', { globalSetup: ['../tests/infra/global-setup.ts'] });
