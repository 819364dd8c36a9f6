// @robustfair/queue: a sweep's arms as BullMQ jobs on Redis, run by workers on any machine.
export { armJobId } from './arm-job-id.js';
export { armQueueName, readArmJobData, type ArmJobData } from './arm-job-data.js';
export { readArmStates, type ArmState } from './arm-states.js';
export { serveDashboard, isLoopback, type Dashboard, type DashboardOptions } from './dashboard.js';
export { describeArmState, finishSweep, followSweep, type SweepOutput } from './follow-sweep.js';
export { runQueueWorker, type ArmJobOutcome, type QueueWorkerOptions } from './queue-worker.js';
export { parseRedisUrl, redactRedisUrl, RedisUrlError, type RedisTarget } from './redis-url.js';
export { submitSweep, type SubmitOptions } from './submit-sweep.js';
export { readSweepManifest, sweepManifestFileName, type SweepManifest } from './sweep-manifest.js';
export { statusLine, sweepStatus, type SweepStatus } from './sweep-status.js';
