// The dependency direction of STYLE.md as a test (convention 16): cli → repo → engine → format,
// crypto → store (interface). Reads every import of src/**/*.ts with the TypeScript parser.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

const SDK = /^(@aws-sdk|@smithy|@azure)\//;
const FILE_SYSTEM = new Set(['node:fs', 'node:fs/promises']);
const ADAPTER = /^src\/store\/(local|s3|azure)\//;

/** engine and format stay off the file system, with these exceptions and their reasons. */
const FILE_SYSTEM_EXCEPTIONS: ReadonlyMap<string, string> = new Map([
  ['src/engine/source.ts', "reads the user's source image or block device, a local file, not a store object"],
  ['src/engine/target.ts', 'writes the restore target, a local file or block device, not a store object'],
  ['src/engine/volume-source.ts', "opens the user's source (a path, a pipe or stdin), a local file, not a store object"],
  ['src/engine/workers/cpu-worker.ts', 'writes restored segments to the restore target through its descriptor'],
  ['src/engine/workers/pool.ts', 'looks for its own compiled worker script on disk, not a store object'],
]);

/** Modules that may pick a concrete adapter besides src/cli: the composition roots. */
const ADAPTER_IMPORTERS: ReadonlyMap<string, string> = new Map([
  ['src/index.ts', 'the public library API re-exports LocalStore for programs that embed snaptier'],
  ['src/store/open.ts', 'opens the store a repository URL names, for the CLI and the daemon alike'],
]);

/** The engine's public surface: outside src/engine, the only engine module anyone imports. */
const ENGINE_SURFACE = 'src/engine/index.ts';

/** Imports of an inner engine module from outside it ('importer -> imported'), each with its reason. */
const ENGINE_INNER_EXCEPTIONS: ReadonlyMap<string, string> = new Map<string, string>([
  [
    'src/repo/mark.ts -> src/engine/map-walker.ts',
    "prune's mark (forget --prune, prune, lock --extend) only walks maps: through the index those commands would load " +
      'the backup, restore and copy pipelines at start-up, 36 modules more',
  ],
  ['src/repo/leftovers.ts -> src/engine/map-walker.ts', "the same for prune's scan of interrupted backups' checkpoints"],
]);

