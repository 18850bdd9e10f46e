/**
 * Summarises a V8 CPU profile (`npm run bench -- --profile DIR` writes one per server): self time per function and
 * per file or package, and optionally the inclusive time of the functions whose "name file:line" matches a pattern.
 * `node --import tsx bench/support/profile-summary.ts PROFILE|DIR [TOP=40] [PATTERN]` — a folder means its largest
 * .cpuprofile (the main thread's; tsx's loader thread writes a small one beside it). Inclusive times are those of
 * the synchronous stacks: work resumed after an `await` is counted under the function that resumed it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The largest .cpuprofile under `path`, or `path` itself when it is a file. */
export function largestProfile(path: string): string {
  if (!statSync(path).isDirectory()) return path;
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : name.endsWith('.cpuprofile') ? [join(dir, name)] : []));
  const [largest] = walk(path).sort((a, b) => statSync(b).size - statSync(a).size);
  if (!largest) throw new Error(`no .cpuprofile under ${path}`);
  return largest;
}

/** A source location, shortened: `nm:package/…` for node_modules, repository-relative for ours. */
function place(node: ProfileNode): string {
  const url = node.callFrame.url.replace(/^.*\/node_modules\//, 'nm:').replace(/^file:\/\/.*?\/(src|dist|bench|test)\//, '$1/') || '(native)';
  return url;
}

/** The package (`nm:name`, `nm:@scope/name`) or file a location belongs to. */
function owner(url: string): string {
  if (!url.startsWith('nm:')) return url;
  return url.split('/').slice(0, url.startsWith('nm:@') ? 2 : 1).join('/');
}

/** Lines "  123 ms  4.5%  name" for the `top` largest entries, in ms of the profile's `total` µs. */
function table(times: Map<string, number>, total: number, top: number): string[] {
  return [...times]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`);
}

/** The summary of the profile at `path` as lines of text. */
export function summarise(path: string, top = 40, pattern?: RegExp): string[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const label = (node: ProfileNode) => `${node.callFrame.functionName || '(anonymous)'} ${place(node)}:${node.callFrame.lineNumber + 1}`;
  const add = (times: Map<string, number>, key: string, us: number) => times.set(key, (times.get(key) ?? 0) + us);

  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    add(byFunction, label(node), us);
    add(byOwner, owner(place(node)), us);
  }
  const lines = [`${path}: ${(total / 1000).toFixed(0)} ms sampled`, '--- self time by function', ...table(byFunction, total, top), '--- self time by file or package', ...table(byOwner, total, top)];
  if (!pattern) return lines;

  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const counted = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const name = label(byId.get(at)!);
      if (pattern.test(name) && !counted.has(name)) {
        counted.add(name);
        add(inclusive, name, us);
      }
    }
  }
  return [...lines, `--- inclusive time of functions matching ${pattern}`, ...table(inclusive, total, top)];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [path, top, pattern] = process.argv.slice(2);
  if (!path) {
    console.error('Usage: node --import tsx bench/support/profile-summary.ts PROFILE|DIR [TOP] [PATTERN]');
    process.exit(2);
  }
  console.log(summarise(largestProfile(path), top ? Number(top) : 40, pattern ? new RegExp(pattern) : undefined).join('\n'));
}
