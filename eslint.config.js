// ESLint flat config: typescript-eslint plus the process boundaries of STYLE.md (guideline 9); the layers between folders
// are dependency-cruiser's (.dependency-cruiser.cjs).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const hardwareAndShell = ['electron', 'node-hid', 'pcsc-mini'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain JS entry points and scripts run in Node.
    files: ['bin/**/*.js', 'scripts/**/*.mjs', '*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // Tool configs that their tools load with require() (dependency-cruiser's).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // The CTAP library could be published alone: no hardware bindings, no Electron, no app code.
    files: ['src/ctap/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: hardwareAndShell.map((name) => ({
            name,
            message: 'src/ctap stays free of hardware bindings and Electron.',
          })),
          patterns: [
            { group: ['**/main/**', '**/renderer/**'], message: 'src/ctap must not import application code.' },
          ],
        },
      ],
    },
  },
  {
    // Only *.main.ts files may touch Electron (Signal-Desktop's process suffixes).
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/**/*.main.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only *.main.ts files may import electron.' }],
          patterns: [{ group: ['**/renderer/**'], message: 'The main process does not import renderer code.' }],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.vue'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'node-hid', 'pcsc-mini', 'fs', 'path', 'crypto', 'child_process'].map((name) => ({
            name,
            message: 'The renderer sees only the preload API.',
          })),
          patterns: [
            { group: ['node:*', '**/main/**', '**/ctap/**'], message: 'The renderer sees only the preload API.' },
          ],
        },
      ],
    },
  },
);