/** Layers from the top; a module may import its own layer or those below, never above. */
const LAYERS: ReadonlyArray<readonly [name: string, pattern: RegExp]> = [
  ['index', /^src\/index\.ts$/],
  ['cli', /^src\/cli\//],
  ['service', /^src\/service\//],
  ['sources', /^src\/sources\//],
  ['nbd', /^src\/nbd\//], // the NBD server: on the repository and the engine's snapshot reader
  ['repo', /^src\/repo\//],
  ['engine', /^src\/engine\//],
  ['format', /^src\/(format|crypto)\//],
  ['store', /^src\/store\//],
  ['shared', /^src\/[^/]+\.ts$/], // errors.ts, defaults.ts: leaves everyone may use
];

interface Import {
  from: string; // importing file, relative to the repository root
  specifier: string; // as written
  target: string; // 'src/...' for a file of ours, the normalised package name otherwise
  internal: boolean;
  typeOnly: boolean;
  line: number;
}

const files = sourceFiles();
const imports = files.flatMap(readImports);
const internal = imports.filter((i) => i.internal);

function sourceFiles(): string[] {
  return (readdirSync(join(ROOT, 'src'), { recursive: true }) as string[])
    .map((f) => posix.join('src', f.split('\\').join('/')))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort();
}

function readImports(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: Import[] = [];
  const add = (node: ts.Node, literal: ts.Expression | undefined, typeOnly: boolean): void => {
    if (!literal || !ts.isStringLiteralLike(literal)) return;
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    out.push({ from: file, specifier: literal.text, typeOnly, line, ...resolveSpecifier(file, literal.text) });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const allTypes =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node, node.moduleSpecifier, allTypes);
    } else if (ts.isExportDeclaration(node)) {
      add(node, node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isCallExpression(node)) {
      const dynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const require = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (dynamicImport || require) add(node, node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal, true); // `import('x').T` in a type position
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function resolveSpecifier(from: string, specifier: string): { target: string; internal: boolean } {
  if (specifier.startsWith('.')) {
    const path = posix.normalize(posix.join(posix.dirname(from), specifier));
    // NodeNext: './x.js' names the source './x.ts'; generated JavaScript is named as it is.
    const candidates = [path.replace(/\.js$/, '.ts'), path, `${path}.ts`, `${path}/index.ts`];
    const found = candidates.find((c) => existsSync(join(ROOT, c)) && !c.endsWith('/'));
    return { target: found ?? `${path} (unresolved)`, internal: true };
  }
  const bare = builtinModules.includes(specifier) && !specifier.startsWith('node:') ? `node:${specifier}` : specifier;
  return { target: bare, internal: false };
}

function layerOf(file: string): number {
  const i = LAYERS.findIndex(([, pattern]) => pattern.test(file));
  return i < 0 ? LAYERS.length : i;
}

function show(i: Import): string {
  const target = i.internal ? i.target : `'${i.specifier}'`;
  return `${i.from}:${i.line} imports ${target}${i.typeOnly ? ' (type only)' : ''}`;
}

const inEngineOrFormat = (f: string): boolean => /^src\/(engine|format)\//.test(f);

describe('the source tree', () => {
  it('is found and parsed', () => {
    expect(files).toContain('src/index.ts');
    expect(files.length).toBeGreaterThan(20);
    expect(internal.length).toBeGreaterThan(50);
    for (const file of [...FILE_SYSTEM_EXCEPTIONS.keys(), ...ADAPTER_IMPORTERS.keys(), ENGINE_SURFACE, ...[...ENGINE_INNER_EXCEPTIONS.keys()].flatMap((k) => k.split(' -> '))]) {
      expect(files, `exception for ${file}, which does not exist`).toContain(file);
    }
  });

  it('has no relative import that points at nothing', () => {
    expect(internal.filter((i) => i.target.endsWith('(unresolved)')).map(show)).toEqual([]);
  });
});

describe('dependency direction', () => {
  it('engine and format import no cloud SDK', () => {
    expect(imports.filter((i) => inEngineOrFormat(i.from) && SDK.test(i.target)).map(show)).toEqual([]);
  });

  it('engine and format do not touch the file system, except where they read the source or write the target', () => {
    const found = imports.filter((i) => inEngineOrFormat(i.from) && FILE_SYSTEM.has(i.target) && !FILE_SYSTEM_EXCEPTIONS.has(i.from));
    expect(found.map(show)).toEqual([]);
  });

  it('engine and format import neither the CLI nor a concrete store adapter', () => {
    const found = internal.filter((i) => inEngineOrFormat(i.from) && (/^src\/cli\//.test(i.target) || ADAPTER.test(i.target)));
    expect(found.map(show)).toEqual([]);
  });

  it('repo does not import the CLI', () => {
    expect(internal.filter((i) => /^src\/repo\//.test(i.from) && /^src\/cli\//.test(i.target)).map(show)).toEqual([]);
  });

  it('service and sources do not import the CLI; the CLI reaches the daemon only through its command', () => {
    const up = internal.filter((i) => /^src\/(service|sources)\//.test(i.from) && /^src\/cli\//.test(i.target));
    const down = internal.filter(
      (i) => /^src\/cli\//.test(i.from) && /^src\/(service|sources)\//.test(i.target) && i.from !== 'src/cli/commands/daemon.ts',
    );
    expect([...up, ...down].map(show)).toEqual([]);
  });

  it('sources know nothing of repositories, stores or the engine', () => {
    const found = internal.filter((i) => /^src\/sources\//.test(i.from) && /^src\/(repo|engine|format|store|service)\//.test(i.target));
    expect(found.map(show)).toEqual([]);
  });

  it('only the CLI and the composition roots pick a concrete store adapter', () => {
    const found = internal.filter((i) => {
      if (!ADAPTER.test(i.target) || /^src\/cli\//.test(i.from) || ADAPTER_IMPORTERS.has(i.from)) return false;
      // An adapter's own files may import each other.
      const adapterDir = /^src\/store\/[^/]+\//.exec(i.target)?.[0];
      return !(adapterDir && i.from.startsWith(adapterDir));
    });
    expect(found.map(show)).toEqual([]);
  });

  it('outside src/engine, only the engine surface (src/engine/index.ts) is imported from the engine', () => {
    const found = internal.filter(
      (i) =>
        !i.from.startsWith('src/engine/') &&
        i.target.startsWith('src/engine/') &&
        i.target !== ENGINE_SURFACE &&
        !ENGINE_INNER_EXCEPTIONS.has(`${i.from} -> ${i.target}`),
    );
    expect(found.map(show)).toEqual([]);
  });

  it('the engine surface re-exports the engine only, and nothing in the engine imports it back', () => {
    const out = internal.filter((i) => i.from === ENGINE_SURFACE);
    expect(out.length, 'the surface exports something').toBeGreaterThan(5);
    expect(out.filter((i) => !i.target.startsWith('src/engine/')).map(show)).toEqual([]);
    // An inner module importing the surface would make every engine file load every other one.
    expect(internal.filter((i) => i.target === ENGINE_SURFACE && i.from.startsWith('src/engine/') && i.from !== ENGINE_SURFACE).map(show)).toEqual([]);
  });

  it('only format imports the generated protobuf code', () => {
    expect(internal.filter((i) => i.target.startsWith('src/format/gen/') && !i.from.startsWith('src/format/')).map(show)).toEqual([]);
  });

  it(`points down the layers: ${LAYERS.map(([name]) => name).join(' → ')}`, () => {
    const found = internal.filter((i) => layerOf(i.target) < layerOf(i.from));
    expect(found.map((i) => `${show(i)}: ${LAYERS[layerOf(i.from)]?.[0]} must not import ${LAYERS[layerOf(i.target)]?.[0]}`)).toEqual([]);
  });

  it('the memory store (the unit tier\'s) is the store interface in memory: no SDK, no file system, no layer above', () => {
    const found = imports.filter(
      (i) => /^src\/store\/memory\//.test(i.from) && (SDK.test(i.target) || FILE_SYSTEM.has(i.target) || (i.internal && !/^src\/store\//.test(i.target))),
    );
    expect(found.map(show)).toEqual([]);
  });

  it("prune's plan is pure: it imports types only, so every safety rule is decided without I/O", () => {
    expect(imports.filter((i) => i.from === 'src/repo/prune-plan.ts' && !i.typeOnly).map(show)).toEqual([]);
  });

  it('every object magic lives in src/format (docs/format.md lists them)', () => {
    const found = files.filter((f) => !f.startsWith('src/format/') && /Buffer\.from\(\s*'SNT/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(found).toEqual([]);
  });

  it('has no import cycle', () => {
    // Read 'src/a.ts:3 → src/b.ts:9 → src/a.ts' as: line 3 of a.ts imports b.ts, line 9 of b.ts imports a.ts.
    expect(findCycles(internal)).toEqual([]);
  });
});

/** One concrete cycle for each strongly connected component of the import graph (Tarjan). */
function findCycles(edges: readonly Import[]): string[] {
  const next = new Map<string, Import[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const e of next.get(v) ?? []) {
      if (!index.has(e.target)) {
        connect(e.target);
        low.set(v, Math.min(low.get(v)!, low.get(e.target)!));
      } else if (onStack.has(e.target)) {
        low.set(v, Math.min(low.get(v)!, index.get(e.target)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = (next.get(v) ?? []).some((e) => e.target === v);
      if (component.length > 1 || selfLoop) components.push(component);
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) connect(v);
  return components.map((c) => shortestCycle(c.sort()[0]!, new Set(c), next));
}

/** The shortest path from `start` back to itself inside its component, type-only steps marked. */
function shortestCycle(start: string, within: ReadonlySet<string>, next: ReadonlyMap<string, Import[]>): string {
  const via = new Map<string, Import>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    for (const e of next.get(v) ?? []) {
      if (!within.has(e.target)) continue;
      if (e.target === start) {
        const steps = [e];
        for (let u = v; u !== start; u = via.get(u)!.from) steps.unshift(via.get(u)!);
        return [...steps.map((s) => `${s.from}:${s.line}${s.typeOnly ? ' (type only)' : ''}`), start].join(' → ');
      }
      if (!via.has(e.target) && e.target !== start) {
        via.set(e.target, e);
        queue.push(e.target);
      }
    }
  }
  return `${start} → (cycle not traced)`;
}
