module.exports = {
  displayName: 'gateway-integration',
  preset: '../../jest.preset.js',
  testMatch: ['<rootDir>/src/**/*.int-spec.ts', '<rootDir>/test/**/*.int-spec.ts'],
  testTimeout: 30000,
};
