/**
 * The version of sla-clock, written into exported warehouse tables so that a table built by another
 * version can be told apart. Kept equal to package.json's `version` by test/warehouse.export.test.ts
 * (a constant rather than an import of package.json: the browser bundle and the CJS build need no
 * JSON loader).
 * @internal
 */
export const LIBRARY_VERSION = "0.1.0";
