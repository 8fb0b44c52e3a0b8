import type { ModuleProbes } from './probe.js';

/** Scope probes for the pos module's routes. */
export const posProbes: ModuleProbes = { probes: {} };
