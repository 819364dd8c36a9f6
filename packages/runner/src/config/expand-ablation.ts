import type { Comparison } from './experiment-spec.js';
import { toPathSegment } from './path-segment.js';

/** One axis of an ablation: a dotted field and the values it takes. */
export interface AblationAxis {
  readonly field: string;
  readonly values: readonly unknown[];
}

/** One axis' part of a generated label; `ablate` makes the joined label a safe directory name. */
function labelPart(value: unknown, index: number): string {
  if (typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'string') return toPathSegment(value.id);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return toPathSegment(String(value));
  return `v${index}`;
}

/**
 * The cartesian product of the axes as a comparison whose arms `set` one value per axis, labelled
 * `<value>-<value>…` (a seed axis reads `seed3`). Every arm starts from the same base spec.
 */
export function expandAblation(axes: readonly AblationAxis[]): Comparison {
  if (axes.length === 0) throw new Error('an ablation needs at least one axis');
  let arms: { label: string[]; set: Record<string, unknown> }[] = [{ label: [], set: {} }];
  for (const axis of axes) {
    if (axis.values.length === 0) throw new Error(`ablation axis '${axis.field}' has no values`);
    arms = arms.flatMap((arm) =>
      axis.values.map((value, index) => ({
        label: [...arm.label, axis.field === 'seed' ? `seed${String(value)}` : labelPart(value, index)],
        set: { ...arm.set, [axis.field]: value },
      })),
    );
  }
  return { arms: arms.map((arm) => ({ label: arm.label.join('-'), set: arm.set })) };
}

/**
 * The arms of a config's `compare` block (or its base spec, when it has none) crossed with the
 * axes: every arm runs at every axis value, labelled `<arm>-<value>…` (`sat-seed2`), its own
 * `set` (or `field: value`) applied first and the axes' values after. This is how `ablate
 * --axis/--seeds` and `compare --seeds` keep a config's methods instead of replacing them.
 */
export function crossComparison(comparison: Comparison | undefined, axes: readonly AblationAxis[]): Comparison {
  const expanded = expandAblation(axes);
  if (comparison === undefined) return expanded;
  const arms = comparison.arms.map((arm, index) => {
    const label = arm.label ?? labelPart(arm.value, index);
    const set = arm.set ?? (comparison.field === undefined ? {} : { [comparison.field]: arm.value });
    return { label, set };
  });
  const overlap = axes.flatMap((axis) => arms.flatMap((arm) => Object.keys(arm.set).filter((field) => overlaps(field, axis.field)).map((field) => [axis.field, field] as const)));
  if (overlap.length > 0) {
    const [axisField, armField] = overlap[0] as readonly [string, string];
    throw new Error(
      `the axis '${axisField}' changes '${armField}', which the config's compare arms set: an arm cannot take both values. Vary it in the compare block, or run the axis on a config without one`,
    );
  }
  return {
    arms: arms.flatMap((arm) => expanded.arms.map((axisArm) => ({ label: `${arm.label}-${axisArm.label as string}`, set: { ...arm.set, ...axisArm.set } }))),
  };
}

/** Whether two dotted paths touch the same field (equal, or one inside the other). */
const overlaps = (first: string, second: string) => first === second || first.startsWith(`${second}.`) || second.startsWith(`${first}.`);

/** Parses `--axis field=v1,v2` (or `field=[json, json]`): JSON values where they parse, else strings. */
export function parseAxis(text: string): AblationAxis {
  const separator = text.indexOf('=');
  if (separator <= 0) throw new Error(`--axis '${text}': expected field=value1,value2 or field=[json, …]`);
  const field = text.slice(0, separator);
  const list = text.slice(separator + 1);
  if (list.trim().startsWith('[')) {
    const values = JSON.parse(list) as unknown;
    if (!Array.isArray(values)) throw new Error(`--axis '${text}': the JSON must be an array`);
    return { field, values };
  }
  return {
    field,
    values: list.split(',').map((part) => {
      try {
        return JSON.parse(part) as unknown;
      } catch {
        return part;
      }
    }),
  };
}
