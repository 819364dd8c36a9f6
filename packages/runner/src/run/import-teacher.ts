import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { writeEvaluationJson } from '@robustfair/attacks/node';
import { importSafetensors, type TeacherArchitectureId } from '@robustfair/models';
import { RunFileError, StudentModel } from '@robustfair/spec';
import type { Arm } from '../config/ablate.js';
import { resolve } from '../di/resolve.js';
import { withArmContainer } from '../di/with-arm-container.js';
import { ExperimentRunner } from '../experiment-runner.js';
import { formatArm } from '../results/format-comparison.js';
import { readArmResult } from '../results/arm-files.js';
import { acquireArmLock } from '../results/arm-lock.js';
import { hasResult, specHash } from '../results/checkpoint-store.js';
import { saveModelWeights } from '../results/model-weights.js';
import { writeArmResult } from '../results/arm-files.js';
import { readSafetensorsFile } from '../teacher-import/read-safetensors-file.js';
import { resultHeader } from './run-arm.js';
import type { ArmContext, ArmResult } from './run-types.js';

/**
 * An imported teacher: the safetensors file is loaded into the teacher model (names and layouts
 * mapped, ignore-list applied), saved in our weight format for the student arms, and evaluated
 * by the same suite so its robustness is recorded like a trained teacher's.
 */
export async function importTeacher(
  context: ArmContext,
  arm: Arm,
  armDirectory: string,
  source: { readonly file: string; readonly architecture?: string | undefined; readonly sha256?: string | undefined },
): Promise<ArmResult> {
  const lock = await acquireArmLock(armDirectory);
  try {
    return await importTeacherLocked(context, arm, armDirectory, source);
  } finally {
    await lock.release();
  }
}

async function importTeacherLocked(
  context: ArmContext,
  arm: Arm,
  armDirectory: string,
  source: { readonly file: string; readonly architecture?: string | undefined; readonly sha256?: string | undefined },
): Promise<ArmResult> {
  const file = path.resolve(path.dirname(context.configFile), source.file);
  // The header is read and checked before the data (a huge or damaged file fails at once).
  const bytes = await readSafetensorsFile(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (source.sha256 !== undefined && source.sha256 !== sha256) {
    throw new RunFileError(file, `has SHA-256 ${sha256}, but teacher.import.sha256 expects ${source.sha256}: it is not the file the config names`);
  }
  const cached = await reuseImportedTeacher(armDirectory, arm, sha256);
  if (cached) context.reporter.info(`[${arm.label}] ${file} already imported and evaluated: reusing ${path.join(armDirectory, 'result.json')}`);
  // Weights are always written from the file (cheap); an earlier evaluation of the same file is reused.
  if (cached && existsSync(path.join(armDirectory, 'weights.json'))) return cached;
  const { teacher: _teacher, ...spec } = arm.spec;
  return withArmContainer(context.root, spec, async (child) => {
    const model = resolve(child, StudentModel);
    const architecture = (source.architecture ?? spec.model.id) as TeacherArchitectureId;
    const report = importSafetensors(model, bytes, { architecture, source: file });
    context.reporter.info(`[${arm.label}] imported ${file} (${report.loaded.length} tensors, ${report.ignored.length} ignored)`);
    await saveModelWeights(model, armDirectory);
    if (cached) return cached;
    const started = performance.now();
    const { evaluation, report: suite } = await child.get(ExperimentRunner).evaluate(arm.label);
    const result: ArmResult = {
      ...resultHeader(context, arm, child),
      training: { epochs: [], strategyState: null, seconds: 0, imported: file, importedSha256: sha256 },
      evaluation: { ...evaluation, seconds: (performance.now() - started) / 1000 },
    };
    await writeEvaluationJson(path.join(armDirectory, 'evaluation.json'), suite);
    await writeArmResult(armDirectory, result);
    context.options.print?.(`\n${formatArm(arm.label, evaluation, suite.classNames)}`);
    return result;
  });
}

/**
 * The result of an earlier import of the same file (by content) under the same spec: evaluating
 * a teacher (AutoAttack included) is done once per results directory, and a committed result
 * travels with the results to another machine. The directory is our own cache: anything
 * unreadable there just means evaluating again.
 */
async function reuseImportedTeacher(armDirectory: string, arm: Arm, sha256: string): Promise<ArmResult | undefined> {
  if (!(await hasResult(armDirectory))) return undefined;
  try {
    const earlier = await readArmResult(armDirectory);
    return earlier.training.importedSha256 === sha256 && specHash(earlier.spec) === specHash(arm.spec) ? earlier : undefined;
  } catch {
    return undefined;
  }
}

