import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  armResultFileSchema,
  cleanRowId,
  epochLogLineSchema,
  evaluationFileSchema,
  InvalidOptionsError,
  type ArmEvaluationFile,
  type ArmResultFile,
  type ClassSummaryFile,
  type JsonValue,
} from '@robustfair/spec';
import { comparisonIndexSchema, readJsonFile, type EpochLine } from './run-files.js';

/** One finished arm as the report sees it: what its result.json, epochs.jsonl and evaluation.json hold. */
export interface RunArm {
  /** The arm's directory (absolute). */
  readonly directory: string;
  /** The experiment (config) name the arm was run under. */
  readonly experiment: string;
  readonly label: string;
  readonly seed: number;
  /** The arm's full spec: arms whose specs differ only in `seed` (and `name`) are one method. */
  readonly spec: Readonly<Record<string, JsonValue>>;
  readonly split: string;
  readonly epsilon: number;
  /** Evaluation rows by id, in the suite's order: `clean`, each attack, `worst-case`. */
  readonly evaluations: ReadonlyMap<string, ClassSummaryFile>;
  /** From evaluation.json, when the dataset names its classes. */
  readonly classNames?: readonly string[];
  /** One entry per epoch, sorted, as logged in epochs.jsonl (or result.json's training.epochs). */
  readonly epochs: readonly EpochLine[];
  /** Sanity flags the evaluation suite raised. */
  readonly flags: readonly string[];
  /** The teacher a distillation arm learned from, with its own evaluation. */
  readonly teacher?: { readonly key: string; readonly evaluations: ReadonlyMap<string, ClassSummaryFile> };
}

/** The arms read from the report's inputs, and what the reader noticed on the way. */
export interface RunDirectories {
  readonly arms: readonly RunArm[];
  /** The input directories, resolved. */
  readonly sources: readonly string[];
  /** Skipped lines, arms missing from a comparison, comparison warnings. */
  readonly notes: readonly string[];
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

function evaluationRows(evaluation: ArmEvaluationFile): ReadonlyMap<string, ClassSummaryFile> {
  return new Map([[cleanRowId, evaluation.clean], ...Object.entries(evaluation.attacks)]);
}

/**
 * The epoch log: epochs.jsonl when present (a line that does not parse, such as a half-written
 * last line after a kill, is skipped with a note; a resumed run can log an epoch twice, the
 * last line wins), else the epochs recorded in result.json.
 */
async function readEpochs(directory: string, result: ArmResultFile, notes: string[]): Promise<EpochLine[]> {
  const file = path.join(directory, 'epochs.jsonl');
  const byEpoch = new Map<number, EpochLine>();
  if (await isFile(file)) {
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      let parsed: ReturnType<typeof epochLogLineSchema.safeParse> | undefined;
      try {
        parsed = epochLogLineSchema.safeParse(JSON.parse(line));
      } catch {
        parsed = undefined;
      }
      if (parsed?.success) byEpoch.set(parsed.data.epoch, parsed.data);
      else notes.push(`${file}: line ${index + 1} is not an epoch record; skipped`);
    });
  } else {
    for (const entry of result.training.epochs) byEpoch.set(entry.epoch, entry);
  }
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

async function readClassNames(directory: string): Promise<readonly string[] | undefined> {
  const file = path.join(directory, 'evaluation.json');
  if (!(await isFile(file))) return undefined;
  return (await readJsonFile(file, evaluationFileSchema)).classNames;
}

/** Reads one arm directory (it must hold result.json). */
export async function readArmDirectory(directory: string, notes: string[] = []): Promise<RunArm> {
  const result = await readJsonFile(path.join(directory, 'result.json'), armResultFileSchema);
  const classNames = await readClassNames(directory);
  return {
    directory,
    experiment: result.name,
    label: result.label,
    seed: result.seed,
    spec: result.spec,
    split: result.evaluation.split,
    epsilon: result.evaluation.epsilon,
    evaluations: evaluationRows(result.evaluation),
    ...(classNames ? { classNames } : {}),
    epochs: await readEpochs(directory, result, notes),
    flags: result.evaluation.flags.map((flag) => `${flag.id}: ${flag.message}`),
    ...(result.teacher ? { teacher: { key: result.teacher.key, evaluations: evaluationRows(result.teacher.evaluation) } } : {}),
  };
}

/** Arm directories inside `directory` (those holding result.json), sorted by name; teachers excluded. */
async function finishedArmsIn(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const arms: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory() || entry.name === 'teachers') continue;
    if (await isFile(path.join(directory, entry.name, 'result.json'))) arms.push(path.join(directory, entry.name));
  }
  return arms;
}

/** The arm directories one input stands for: a comparison's arms in its order, or the arm itself. */
async function armDirectoriesOf(input: string, notes: string[]): Promise<string[]> {
  const directory = path.resolve(input);
  try {
    if (!(await stat(directory)).isDirectory()) throw new Error('not a directory');
  } catch (error) {
    throw new InvalidOptionsError('report input', [{ path: directory, message: `is not a readable directory (${(error as Error).message})` }]);
  }
  const comparisonFile = path.join(directory, 'comparison.json');
  if (await isFile(comparisonFile)) {
    const comparison = await readJsonFile(comparisonFile, comparisonIndexSchema);
    notes.push(...comparison.warnings.map((warning) => `${comparison.name}: ${warning}`));
    const arms: string[] = [];
    for (const { label } of comparison.arms) {
      const armDirectory = path.join(directory, label);
      if (await isFile(path.join(armDirectory, 'result.json'))) arms.push(armDirectory);
      else notes.push(`${comparisonFile} lists arm '${label}', but ${armDirectory} holds no result.json; skipped`);
    }
    return arms;
  }
  if (await isFile(path.join(directory, 'result.json'))) return [directory];
  const arms = await finishedArmsIn(directory);
  if (arms.length === 0) {
    throw new InvalidOptionsError('report input', [
      {
        path: directory,
        message: 'holds neither comparison.json (a comparison, e.g. runs/<name>) nor result.json (an arm, e.g. runs/<name>/<arm>), nor finished arm directories',
      },
    ]);
  }
  notes.push(`${directory} has no comparison.json (an unfinished comparison?): reporting the ${arms.length} finished arm(s) in it`);
  return arms;
}

/**
 * Reads the report's inputs: each a comparison directory (all its arms), an arm directory, or a
 * directory of finished arms without comparison.json. Arms from several inputs are merged in the
 * order given; an arm named twice is read once.
 */
export async function readRunDirectories(inputs: readonly string[]): Promise<RunDirectories> {
  if (inputs.length === 0) throw new InvalidOptionsError('report input', [{ path: '', message: 'give at least one results directory' }]);
  const notes: string[] = [];
  const arms: RunArm[] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    for (const directory of await armDirectoriesOf(input, notes)) {
      if (seen.has(directory)) {
        notes.push(`${directory} was given more than once; read once`);
        continue;
      }
      seen.add(directory);
      arms.push(await readArmDirectory(directory, notes));
    }
  }
  if (arms.length === 0) throw new InvalidOptionsError('report input', [{ path: inputs.join(', '), message: 'no finished arm (result.json) found' }]);
  return { arms, sources: inputs.map((input) => path.resolve(input)), notes };
}
