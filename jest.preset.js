const nxPreset = require('@nx/jest/preset').default;

/** Shared by every project: swc (with decorator metadata for Nest DI) instead of ts-jest. */
module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  // jose ships ES modules only; swc turns them into CommonJS like our own code.
  transformIgnorePatterns: ['/node_modules/(?!(jose)/)'],
  transform: {
    '^.+\\.[tj]s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
};
