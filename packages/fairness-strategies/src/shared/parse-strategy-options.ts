import { InvalidOptionsError } from '@robustfair/spec';
import type { z } from 'zod';

/**
 * Validates `raw` against a strategy's options schema and fills its defaults; throws
 * InvalidOptionsError naming each bad field (unknown fields are listed by name).
 */
export function parseStrategyOptions<Schema extends z.ZodType>(schema: Schema, strategyId: string, raw: unknown): z.output<Schema> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new InvalidOptionsError(
    `'${strategyId}' options`,
    result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.map((key) => `'${key}'`).join(', ')}` : issue.message,
    })),
  );
}
