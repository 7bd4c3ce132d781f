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
    [{ idiom: {} }, /^t\.json: idiom: unknown key \(known: idioms, catalog\)$/],
    [{ idioms: { blockMacro: [] } }, /^t\.json: idioms\.blockMacro: unknown key/],
    [{ idioms: { typeArgumentMacros: { m: [-1] } } }, /^t\.json: idioms\.typeArgumentMacros\.m\[0\]: expected an argument index/],
    [{ idioms: { declarationMacros: { D: { nameArg: 0 } } } }, /^t\.json: idioms\.declarationMacros\.D\.type: expected the declared type/],
  ];
  for (const [json, message] of cases) {
    assert.throws(() => parseConfig(JSON.stringify(json), 't.json'), (e: Error) => message.test(e.message));
  }
});

test('config: catalog entries — effects validated, or the name of a function they act like', () => {
  const c = parseConfig(JSON.stringify({
    catalog: {
      nic_lock: 'mutex_lock',
      nic_try: [{ kind: 'acquire', arg: 0, path: ['lock'], primitive: 'mutex', mode: 'exclusive', fallible: 'try' }],
    },
  }), 'lockreview.json');
  assert.deepEqual(c.catalog, {
    nic_lock: 'mutex_lock',
    nic_try: [{ kind: 'acquire', arg: 0, path: ['lock'], primitive: 'mutex', mode: 'exclusive', fallible: 'try' }],
  });
  const bad: [object, RegExp][] = [
    [{ catalog: { f: [{ kind: 'grab' }] } }, /catalog\.f\[0\]\.kind: expected one of acquire, release/],
    [{ catalog: { f: [{ kind: 'acquire', arg: 0, mode: 'exclusive' }] } }, /catalog\.f\[0\]\.primitive: an acquire needs its primitive/],
    [{ catalog: { f: [{ kind: 'release', arg: 0, primitive: 'futex' }] } }, /catalog\.f\[0\]\.primitive: expected one of mutex/],
    [{ catalog: { f: [{ kind: 'acquire', arg: -1, primitive: 'mutex', mode: 'exclusive' }] } }, /catalog\.f\[0\]\.arg: expected an argument index/],
    [{ catalog: { f: 3 } }, /catalog\.f: expected an array of effects, or the name of a known function/],
  ];
  for (const [json, message] of bad) {
    assert.throws(() => parseConfig(JSON.stringify(json), 'lockreview.json'), (e: Error) => message.test(e.message));
  }
});
