import { createHash } from 'node:crypto';
import path from 'node:path';
import { exportSafetensors, teacherArchitectures, type TeacherArchitectureId } from '@robustfair/models';
import { InvalidOptionsError, StudentModel } from '@robustfair/spec';
import { resolve } from './di/resolve.js';
import { withArmContainer } from './di/with-arm-container.js';
import { readArmManifest } from './results/arm-files.js';
import { prepare } from './run/prepare.js';
import type { RunOptions } from './run/run-types.js';
import { loadModelWeights } from './results/model-weights.js';
import { writeFileAtomic } from './results/write-json-atomic.js';

/** What `exportArmWeights` wrote. */
export interface ExportedWeights {
  readonly file: string;
  readonly bytes: number;
  /** Hex SHA-256 of the file, for `teacher.import.sha256` and for users who download it. */
  readonly sha256: string;
  readonly architecture: TeacherArchitectureId;
}

/**
 * Writes an arm's saved weights (`weights.json`/`.bin`, written at the end of `train`) as a
 * PyTorch `state_dict` in safetensors: names and layouts PyTorch's classes of the same
 * architecture load with `load_state_dict(strict=True)`. The model is rebuilt from the arm's
 * recorded spec (its `spec.json`); its data set is only consulted for the class count and image
 * shape.
 */
export async function exportArmWeights(armDirectory: string, file: string | undefined, options: Pick<RunOptions, 'reporter' | 'backend'>): Promise<ExportedWeights> {
  const manifest = await readArmManifest(armDirectory);
  const { spec } = manifest;
  if (!(spec.model.id in teacherArchitectures)) {
    throw new InvalidOptionsError(`${path.join(armDirectory, 'spec.json')}`, [
      { path: 'model.id', message: `'${spec.model.id}' has no PyTorch layout; export supports ${Object.keys(teacherArchitectures).map((id) => `'${id}'`).join(', ')}` },
    ]);
  }
  const architecture = spec.model.id as TeacherArchitectureId;
  const arm = { label: manifest.label, spec };
  const { root } = await prepare({ file: manifest.configFile, raw: spec as Record<string, unknown>, spec }, [arm], { out: path.dirname(armDirectory), ...options });
  return withArmContainer(root, spec, async (child) => {
    const model = resolve(child, StudentModel);
    await loadModelWeights(model, armDirectory);
    const bytes = exportSafetensors(model, { architecture, metadata: { format: 'pt', producer: 'robustfair', run: manifest.name, arm: manifest.label, specHash: manifest.specHash } });
    const target = file ?? path.join(armDirectory, 'model.safetensors');
    await writeFileAtomic(target, bytes);
    return { file: target, bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex'), architecture };
  });
}
