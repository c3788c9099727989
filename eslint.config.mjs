// Lint: typescript-eslint's recommended rules over every TypeScript source, plus the one
// architectural rule the layout depends on: the pure folders never import `vscode`, so they run
// and are tested outside VS Code (the MLflow client, the run-browser model, the language server,
// the webviews and their protocol).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const pureFolders = [
  'extension/src/mlflow/**/*.ts',
  'extension/src/runs/runBrowserModel.ts',
  'language-server/**/*.ts',
  'webviews/**/*.ts',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-artifacts/**', '.vscode-test/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Unused code is knip's and tsc's (noUnusedLocals/Parameters) job; one report per finding.
      '@typescript-eslint/no-unused-vars': 'off',
      // Control characters are what the display-text escapes exist to match.
      'no-control-regex': 'off',
      // Tests run the sources with Node's type stripping: only erasable TypeScript syntax.
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Node type stripping cannot run enums; use a union of literals.' },
        {
          selector: 'TSModuleDeclaration[kind!="global"][declare!=true]',
          message: 'Node type stripping cannot run namespaces.',
        },
        { selector: 'TSParameterProperty', message: 'Node type stripping cannot run parameter properties.' },
      ],
    },
  },
  {
    files: pureFolders,
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'This folder is pure: it must run and be tested outside VS Code.' }] },
      ],
    },
  },
);
