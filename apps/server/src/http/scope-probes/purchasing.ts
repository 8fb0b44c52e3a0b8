import type { ModuleProbes } from './probe.js';

/** Scope probes for the purchasing module's routes. */
export const purchasingProbes: ModuleProbes = { probes: {} };
