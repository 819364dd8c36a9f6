import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOutsidePlugins } from './load-outside-plugins.js';
import { pluginSpecifierProblem } from './plugin-specifier.js';

describe(pluginSpecifierProblem, () => {
  it.each(['./my-plugin.js', '../plugins/strategy.mjs', 'robustfair-plugin-x', '@lab/robustfair-plugins', '@lab/plugins/dist/attack.js'])('accepts %s', (specifier) => {
    expect(pluginSpecifierProblem(specifier)).toBeUndefined();
  });

  it.each([
    ['/home/someone/plugin.js', /absolute paths are refused/],
    ['C:\\plugins\\x.js', /absolute paths are refused/],
    ['data:text/javascript,export default []', /URLs \(data:/],
    ['https://example.com/plugin.js', /URLs/],
    ['file:///tmp/plugin.js', /URLs/],
    ['node:child_process', /URLs/],
    ['pkg/../../etc/x.js', /expected a file relative to the config file/],
    ['', /expected a file relative to the config file/],
  ])('refuses %s', (specifier, problem) => {
    expect(pluginSpecifierProblem(specifier)).toMatch(problem);
  });
});

describe(loadOutsidePlugins, () => {
  it('refuses a data: URL without importing it (importing runs it)', async () => {
    const flag = `robustfairDataUrlRan${Date.now()}`;
    const specifier = `data:text/javascript,globalThis.${flag}=true;export default []`;
    await expect(loadOutsidePlugins(path.resolve('robustfair.config.json'), [specifier])).rejects.toThrow(/plugins\.0: 'data:text\/javascript.*URLs/);
    expect((globalThis as Record<string, unknown>)[flag]).toBeUndefined();
  });
});
