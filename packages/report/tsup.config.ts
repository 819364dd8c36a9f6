import { defineLibraryConfig } from '../../tools/tsup.shared.js';

export default defineLibraryConfig({"index":"src/index.ts","bin":"src/bin.ts","plots-entry":"src/plots-entry.ts"});
