// Property tests are deterministic: every fast-check run starts from this seed unless a test sets
// its own (fast-check prints the seed and path of a failure, so any failure replays exactly).
// FC_SEED=<n> npm test explores other cases on purpose.
import fc from "fast-check";

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20_261_207) });
