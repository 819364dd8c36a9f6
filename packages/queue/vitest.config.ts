import { robustfairProject } from '../../tools/vitest.shared.js';

export default robustfairProject('queue');
