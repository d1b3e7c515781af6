/**
 * Test fixtures: the reference spectra (copied from the shared reference set) and the core.
 *
 * @module
 */

import { loadCore } from "../src/deno.ts";
import type { LyapunovSpectrumOptions } from "../src/deno.ts";
import { type NetworkFile, parseNetworkFile } from "../src/network_file.ts";

/** A reference case: a network file with its inputs, expected exponents and tolerance. */
export interface ReferenceCase extends Omit<NetworkFile, "options"> {
  name: string;
  nle: number;
  options: LyapunovSpectrumOptions;
  expected: { exponents: number[]; sum_exponents?: number; ky_dimension?: number; entropy?: number };
  tolerance: { kind: "absolute"; abs: number } | { kind: "statistical"; abs: number[] };
}

/** Folder of the reference cases. */
export const REFERENCE_DIR = new URL("./fixtures/reference/", import.meta.url);

/** Every reference case. */
export function referenceCases(): ReferenceCase[] {
  const cases: ReferenceCase[] = [];
  for (const entry of Deno.readDirSync(REFERENCE_DIR)) {
    if (!entry.name.endsWith(".json")) continue;
    const json = JSON.parse(Deno.readTextFileSync(new URL(entry.name, REFERENCE_DIR)));
    const file = parseNetworkFile(json, entry.name);
    cases.push({ ...json, ...file, options: { ...file.options, nle: json.nle, h0: file.h0, q0: file.q0 } });
  }
  return cases.sort((a, b) => a.name.localeCompare(b.name));
}

/** The core, loaded once per test module. */
export const core = await loadCore();
