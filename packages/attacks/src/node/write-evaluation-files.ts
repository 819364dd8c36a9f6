import { writeFileAtomic } from '@robustfair/core/node';
import type { EvaluationReport } from '../suite/evaluation-report.js';
import { formatEvaluationCsv, formatEvaluationJson } from '../suite/write-evaluation-report.js';

/** Writes `formatEvaluationJson` to `path` atomically. */
export async function writeEvaluationJson(path: string, report: EvaluationReport): Promise<void> {
  await writeFileAtomic(path, formatEvaluationJson(report));
}

/** Writes `formatEvaluationCsv` to `path` atomically. */
export async function writeEvaluationCsv(path: string, report: EvaluationReport): Promise<void> {
  await writeFileAtomic(path, formatEvaluationCsv(report));
}
