// Lint: typescript-eslint's recommended rules, plus the one boundary that
// matters most here: the engine (src/core) never imports the UI or exits.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // A terminal tool matches escape sequences and NULs on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['ink', 'react', 'ink-select-input', 'ink-text-input', 'ink-spinner', 'ink-testing-library'].map((name) => ({ name, message: 'src/core is the engine: no UI imports.' })),
        patterns: [{ group: ['**/screens/**', '**/components/**', '**/app/**', '**/commands/**'], message: 'src/core must not depend on the faces.' }],
      }],
      'no-restricted-properties': ['error',
        { object: 'process', property: 'exit', message: 'src/core never exits: return or throw a typed error.' },
        { object: 'console', property: 'log', message: 'src/core never prints: return values or emit events.' },
      ],
      'no-console': 'error',
    },
  },
);
