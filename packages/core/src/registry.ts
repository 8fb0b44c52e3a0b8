import { type BuiltinRole, builtinRoles } from './auth/builtin-roles.js';
import { manifests } from './modules.generated.js';
import type { Ctx } from './platform/context.js';
import type { DemoChain, ModuleManifest } from './platform/module.js';

/**
 * The modules (their `<module>/manifest.ts`, listed by scripts/modules.mjs), each after the modules it names in
 * `after` (then by key): the order demo data is seeded in. What the spine composes from them lives here.
 */
export const modules: readonly ModuleManifest[] = order(manifests);

function order(list: readonly ModuleManifest[]): ModuleManifest[] {
  const byKey = new Map(list.map((m) => [m.key, m]));
  const out: ModuleManifest[] = [];
  const visiting = new Set<string>();
  const visit = (m: ModuleManifest) => {
    if (out.includes(m)) return;
    if (visiting.has(m.key)) throw new Error(`modules: ${m.key} and the modules it names in "after" form a cycle`);
    visiting.add(m.key);
    for (const k of m.after ?? []) {
      const dep = byKey.get(k);
      if (!dep) throw new Error(`modules: ${m.key} names "${k}" in "after", which has no manifest`);
      visit(dep);
    }
    visiting.delete(m.key);
    out.push(m);
  };
  for (const m of [...list].sort((a, b) => a.key.localeCompare(b.key))) visit(m);
  return out;
}

/** The built-in roles with every module's contribution (AUTH-1). */
export function allBuiltinRoles(): BuiltinRole[] {
  return builtinRoles(modules.flatMap((m) => (m.roles ? [m.roles] : [])));
}

/** Each module's demo data, in order, on the demo chain. */
export async function seedModuleDemos(ctx: Ctx, chain: DemoChain): Promise<void> {
  for (const m of modules) await m.demo?.(ctx, chain);
}
