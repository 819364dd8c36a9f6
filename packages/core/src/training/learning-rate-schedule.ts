import { z } from 'zod';

/**
 * Learning-rate schedules, by epoch (0-based). `multistep` is PyTorch's MultiStepLR stepped
 * after each epoch: the rate for epoch e is base · factor^(number of milestones ≤ e), so the
 * ABSLD/RSLAD "×0.1 after epochs 215, 260, 285" is `milestones: [215, 260, 285]`.
 */
export const learningRateScheduleSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('constant') }),
  z.strictObject({
    type: z.literal('multistep'),
    milestones: z.array(z.number().int().nonnegative()),
    factor: z.number().positive().default(0.1),
  }),
  z.strictObject({ type: z.literal('cosine'), minimum: z.number().nonnegative().default(0) }),
]);

export type LearningRateSchedule = z.output<typeof learningRateScheduleSchema>;

export function learningRateAt(schedule: LearningRateSchedule, base: number, epoch: number, epochs: number): number {
  switch (schedule.type) {
    case 'constant':
      return base;
    case 'multistep':
      return base * schedule.factor ** schedule.milestones.filter((milestone) => milestone <= epoch).length;
    case 'cosine':
      return schedule.minimum + ((base - schedule.minimum) * (1 + Math.cos((Math.PI * epoch) / Math.max(epochs, 1)))) / 2;
  }
}
