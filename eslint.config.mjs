// The linter: typescript-eslint's recommended rules, with the exceptions this code base takes on purpose.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'sandbox/charts/**', 'test/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // Kubernetes objects and tool output are parsed JSON of many shapes: `any` is where they are read.
      '@typescript-eslint/no-explicit-any': 'off',
      // An underscore marks a value left out on purpose (a destructured field dropped from a copy).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  // The CLI's entry is CommonJS (bin/package.json): starting node's ES module loader for it cost ~5 ms a run.
  {
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
