import type { ModuleProbes } from './probe.js';

/** Scope probes for the catalog module's routes. */
export const catalogProbes: ModuleProbes = { probes: {} };
