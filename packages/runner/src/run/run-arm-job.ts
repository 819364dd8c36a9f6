import { loadOutsidePlugins } from '../config/load-outside-plugins.js';
import { createRootContainer } from '../di/root-container.js';
import type { SharedArmSettings } from '../parallel/worker-protocol.js';
import type { ProgressReporter } from '../progress/progress-reporter.js';
import { runArm } from './run-arm.js';
import type { ArmControl, ArmJob, ArmResult } from './run-types.js';

/**
 * Runs one arm away from the process that prepared its sweep (a local arm worker, a queue
 * worker): its own root container with the config's outside plugins loaded here (their files
 * must exist here), then `runArm` exactly as the preparing process would, on the backend already
 * active in this process (`shared.backend` is what the results record).
 */
export async function runArmJob(
  shared: SharedArmSettings,
  job: ArmJob,
  output: { readonly reporter: ProgressReporter; readonly print?: (text: string) => void },
  control: ArmControl = {},
): Promise<ArmResult> {
  const root = createRootContainer({ plugins: await loadOutsidePlugins(shared.configFile, job.arm.spec.plugins), reporter: output.reporter });
  const context = {
    root,
    reporter: output.reporter,
    backend: shared.backend,
    name: shared.name,
    configFile: shared.configFile,
    options: { out: shared.out, ...(output.print ? { print: output.print } : {}) },
  };
  return runArm(context, job.arm, job.armDirectory, job.flags, control);
}
