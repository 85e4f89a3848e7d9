/**
 * The file piscina loads in each body worker. It is CommonJS on purpose: piscina first
 * `require()`s the file it is given, and given the ES module worker itself, that is Node 20's
 * require(esm), which can abort the whole process (an assertion in
 * `ModuleWrap::CreateRequiredModuleFacade`, seen in CI when a pool closed while a worker was
 * still loading). A CommonJS file is a plain `require`; the ES module is then loaded with
 * `import()`, which fails as an ordinary rejection.
 */
import type { RenderedBody } from './render.js';
import type { RenderTask } from './render-worker.js';

let loaded: Promise<(task: RenderTask) => RenderedBody> | undefined;

async function render(task: RenderTask): Promise<RenderedBody> {
  loaded ??= import('./render-worker.js').then((worker) => worker.default);
  return (await loaded)(task);
}

export = render;
