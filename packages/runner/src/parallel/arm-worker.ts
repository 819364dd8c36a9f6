// The arm worker process (a build entry, started by runArmsInWorkers with child_process.fork).
// Like the CLI's bin, a process entry: it loads reflect-metadata for the runner's @injectable classes.
import 'reflect-metadata';
import { serveArmWorker } from './serve-arm-worker.js';

serveArmWorker();
