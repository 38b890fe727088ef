/** The top of every action's main: run, and turn any error into a failed step (never process.exit). */
import { errorMessage, setFailed } from './runner.js';

export async function runMain(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    setFailed(errorMessage(err));
  }
}
