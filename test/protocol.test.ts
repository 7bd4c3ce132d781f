// The graph page's wire format: what the extension accepts from the page, and what the page
// accepts from the extension. A message of another shape is nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromPage, graphRequest, openOf, placesOf, toPage, type GraphData } from '../server/src/protocol/graph';

const step = { file: '/k/a.c', path: 'a.c', line: 3, column: 1, function: 'f', message: 'm' };
const graph: GraphData = {
  title: 't', focus: [], cycles: [['a', 'b']],
  nodes: [{ id: 'a', primitive: 'mutex', inCycle: true, folders: ['.'] }, { id: 'b', primitive: 'mutex', inCycle: true, folders: ['.'] }],
  edges: [{ id: 'a -> b', from: 'a', to: 'b', kinds: ['EN'], inCycle: true, chains: [{ kind: 'EN', steps: [step] }] }],
};

test('protocol: messages from the page are read only in their own shapes', () => {
  assert.deepEqual(fromPage({ type: 'ready', extra: 1 }), { type: 'ready' });
  assert.deepEqual(fromPage({ type: 'open', file: '/k/a.c', line: 3, column: 1 }), { type: 'open', file: '/k/a.c', line: 3, column: 1 });
  assert.deepEqual(fromPage({ type: 'laidOut', nodes: 2, edges: 1, ms: 12.5 }), { type: 'laidOut', nodes: 2, edges: 1, ms: 12.5 });
  for (const bad of [null, 'open', [], { type: 'open', file: '/k/a.c', line: -1, column: 0 }, { type: 'open', file: 7, line: 1, column: 1 },
    { type: 'open', file: '', line: 1, column: 1 }, { type: 'open', file: '/k/a.c', line: 1.5, column: 0 }, { type: 'run', command: 'rm -rf /' },
    { type: 'laidOut', nodes: 1, edges: 1, ms: Infinity }]) {
    assert.equal(fromPage(bad), undefined, JSON.stringify(bad));
  }
});

test('protocol: the page may open only a place its graph names', () => {
  const places = placesOf(graph);
  assert.deepEqual(openOf({ type: 'open', file: '/k/a.c', line: 3, column: 1 }, places), { file: '/k/a.c', line: 3, column: 1 });
  assert.equal(openOf({ type: 'open', file: '/etc/passwd', line: 0, column: 0 }, places), undefined);
  assert.equal(openOf({ type: 'open', file: '/k/a.c', line: 4, column: 1 }, places), undefined);
  assert.equal(openOf({ type: 'ready' }, places), undefined);
});

test('protocol: the page takes a graph of the right shape, nothing else', () => {
  assert.ok(toPage({ type: 'graph', graph }));
  assert.equal(toPage({ type: 'graph', graph: { ...graph, nodes: [{ id: 1 }] } }), undefined);
  assert.equal(toPage({ type: 'graph', graph: { ...graph, edges: [{ ...graph.edges[0], chains: [{ kind: 'EN', steps: [{ ...step, line: '3' }] }] }] } }), undefined);
  assert.equal(toPage({ type: 'script', graph }), undefined);
});

test('protocol: graph requests are read in their shapes', () => {
  assert.deepEqual(graphRequest({ uri: 'file:///k/a.c' }), { uri: 'file:///k/a.c' });
  assert.deepEqual(graphRequest({ uri: 'u', focus: { kind: 'cycle', locks: ['a', 'b'] } }), { uri: 'u', focus: { kind: 'cycle', locks: ['a', 'b'] } });
  assert.deepEqual(graphRequest({ uri: 'u', focus: { kind: 'function', line: 3, character: 0 } }), { uri: 'u', focus: { kind: 'function', line: 3, character: 0 } });
  for (const bad of [undefined, { uri: 1 }, { uri: 'u', focus: { kind: 'cycle', locks: [] } }, { uri: 'u', focus: { kind: 'lock' } }, { uri: 'u', focus: { kind: 'cycleAt', line: -2 } }]) {
    assert.equal(graphRequest(bad), undefined, JSON.stringify(bad));
  }
});
