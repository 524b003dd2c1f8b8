import nx from '@nx/eslint-plugin';

const shared = ['type:nest', 'type:util', 'type:contracts'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/src/gen/**', '**/src/generated/**', 'bench/**'],
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    files: ['**/*.ts', '**/*.js'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          // Build configs may share the workspace's build tooling.
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$', '^.*/tools/webpack/service-config$'],
          depConstraints: [
            // Apps may use shared libs; no allow-list contains type:app, so an app never imports another app.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: [...shared, 'type:testing'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: [...shared, 'type:testing'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: shared },
            { sourceTag: 'type:nest', onlyDependOnLibsWithTags: shared },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contracts'] },
            {
              sourceTag: 'type:contracts',
              onlyDependOnLibsWithTags: [],
              bannedExternalImports: ['@nestjs/core', '@nestjs/microservices', '@prisma/*', 'nats', '@nats-io/*'],
            },
            { sourceTag: 'scope:gateway', bannedExternalImports: ['@prisma/*', 'pg'] },
          ],
        },
      ],
      eqeqeq: ['error', 'always'],
      curly: ['error', 'all'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];
