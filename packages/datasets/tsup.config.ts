import { defineLibraryConfig } from '../../tools/tsup.shared.js';

export default defineLibraryConfig({"index":"src/index.ts","di/index":"src/di/index.ts","node/index":"src/node/index.ts"});
