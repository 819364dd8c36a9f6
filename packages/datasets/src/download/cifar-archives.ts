import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { extract } from 'tar';
import { type DownloadProgress, downloadFile } from './download-file.js';

/**
 * The official binary-version archives (https://www.cs.toronto.edu/~kriz/cifar.html), with the
 * md5 sums that page publishes and their sizes in bytes. Each holds one folder with the files.
 */
export const cifarArchives = {
  cifar10: {
    url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
    md5: 'c32a1d4ab5d03f1284b67883e8d87530',
    bytes: 170_052_171,
    folder: 'cifar-10-batches-bin',
  },
  cifar100: {
    url: 'https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz',
    md5: '03b5dce01913d631647c71ecec9e9cb8',
    bytes: 168_513_733,
    folder: 'cifar-100-binary',
  },
} as const;

/** What `downloadCifarArchive` needs. */
export interface DownloadCifarArchiveOptions {
  readonly dataset: keyof typeof cifarArchives;
  /** Where the binary files end up (the archive's top folder is stripped). Created if missing. */
  readonly directory: string;
  /** Another copy of the same archive (a mirror); default the official address. */
  readonly url?: string;
  /** Default the official md5; set it together with `url` for a different archive. */
  readonly md5?: string;
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** Requests before giving up (each resumes). Default 3. */
  readonly attempts?: number;
}

/**
 * Downloads a CIFAR binary-version archive into `directory` (resumable, md5 verified, see
 * `downloadFile`), extracts it there with its top folder stripped (so `directory` then holds
 * `data_batch_1.bin` …), and deletes the archive. Never called by tests against the internet.
 */
export async function downloadCifarArchive(options: DownloadCifarArchiveOptions): Promise<void> {
  const archive = cifarArchives[options.dataset];
  await mkdir(options.directory, { recursive: true });
  const file = join(options.directory, `${archive.folder}.tar.gz`);
  await downloadFile({
    url: options.url ?? archive.url,
    file,
    md5: options.md5 ?? archive.md5,
    ...(options.onProgress && { onProgress: options.onProgress }),
    ...(options.attempts !== undefined && { attempts: options.attempts }),
  });
  // tar refuses entries that climb out of `cwd` ('..', absolute paths) unless told otherwise.
  await extract({ file, cwd: options.directory, strip: 1 });
  await rm(file, { force: true });
}

/**
 * A progress callback that writes a line to `write` (default stderr) at every 10% (or every
 * 10 MB when the size is unknown): enough to see a 170 MB download move, not a line per chunk.
 */
export function createProgressPrinter(label: string, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)) {
  let lastStep = -1;
  return ({ receivedBytes, totalBytes }: DownloadProgress) => {
    const megabytes = (receivedBytes / 1e6).toFixed(1);
    const step = totalBytes ? Math.floor((10 * receivedBytes) / totalBytes) : Math.floor(receivedBytes / 1e7);
    if (step === lastStep) return;
    lastStep = step;
    write(totalBytes ? `${label}: ${step * 10}% (${megabytes} of ${(totalBytes / 1e6).toFixed(1)} MB)` : `${label}: ${megabytes} MB`);
  };
}
