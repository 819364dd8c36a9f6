import { z } from 'zod';

/**
 * Learning-rate schedules, by epoch (0-based). `multistep` is PyTorch's MultiStepLR stepped
 * after each epoch: the rate for epoch e is base · factor^(number of milestones ≤ e), so the
 * ABSLD/RSLAD "×0.1 after epochs 215, 260, 285" is `milestones: [215, 260, 285]`.
 */
export const learningRateScheduleSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('constant').describe('The base learning rate every epoch.') }),
  z.strictObject({
    type: z.literal('multistep').describe('Multiply the learning rate by factor at each milestone epoch.'),
    milestones: z.array(z.number().int().nonnegative()).describe('Epochs (0-based) at which the learning rate drops.'),
    factor: z.number().positive().default(0.1).describe('Factor applied at each milestone.'),
  }),
  z.strictObject({
    type: z.literal('cosine').describe('Cosine annealing from the base learning rate to minimum over the epochs.'),
    minimum: z.number().nonnegative().default(0).describe('Learning rate at the end of the cosine.'),
  }),
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
