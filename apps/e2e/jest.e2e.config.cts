module.exports = {
  displayName: 'e2e',
  preset: '../../jest.preset.js',
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  testTimeout: 60000,
};
