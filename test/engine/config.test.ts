import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../server/src/engine/config';

test('config: a valid lockreview.json reads into idiom extensions', () => {
  const c = parseConfig(JSON.stringify({
    idioms: {
      annotations: ['__mine'],
      typeArgumentMacros: { my_container_of: [1] },
      declarationMacros: { MY_DEFINE_LOCK: { type: 'struct mutex' }, MY_WORK: { type: 'struct work_struct', nameArg: 0, functionArg: 1 } },
    },
  }), 'lockreview.json');
  assert.deepEqual(c.idioms, {
    annotations: ['__mine'],
    typeArgumentMacros: { my_container_of: [1] },
    declarationMacros: { MY_DEFINE_LOCK: { type: 'struct mutex', nameArg: 0 }, MY_WORK: { type: 'struct work_struct', nameArg: 0, functionArg: 1 } },
  });
});

test('config: every error names the file and the JSON path', () => {
  const cases: [object, RegExp][] = [
    [[], /^t\.json: \(top level\): expected an object$/],
    [{ idiom: {} }, /^t\.json: idiom: unknown key \(known: idioms\)$/],
    [{ idioms: { blockMacro: [] } }, /^t\.json: idioms\.blockMacro: unknown key/],
    [{ idioms: { typeArgumentMacros: { m: [-1] } } }, /^t\.json: idioms\.typeArgumentMacros\.m\[0\]: expected an argument index/],
    [{ idioms: { declarationMacros: { D: { nameArg: 0 } } } }, /^t\.json: idioms\.declarationMacros\.D\.type: expected the declared type/],
  ];
  for (const [json, message] of cases) {
    assert.throws(() => parseConfig(JSON.stringify(json), 't.json'), (e: Error) => message.test(e.message));
  }
});
