import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // DI stays at the seams (HOUSE-STYLE B4): only di/ folders and the runner import inversify.
      'no-restricted-imports': ['error', { paths: [{ name: 'inversify', message: 'inversify is only used in src/di/** and in @robustfair/runner' }] }],
    },
  },
  {
    files: ['packages/*/src/di/**', 'packages/runner/**', 'packages/cli/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
