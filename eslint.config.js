// ESLint flat config: typescript-eslint plus the process boundaries of STYLE.md (guideline 9); the layers between folders
// are dependency-cruiser's (.dependency-cruiser.cjs).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';

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
    // CommonJS loads modules with require(): electron-builder's hooks (build/*.cjs) are such files.
    rules: { '@typescript-eslint/no-require-imports': 'off' },
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
  ...pluginVue.configs['flat/recommended'].map((config) => ({ ...config, files: ['src/renderer/**/*.vue'] })),
  {
    files: ['src/renderer/**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
    rules: {
      // Every word a person reads comes from the message files (i18n/<locale>/<area>.json), in every locale.
      'vue/no-bare-strings-in-template': 'error',
      // Prettier owns the layout.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.vue'],
    ignores: ['src/renderer/vite.config.ts'],
    // TypeScript checks names in the renderer; ESLint's no-undef knows nothing of the DOM's types.
    rules: {
      'no-undef': 'off',
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
