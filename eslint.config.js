import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/ui/dist/**', 'pcaplens-data/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  {
    // The engine layers stay free of node:* so they can run in a browser worker (ARCHITECTURE.md).
    files: ['src/shared/**/*.ts', 'src/wire/**/*.ts', 'src/dissect/**/*.ts', 'src/flow/**/*.ts', 'src/analyze/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['node:*'] }] },
  },
);
