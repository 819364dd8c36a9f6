import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { registerSchemaCommand } from './schema.js';
import { runRegisteredCommand } from './run-registered-command.js';

const committed = fileURLToPath(new URL('../../../runner/schema/robustfair.config.schema.json', import.meta.url));
const customStrategyConfig = fileURLToPath(new URL('../../../../examples/custom-fairness-strategy/robustfair.config.json', import.meta.url));

const run = (...args: string[]) => runRegisteredCommand(registerSchemaCommand, 'schema', args);

describe('robustfair schema', () => {
  it('prints the schema that is committed in the runner package', async () => {
    expect(await run()).toBe(await readFile(committed, 'utf8'));
  });

  it('writes it to --out (creating folders) and says where', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'robustfair-schema-'));
    try {
      const out = path.join(directory, 'nested', 'schema.json');
      expect(await run('--out', out)).toBe(`wrote ${out}\n`);
      expect(await readFile(out, 'utf8')).toBe(await readFile(committed, 'utf8'));
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it("with --config, also describes the outside plugins the config loads", async () => {
    const schema = JSON.parse(await run('--config', customStrategyConfig)) as { definitions: Record<string, { properties?: Record<string, unknown> }> };
    expect(schema.definitions['fairness-strategy.options.worst-class-boost']?.properties).toEqual({
      boost: { default: 3, type: 'number', minimum: 1 },
    });
    const committedSchema = JSON.parse(await readFile(committed, 'utf8')) as { definitions: Record<string, unknown> };
    expect(committedSchema.definitions['fairness-strategy.options.worst-class-boost']).toBeUndefined();
  });
});
