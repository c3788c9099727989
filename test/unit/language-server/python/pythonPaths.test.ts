// os.path.join / abspath as MLflow uses them (urlparse is checked against CPython in pythonEmulation.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pyAbsPath, pyPathJoin, pyUnquote } from '../../../../language-server/src/python/pythonPaths.ts';

test('os.path.join keeps the text (no normalisation) and absolute values win', () => {
  assert.equal(pyPathJoin('/proj', 'env/python_env.yaml'), '/proj/env/python_env.yaml');
  assert.equal(pyPathJoin('/proj/', '../x.yaml'), '/proj/../x.yaml');
  assert.equal(pyPathJoin('/proj', '/abs/x.yaml'), '/abs/x.yaml');
  assert.equal(pyPathJoin('C:\\proj', 'x.yaml', '\\'), 'C:\\proj\\x.yaml');
  assert.equal(pyPathJoin('C:\\proj', 'D:\\x.yaml', '\\'), 'D:\\x.yaml');
});

test('os.path.abspath from the project directory normalises . and ..', () => {
  assert.equal(pyAbsPath('/proj', 'data/../data/./in.csv'), '/proj/data/in.csv');
  assert.equal(pyAbsPath('/proj', '.'), '/proj');
  assert.equal(pyAbsPath('/proj', '/tmp//x'), '/tmp/x');
});

test('unquote decodes UTF-8 percent escapes and leaves broken ones', () => {
  assert.equal(pyUnquote('a%20b%C3%A9'), 'a bé');
  assert.equal(pyUnquote('100%'), '100%');
  assert.equal(pyUnquote('%zz'), '%zz');
});
