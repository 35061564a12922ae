// Lint rules that catch what review keeps missing: promises nobody awaits, SQL outside the
// stores, and workflow code that imports something a deterministic workflow must not run
// (Node built-ins, activity code).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.tandem/**', 'test-artifacts/**', 'bench/results/**', 'bin/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Refusing control characters in names, headers and filters is deliberate.
      'no-control-regex': 'off',
      // Flags "let x = initial" before a loop or closure reassigns it, which reads fine here.
      'no-useless-assignment': 'off',
    },
  },
  {
    // Migrations see the database as it was when they were written, not today's schema types.
    files: ['db/migrate.ts', 'db/migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Tests build malformed inputs on purpose, and match YAML indentation literally.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'no-regex-spaces': 'off' },
  },
  {
    // Data access has one home: src/stores (one module per aggregate; db/ holds the schema and
    // migrations). Everything else calls a store function, so a query is found, reviewed and
    // indexed in one place. A caller may still open db.transaction() and pass the transaction on.
    files: ['src/**/*.ts'],
    ignores: ['src/stores/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto|selectNoFrom)$/]',
          message: 'SQL lives in src/stores: call (or add) a store function.',
        },
      ],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: 'kysely', importNames: ['sql'], message: 'SQL lives in src/stores: call (or add) a store function.' }] },
      ],
    },
  },
  {
    // Workflows run in Temporal's deterministic sandbox: ids and timers only, no I/O. Activity
    // implementations are imported as types (proxyActivities), never as code.
    files: ['src/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'Workflows are deterministic: no Node built-ins (do I/O in an activity).' },
            {
              group: ['fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'worker_threads'],
              message: 'Workflows are deterministic: no Node built-ins (do I/O in an activity).',
            },
            {
              group: ['**/activities/*', '!**/activities/types.ts'],
              allowTypeImports: true,
              message: 'Workflows import activity types only (proxyActivities), never their code.',
            },
            {
              group: ['kysely', 'pg', 'nodemailer', 'fastify', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'],
              message: 'Not in a workflow: this runs I/O.',
            },
          ],
        },
      ],
    },
  },
);
