import { describe, expect, it } from 'vitest';
import { learningRateAt, learningRateScheduleSchema } from './learning-rate-schedule.js';

describe(learningRateAt, () => {
  it('drops by the factor from each milestone on (PyTorch MultiStepLR, 0-based epochs)', () => {
    const schedule = learningRateScheduleSchema.parse({ type: 'multistep', milestones: [215, 260, 285] });
    expect(learningRateAt(schedule, 0.1, 214, 300)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(schedule, 0.1, 215, 300)).toBeCloseTo(0.01, 12);
    expect(learningRateAt(schedule, 0.1, 260, 300)).toBeCloseTo(0.001, 12);
    expect(learningRateAt(schedule, 0.1, 299, 300)).toBeCloseTo(0.0001, 12);
  });
  it('anneals a cosine from the base to the minimum', () => {
    const schedule = learningRateScheduleSchema.parse({ type: 'cosine' });
    expect(learningRateAt(schedule, 0.2, 0, 10)).toBeCloseTo(0.2, 12);
    expect(learningRateAt(schedule, 0.2, 5, 10)).toBeCloseTo(0.1, 12);
  });
  it('rejects an unknown schedule type naming the allowed ones', () => {
    const result = learningRateScheduleSchema.safeParse({ type: 'step' });
    expect(result.success).toBe(false);
  });
});
