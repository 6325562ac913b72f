/**
 * Terminal and notebook display: progress bars with an ETA for long loops, the display bundles a
 * notebook shows (tables, Plotly figures with their PNG), what a notebook reads (the demo run's
 * folders), and executed notebooks made fit to publish.
 *
 * @example
 * ```ts
 * import { progressBar } from "./mod.ts";
 * const bar = progressBar("prepare", 3);
 * for (let done = 1; done <= 3; done++) bar.update(done);
 * bar.done();
 * ```
 */
export * from "./progress.ts";
export * from "./notebook.ts";
export * from "./notebook_inputs.ts";
export * from "./published_notebook.ts";
