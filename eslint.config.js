// Lint rules that keep the architecture honest: the import boundaries of ARCHITECTURE.md are
// enforced here, not by review.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Forbids imports that cross a boundary; `group` patterns are resolved relative paths. */
function boundary(files, patterns, message) {
  return {
    files,
    // Tests may read fixtures and spawn reference implementations; the rule guards shipped code.
    ignores: ['**/*.test.ts', '**/*.test-support.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'dist-check/**', 'node_modules/**', 'data/**', '.tmp/**'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "ImportDeclaration[source.value=/\\/(utils|helpers)(\\.js)?$/]", message: 'Name helper modules by topic; no utils/helpers dumping ground.' },
      ],
    },
  },
  {
    files: ['src/**/static/*.js'],
    languageOptions: { sourceType: 'script', globals: { document: 'readonly', window: 'readonly', fetch: 'readonly', EventSource: 'readonly' } },
  },
  {
    files: ['scripts/**/*.mjs', 'eslint.config.js', 'bin/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  boundary(
    ['src/pypkg/**'],
    ['../*', 'node:*', 'fs', 'path', 'child_process', 'http', 'https', 'net'],
    'pypkg is pure: no imports from the rest of src/ and no I/O modules.',
  ),
  boundary(['src/hub/**'], ['**/channel/*', '**/channel'], 'hub and channel never import each other; share through identity/storage/config.'),
  boundary(['src/channel/**'], ['**/hub/*', '**/hub'], 'hub and channel never import each other; share through identity/storage/config.'),
  boundary(
    ['src/config/**', 'src/errors/**', 'src/log/**', 'src/storage/**', 'src/identity/**', 'src/web/**', 'src/keystore/**'],
    ['**/hub/*', '**/channel/*', '**/server/*', '**/cli/*', '**/spawner/*', '**/proxy/*'],
    'shared layers must not depend on services; only server/ and cli/ wire everything.',
  ),
);
