import { Container } from 'inversify';
import type { ExperimentSpec } from '../config/experiment-spec.js';
import { experimentModule } from './experiment-module.js';

/**
 * Runs `use` with an arm's own child container of `root`, built from `spec`
 * (`experimentModule`), and always unbinds it afterwards, whether `use` returns or throws:
 * deactivation disposes the arm's models. The one place an arm's container is made (training,
 * teacher import, saved-model evaluation), so none can leak its tensors.
 */
export async function withArmContainer<T>(root: Container, spec: ExperimentSpec, use: (arm: Container) => Promise<T>): Promise<T> {
  const arm = new Container({ parent: root, defaultScope: 'Singleton' });
  arm.load(experimentModule(spec));
  try {
    return await use(arm);
  } finally {
    arm.unbindAll();
  }
}
