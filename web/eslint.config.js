// ESLint for the console (flat config): the recommended rules of ESLint, typescript-eslint and
// eslint-plugin-vue, none relaxed; layout is Prettier's (.prettierrc.json), so the rules that would argue
// with it are off.
//   npm run lint      ESLint, then Prettier --check (what CI runs)
//   npm run format    Prettier --write
import { defineConfig } from 'eslint/config'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

export default defineConfig(
  { ignores: ['dist/', 'node_modules/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  { languageOptions: { globals: { ...globals.browser } } },
  // The browser tests and the build config run in Node (and hand functions to the page, hence the browser globals too).
  { files: ['e2e/**/*.mjs', 'vite.config.ts', 'eslint.config.js'], languageOptions: { globals: { ...globals.node } } },
  // Prettier lays the code out; turn off every rule about layout.
  prettier,
)
