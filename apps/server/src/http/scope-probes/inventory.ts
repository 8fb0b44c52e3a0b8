import type { ModuleProbes } from './probe.js';

/** Scope probes for the inventory module's routes. */
export const inventoryProbes: ModuleProbes = { probes: {} };
