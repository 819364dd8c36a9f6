import { hostname } from 'node:os';
import { stat } from 'node:fs/promises';
import { describePlugin, isPluginFile } from '@robustfair/runner';
import { RobustfairError } from '@robustfair/spec';
import type { ArmJobData } from './arm-job-data.js';

/**
 * A job carries no code: each outside plugin file its spec names must exist on this worker, at
 * the path it resolves to from the submitted config file. Fails naming every missing one.
 */
export async function checkPluginsOnWorker(data: ArmJobData): Promise<void> {
  const missing: string[] = [];
  for (const specifier of data.job.arm.spec.plugins) {
    if (!isPluginFile(specifier)) continue;
    const file = describePlugin(data.configFile, specifier);
    const isFile = await stat(file).then(
      (entry) => entry.isFile(),
      () => false,
    );
    if (!isFile) missing.push(`'${specifier}' (${file})`);
  }
  if (missing.length > 0) {
    throw new RobustfairError(
      `arm '${data.job.arm.label}': plugin file(s) ${missing.join(', ')} named by ${data.configFile} are not on worker host '${hostname()}'; a job carries no code: copy the plugins to the same path on every worker (or use the shared directory)`,
    );
  }
}
