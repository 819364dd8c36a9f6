import { describe, expect, it } from 'vitest';
import { pluginKindEntry, pluginKinds } from './plugin-kinds.js';

describe('pluginKinds', () => {
  it('lists each kind once, in the order robustfair list shows them', () => {
    expect(pluginKinds.map((entry) => entry.kind)).toEqual(['dataset', 'model', 'objective', 'attack', 'distiller', 'fairness-strategy', 'metric', 'callback']);
    expect(pluginKinds.map((entry) => entry.title)).toEqual(['datasets', 'models', 'objectives', 'attacks', 'distillers', 'fairness strategies', 'metrics', 'callbacks']);
  });

  it("gives each kind its own namespaced plugin and registry tokens (Symbol.for('robustfair.<area>.<Name>'))", () => {
    expect(pluginKindEntry('callback').plugin).toBe(Symbol.for('robustfair.training.CallbackPlugin'));
    expect(pluginKindEntry('fairness-strategy').registry).toBe(Symbol.for('robustfair.fairness.FairnessStrategyRegistry'));
    const tokens = pluginKinds.flatMap((entry) => [entry.plugin, entry.registry]);
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const entry of pluginKinds) expect([entry.plugin, entry.registry].map((token) => token.description)).toEqual([expect.stringMatching(/Plugin$/), expect.stringMatching(/Registry$/)]);
  });

  it('names the kinds when asked for one it does not know', () => {
    expect(() => pluginKindEntry('strategy')).toThrow("unknown plugin kind 'strategy'; the kinds are 'dataset', 'model', 'objective', 'attack', 'distiller', 'fairness-strategy', 'metric', 'callback'");
  });
});
