import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelAliasUri, modelVersionUri, modelWebUiRoute } from '../../../extension/src/mlflow/modelUris.ts';

test('models:/ URIs keep the name as MLflow resolves it (split, never decoded)', () => {
  assert.equal(modelVersionUri('wine quality', '3'), 'models:/wine quality/3');
  assert.equal(modelAliasUri('wine quality', 'champion'), 'models:/wine quality@champion');
  // MLflow splits an alias URI at the last @, so a name holding @ still resolves.
  assert.equal(modelAliasUri('a@b', 'prod'), 'models:/a@b@prod');
});

test('the web UI route is the unencoded fragment that VS Code encodes once when it opens it', () => {
  const route = modelWebUiRoute('wine 50% é', '12');
  assert.equal(route, '/models/wine 50% é/versions/12');
  // What VS Code's opener does with a vscode.Uri (encodeURI of its unencoded form).
  assert.equal(
    encodeURI(`http://127.0.0.1:5000/#${route}`),
    'http://127.0.0.1:5000/#/models/wine%2050%25%20%C3%A9/versions/12',
  );
  assert.equal(modelWebUiRoute('m'), '/models/m');
});
