import { defineLibraryConfig } from '../../tools/tsup.shared.js';

// tfjs-core's gradient registrations are bundled: see src/backend/register-gradients.ts.
export default defineLibraryConfig(
  { index: 'src/index.ts', 'node/index': 'src/node/index.ts' },
  { noExternal: [/^@tensorflow\/tfjs-core\/dist\//] },
);
