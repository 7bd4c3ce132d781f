// The lock graph over the protocol: `lockreview/graph` for a folder, a cycle, a function or the
// cycle on a line; and the "show this cycle" code action, offered to an editor with the view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import type { GraphData } from '../../server/src/protocol/graph';
import { codeActions, onSeed003 } from './scenario';

type Action = { title: string; isPreferred?: boolean; command?: { command: string; arguments: unknown[] } };

test('lsp: lockreview/graph gives the folder graph, a cycle, a function\'s locks; the inversion offers to show its cycle', async () => {
  const s = await onSeed003({ graphView: true });
  const { editor, hpc, inversion: d } = s;
  try {
    const uri = pathToFileURL(hpc).href;
    const actions = await codeActions<Action>(editor, hpc, d);
    const show = actions.find((a) => a.title === 'Show this cycle in the lock graph');
    assert.ok(show?.command, actions.map((a) => a.title).join(' | '));
    assert.equal(show.command.command, 'lockreview.showCycle');
    assert.deepEqual(show.command.arguments, [{ uri, locks: ['controller.reset_lock', 'device.mutex'] }]);
    assert.ok(!show.isPreferred);

    const graph = (request: object) => editor.connection.sendRequest('lockreview/graph', request) as Promise<GraphData>;
    const whole = await graph({ uri });
    assert.deepEqual(whole.nodes.map((n) => n.id), ['controller.reset_lock', 'controller.state_lock', 'device.mutex', 'vfio_pci_core_device.memory_lock']);
    assert.deepEqual(whole.cycles, [['controller.reset_lock', 'device.mutex']]);
    assert.deepEqual(whole.focus, []);
    const edge = whole.edges.find((e) => e.id === 'device.mutex -> controller.reset_lock')!;
    assert.equal(edge.chains[0]!.steps.at(-1)!.path, 'pciehp_hpc.c');

    // What the client asks with the action's arguments.
    const cycle = await graph({ uri, focus: { kind: 'cycle', locks: (show.command.arguments[0] as { locks: string[] }).locks } });
    assert.deepEqual(cycle.focus, ['controller.reset_lock', 'device.mutex']);
    assert.equal(cycle.title, 'Cycle: controller.reset_lock → device.mutex → controller.reset_lock');
    const onLine = await graph({ uri, focus: { kind: 'cycleAt', line: d.range.start.line } });
    assert.deepEqual(onLine.focus, cycle.focus);
    // The cursor inside pciehp_reset_slot(): the classes its own code orders.
    const fn = await graph({ uri, focus: { kind: 'function', line: 66, character: 2 } });
    assert.equal(fn.title, 'Locks of pciehp_reset_slot()');
    assert.ok(fn.focus.includes('controller.reset_lock') && fn.focus.includes('device.mutex'), fn.focus.join(', '));

    await assert.rejects(graph({ uri: 42 }), /expected \{ uri: a file URI, focus\? \}/);
    await assert.rejects(graph({ uri: 'file://host/x.c' }), /expected \{ uri: a file URI/);
    await assert.rejects(graph({ uri, focus: { kind: 'lock', lock: 'no_such_lock' } }), /Locks like no_such_lock: no lock class of the graph matches/);
    // pciehp_isr() orders no locks.
    await assert.rejects(graph({ uri, focus: { kind: 'function', line: 20, character: 1 } }), /Locks of pciehp_isr\(\): no lock class of the graph matches/);
    // A document of no served folder: the folder's graph, on no folder of its own.
    const elsewhere = await graph({ uri: pathToFileURL('/tmp/elsewhere/other.c').href });
    assert.equal(elsewhere.nodes.length, whole.nodes.length);
    assert.equal(elsewhere.folder, undefined);
    await assert.rejects(graph({ uri, focus: { kind: 'cycleAt', line: 0 } }), /no lock cycle is reported on this line/);
    await assert.rejects(graph({ uri, focus: { kind: 'function', line: 0, character: 0 } }), /not in a function/);
  } finally {
    await s.close();
  }
});

test('lsp: an editor without the graph view is not offered to show the cycle', async () => {
  const s = await onSeed003();
  try {
    const actions = await codeActions<Action>(s.editor, s.hpc, s.inversion);
    assert.ok(actions.length > 0 && actions.every((a) => a.command?.command !== 'lockreview.showCycle'));
  } finally {
    await s.close();
  }
});
