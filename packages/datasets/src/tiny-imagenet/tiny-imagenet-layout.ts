import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from '@robustfair/spec';
import { requireDirectory } from '../directory/dataset-directory.js';

/** Image files and labels of one split, index order. */
export interface ImageFileList {
  readonly files: readonly string[];
  readonly labels: Int32Array;
}

/** A Tiny-ImageNet folder indexed: class ids, names, and the files of train and val. */
export interface TinyImagenetLayout {
  /** WordNet ids in label order (line order of `wnids.txt`). */
  readonly wnids: readonly string[];
  /** From `words.txt` when present (first synonym), else the wnid. */
  readonly classNames: readonly string[];
  readonly train: ImageFileList;
  /** `val/`, labelled by `val/val_annotations.txt`: the test split (the official test set has no labels). */
  readonly validation: ImageFileList;
}

const name = 'Tiny-ImageNet';
const isJpeg = (file: string) => /\.jpe?g$/i.test(file);
// Numeric-aware so that n01443537_2 comes before n01443537_10: "first N per class" means what it says.
const byName = new Intl.Collator('en', { numeric: true }).compare;

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new DatasetError(`${name}: file '${file}' not found (expected ${what})`);
  }
}

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

/**
 * Indexes a Tiny-ImageNet folder without decoding anything: `wnids.txt` (class order),
 * `train/<wnid>/images/*.JPEG` (train, class by class, files in numeric-aware name order),
 * `val/images/*.JPEG` labelled by `val/val_annotations.txt` (file, wnid, box; line order).
 * Every error names the file and what was expected.
 */
export function readTinyImagenetLayout(directory: string): TinyImagenetLayout {
  requireDirectory(directory, name, 'wnids.txt, train/<wnid>/images/*.JPEG and val/ (tiny-imagenet-200)');
  const wnids = lines(readText(join(directory, 'wnids.txt'), 'one WordNet id per line'));
  if (wnids.length === 0) throw new DatasetError(`${name}: '${join(directory, 'wnids.txt')}' lists no class`);
  const labelOf = new Map(wnids.map((wnid, label) => [wnid, label]));
  if (labelOf.size !== wnids.length) throw new DatasetError(`${name}: '${join(directory, 'wnids.txt')}' lists a WordNet id twice`);

  const words = new Map<string, string>();
  try {
    for (const line of lines(readFileSync(join(directory, 'words.txt'), 'utf8'))) {
      const [wnid, synonyms] = line.split('\t');
      if (wnid !== undefined && synonyms !== undefined) words.set(wnid, synonyms.split(',')[0]?.trim() ?? wnid);
    }
  } catch {
    // words.txt is optional: without it the class names are the wnids.
  }

  const trainFiles: string[] = [];
  const trainLabels: number[] = [];
  wnids.forEach((wnid, label) => {
    const folder = join(directory, 'train', wnid, 'images');
    let entries: string[];
    try {
      entries = readdirSync(folder);
    } catch {
      throw new DatasetError(`${name}: directory '${folder}' not found (expected the training JPEGs of class ${label}, '${wnid}')`);
    }
    const images = entries.filter(isJpeg).sort(byName);
    if (images.length === 0) throw new DatasetError(`${name}: directory '${folder}' holds no .JPEG file (class ${label}, '${wnid}')`);
    for (const image of images) {
      trainFiles.push(join(folder, image));
      trainLabels.push(label);
    }
  });

  const annotations = join(directory, 'val', 'val_annotations.txt');
  const validationFiles: string[] = [];
  const validationLabels: number[] = [];
  readText(annotations, 'one line per validation image: file, wnid, box')
    .split(/\r?\n/)
    .forEach((line, lineIndex) => {
      if (line.trim() === '') return;
      const [file, wnid] = line.trim().split(/\s+/);
      const label = wnid === undefined ? undefined : labelOf.get(wnid);
      if (file === undefined || label === undefined) {
        throw new DatasetError(
          `${name}: '${annotations}' line ${lineIndex + 1}: expected '<file> <wnid> …' with a wnid listed in wnids.txt, got '${line.trim()}'`,
        );
      }
      validationFiles.push(join(directory, 'val', 'images', file));
      validationLabels.push(label);
    });

  return {
    wnids,
    classNames: wnids.map((wnid) => words.get(wnid) ?? wnid),
    train: { files: trainFiles, labels: Int32Array.from(trainLabels) },
    validation: { files: validationFiles, labels: Int32Array.from(validationLabels) },
  };
}
