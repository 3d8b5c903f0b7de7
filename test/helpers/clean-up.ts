/**
 * Runs every clean-up step even when earlier ones fail (a browser that will not close must not
 * leave Linux users or servers behind), then reports all failures together.
 */
export async function cleanUp(steps: ReadonlyArray<readonly [string, () => unknown]>): Promise<void> {
  const failures: Error[] = [];
  for (const [what, step] of steps) {
    try {
      await step();
    } catch (error) {
      failures.push(new Error(`cleanup (${what}) failed`, { cause: error }));
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, 'cleanup failed');
}
