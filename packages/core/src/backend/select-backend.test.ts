import { BackendUnavailableError, type BackendId } from '@robustfair/spec';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { selectBackend, type SelectableBackendProvider } from './select-backend.js';

// Selection over providers the caller hands in. These fakes record activation and never change
// the TF.js backend, so the real one the tests run on stays active.
function fake(id: BackendId, priority: number, behaviour: { missing?: string; fails?: string; threads?: number } = {}) {
  const provider: SelectableBackendProvider & { activated: number } = {
    id,
    priority,
    activated: 0,
    probe: async () => (behaviour.missing ? { available: false, reason: behaviour.missing } : { available: true }),
    activate: async () => {
      if (behaviour.fails) throw new Error(behaviour.fails);
      provider.activated++;
    },
    ...(behaviour.threads === undefined ? {} : { threadsStatus: () => ({ threads: behaviour.threads as number }) }),
  };
  return provider;
}

describe(selectBackend, () => {
  afterEach(() => vi.unstubAllEnvs());

  it('auto: takes the available provider of highest priority, whatever the order given, and says why not the others', async () => {
    const providers = [fake('cpu', 10), fake('wasm', 20, { fails: 'no memory' }), fake('tfjs-node', 30, { missing: 'not installed' })];
    vi.stubEnv('ROBUSTFAIR_BACKEND', '');
    const selection = await selectBackend(undefined, providers);
    expect(selection).toEqual({
      active: 'cpu',
      skipped: { 'tfjs-node': 'not installed', wasm: 'failed to activate: no memory' },
    });
    expect(providers.map((provider) => provider.activated)).toEqual([1, 0, 0]);
  });

  it('an explicit id, from the argument or else ROBUSTFAIR_BACKEND, activates that provider only', async () => {
    const [cpu, wasm] = [fake('cpu', 10), fake('wasm', 20)];
    expect((await selectBackend('cpu', [cpu, wasm])).skipped).toEqual({ wasm: "not requested (backend 'cpu' was asked for)" });
    vi.stubEnv('ROBUSTFAIR_BACKEND', 'cpu');
    expect((await selectBackend(undefined, [cpu, wasm])).active).toBe('cpu');
    expect([cpu.activated, wasm.activated]).toEqual([2, 0]);
  });

  it('refuses an id it was not given, or one that is unavailable, naming why', async () => {
    await expect(selectBackend('wasm', [fake('cpu', 10)])).rejects.toThrow(/unknown backend; known: 'cpu'/);
    await expect(selectBackend('wasm', [fake('wasm', 20, { missing: 'no package' })])).rejects.toThrow(BackendUnavailableError);
    await expect(selectBackend(undefined, [fake('cpu', 10, { missing: 'gone' })])).rejects.toThrow(/cpu: gone/);
  });

  it('reports the threads of the active wasm provider as wasmThreads, and nothing for other providers', async () => {
    expect((await selectBackend('wasm', [fake('wasm', 20, { threads: 3 })])).wasmThreads).toEqual({ threads: 3 });
    expect(await selectBackend('cpu', [fake('cpu', 10, { threads: 2 })])).not.toHaveProperty('wasmThreads');
    expect(await selectBackend('wasm', [fake('wasm', 20)])).not.toHaveProperty('wasmThreads');
  });
});
