import type { Comparison, ExperimentSpec } from './experiment-spec.js';
import { assertPathSegment, toPathSegment } from './path-segment.js';
import { applyOverrides, parseExperimentSpec, setPath } from './load-config.js';

/** One arm of an ablation: a label and its own, fully parsed spec. */
export interface Arm {
  readonly label: string;
  readonly spec: ExperimentSpec;
}

/** The label of an arm without one: its value's plugin id or the value itself, made a safe directory name. */
function labelOf(value: unknown, index: number): string {
  if (typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'string') return toPathSegment(value.id);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return toPathSegment(String(value));
  return `arm-${index}`;
}

/**
 * Expands a comparison into arms that differ from the base in one field (or in the fields an
 * arm `set`s), then applies the command line's `overrides` to each arm. Each arm's
 * spec is parsed anew, so a bad value fails here, naming the arm, before anything trains.
 */
export function ablate(baseRaw: Record<string, unknown>, comparison: Comparison, overrides: readonly string[] = []): Arm[] {
  const arms = comparison.arms.map((arm, index) => {
    // A label names the arm's directory: given ones are checked (the schema does too, but a
    // comparison built in code skips it), generated ones are made safe.
    const label = assertPathSegment(arm.label ?? labelOf(arm.value, index), 'compare', `arms.${index}.label`);
    let raw = baseRaw;
    if (arm.set) {
      for (const [field, value] of Object.entries(arm.set)) raw = setPath(raw, field, value);
    } else if (comparison.field) {
      raw = setPath(raw, comparison.field, arm.value);
    }
    // The command line has the last word: `--set` reaches fields an arm sets too.
    raw = applyOverrides(raw, overrides);
    const changed = arm.set ? Object.keys(arm.set).join(', ') : comparison.field;
    return { label, spec: parseExperimentSpec(raw, `compare arm '${label}' (${changed})`) };
  });
  const labels = arms.map((arm) => arm.label);
  const duplicate = labels.find((label, index) => labels.indexOf(label) !== index);
  if (duplicate) throw new Error(`compare: two arms are labelled '${duplicate}'; give them distinct 'label's`);
  return arms;
}
