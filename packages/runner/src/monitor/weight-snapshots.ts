/** average ← decay · average + (1 − decay) · current, in place (CFA's EMA and FAWA, ALGORITHMS 4). */
export function blendInto(average: Float32Array[], current: readonly Float32Array[], decay: number): void {
  average.forEach((values, index) => {
    const update = current[index] as Float32Array;
    for (let i = 0; i < values.length; i++) values[i] = decay * (values[i] as number) + (1 - decay) * (update[i] as number);
  });
}
