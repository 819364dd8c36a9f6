import { defineLibraryConfig } from '../../tools/tsup.shared.js';

export default defineLibraryConfig({ index: 'src/index.ts', testing: 'src/testing/redis-server.ts' });
