// `npm start`: build the web app when its sources are newer than the last build, then run the server.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const webDir = 'apps/web';
const dist = join(webDir, 'dist', 'index.html');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

if (existsSync(join(webDir, 'index.html'))) {
  const stale = !existsSync(dist) || newest(join(webDir, 'src')) > statSync(dist).mtimeMs;
  if (stale) {
    console.log('Building the web app (first start or changed sources)…');
    const r = spawnSync('npm', ['run', 'build', '-w', '@erp/web'], { stdio: 'inherit', shell: process.platform === 'win32' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}
const r = spawnSync(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], { stdio: 'inherit' });
process.exit(r.status ?? 0);
