import { fileURLToPath } from "node:url";

/**
 * Path of a compiled module of this package, for worker threads. Running from dist/ it is the
 * sibling file; running the TypeScript sources (tests) it is the same file under dist/, which
 * `npm test` builds first.
 */
export function compiledModulePath(fromUrl: string, relative: string): string {
  const here = fileURLToPath(new URL(relative, fromUrl));
  return here.replace(/([/\\])src([/\\])/, "$1dist$2").replace(/\.ts$/, ".js");
}
