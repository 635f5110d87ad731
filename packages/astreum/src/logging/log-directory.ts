// Where a node's logs live (facts §6): %LOCALAPPDATA%\Astreum\lib-py\logs\<instance_id> on Windows
// (the home directory when LOCALAPPDATA is unset), else $XDG_STATE_HOME/Astreum/lib-py/logs/<id>,
// falling back to ~/.local/state/Astreum/lib-py/logs/<id>.
import { homedir } from "node:os";
import { join, win32 } from "node:path";

export function defaultLogDirectory(
  id: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === "win32") return win32.join(env.LOCALAPPDATA || home, "Astreum", "lib-py", "logs", id);
  const state = env.XDG_STATE_HOME || join(home, ".local", "state");
  return join(state, "Astreum", "lib-py", "logs", id);
}
