/**
 * The development tenant and user (the ids Shannon uses in development), and the key the seeds
 * use. They exist only when ENVIRONMENT is dev, development or test.
 */
export const DEVELOPMENT_TENANT_ID = '00000000-0000-0000-0000-000000000001';
export const DEVELOPMENT_USER_ID = '00000000-0000-0000-0000-000000000002';
export const DEVELOPMENT_API_KEY = 'sk_test_123456';
