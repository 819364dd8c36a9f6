import path from 'node:path';
import type { Arm } from '../config/ablate.js';
import type { ArmEvaluation } from '../experiment-runner.js';
import { specHash } from '../results/checkpoint-store.js';
import { restoreCachedTeacher, storeCachedTeacher } from '../results/teacher-cache.js';
import { importTeacher } from './import-teacher.js';
import { runArm } from './run-arm.js';
import type { ArmContext, ArmResult, TeacherRecord } from './run-types.js';

// The teacher stage (ADR 0007): before any student arm, each distinct teacher is trained (as an
// arm of its own) or imported, once, in this process.

/** The teacher stage: every distinct teacher of the arms, trained (or imported) once, in config order. */
export async function trainTeachers(context: ArmContext, arms: readonly Arm[], directory: string): Promise<Map<string, TeacherRecord>> {
  const teachers = new Map<string, TeacherRecord>();
  for (const arm of arms) {
    const teacherSpec = teacherSpecOf(arm.spec);
    if (!teacherSpec) continue;
    const key = specHash(teacherSpec);
    if (teachers.has(key)) continue;
    const label = `teacher-${key.slice(0, 8)}`;
    const teacherDirectory = path.join(directory, 'teachers', label);
    context.reporter.info(`[${label}] the teacher of arm '${arm.label}' (trained once, cached in ${teacherDirectory})`);
    const result = arm.spec.teacher?.import
      ? await importTeacher(context, { label, spec: teacherSpec }, teacherDirectory, arm.spec.teacher.import)
      : await trainTeacher(context, { label, spec: teacherSpec }, key, teacherDirectory);
    teachers.set(key, { key, directory: teacherDirectory, result });
  }
  return teachers;
}

/**
 * A trained teacher: reused from the results directory, else copied from the shared teacher cache
 * (`options.teacherCache`), else trained and then stored in that cache. Cache problems are
 * reported and cost only training.
 */
async function trainTeacher(context: ArmContext, arm: Arm, key: string, teacherDirectory: string): Promise<ArmResult> {
  const cache = context.options.teacherCache;
  let source: string | undefined;
  if (cache !== undefined) {
    try {
      source = await restoreCachedTeacher(cache, key, teacherDirectory);
      if (source) context.reporter.info(`[${arm.label}] reusing the teacher trained earlier with the same spec (teacher cache ${source})`);
    } catch (error) {
      context.reporter.info(`[${arm.label}] teacher cache ${cache}: ${(error as Error).message}; training instead`);
    }
  }
  const result = await runArm(context, arm, teacherDirectory, { saveWeights: true, resume: true });
  if (cache !== undefined && source === undefined) {
    try {
      const stored = await storeCachedTeacher(cache, key, teacherDirectory);
      context.reporter.info(`[${arm.label}] stored in the teacher cache: ${stored}`);
    } catch (error) {
      context.reporter.info(`[${arm.label}] could not store the teacher in the cache ${cache}: ${(error as Error).message}`);
    }
  }
  return result;
}

/**
 * The spec a teacher is trained with: the student arm's data, seed and evaluation, with the
 * teacher's own model, objective, attack and training schedule, and no fairness strategy.
 * Undefined when the arm has no teacher.
 */
export function teacherSpecOf(spec: Arm['spec']): Arm['spec'] | undefined {
  if (!spec.teacher) return undefined;
  const { teacher, distiller: _distiller, ...rest } = spec;
  return {
    ...rest,
    model: teacher.model,
    objective: teacher.objective,
    trainingAttack: teacher.trainingAttack,
    fairness: { id: 'identity' },
    // An imported teacher is not trained; its spec still needs a schedule, and it names the file.
    training: teacher.training ?? { ...rest.training, epochs: 1 },
    ...(teacher.import ? { teacher: { ...teacher } } : {}),
  };
}

/**
 * A distillation arm is capped by its teacher (a student is not expected to beat the robustness
 * of the model it imitates): warn when a teacher's average robust accuracy under the first attack
 * does not exceed that of the best arm trained without a teacher.
 */
export function teacherWarnings(arms: readonly ArmResult[]): string[] {
  const robust = (evaluation: ArmEvaluation) => Object.values(evaluation.attacks)[0]?.average ?? Number.NaN;
  const baselines = arms.filter((arm) => !arm.teacher);
  if (baselines.length === 0) return [];
  const best = baselines.reduce((a, b) => (robust(b.evaluation) > robust(a.evaluation) ? b : a));
  const warnings: string[] = [];
  const seen = new Set<string>();
  for (const arm of arms) {
    if (!arm.teacher || seen.has(arm.teacher.key)) continue;
    seen.add(arm.teacher.key);
    if (!(robust(arm.teacher.evaluation) > robust(best.evaluation))) {
      warnings.push(
        `teacher ${arm.teacher.key.slice(0, 8)} (robust ${robust(arm.teacher.evaluation).toFixed(3)}) is not more robust than the student arm '${best.label}' (${robust(best.evaluation).toFixed(3)}): distillation arms are capped by it`,
      );
    }
  }
  return warnings;
}

