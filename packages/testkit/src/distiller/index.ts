// The distiller conformance suite and its fixed batch.
export { describeDistiller } from './describe-distiller.js';
export {
  createDistillationInput,
  disposeDistillationInput,
  distillationInputTensors,
  distillerFixtureClassTemperatures,
  distillerFixtureLabels,
  type DistillerFixtureTemperatures,
} from './distiller-fixture.js';
