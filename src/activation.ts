/**
 * Activation functions of the rate model and their accepted spellings
 * (docs/design.md#3-model-and-conventions).
 *
 * | name | φ_i(x) |
 * |---|---|
 * | `tanh` (`std`) | tanh(x) (gains and shifts unused) |
 * | `tanh_stretched` (`tanh_streched`, `strech`) | tanh(g_i (x − s_i)) |
 * | `tanh_pos` (`pos`) | (1 + tanh(g_i (x − s_i))) / 2 |
 *
 * @module
 */

/** Canonical activation names. */
export type Activation = "tanh" | "tanh_stretched" | "tanh_pos";

/** Every accepted spelling, mapped to its canonical name. */
export const ACTIVATION_ALIASES: Readonly<Record<string, Activation>> = Object.freeze({
  tanh: "tanh",
  std: "tanh",
  tanh_stretched: "tanh_stretched",
  tanh_streched: "tanh_stretched",
  strech: "tanh_stretched",
  stretched: "tanh_stretched",
  tanh_pos: "tanh_pos",
  pos: "tanh_pos",
});

/**
 * Canonical name of an activation spelling; throws a RangeError listing the accepted ones.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * equal(parseActivation("strech"), "tanh_stretched");
 * ```
 */
export function parseActivation(name: string): Activation {
  const found = Object.hasOwn(ACTIVATION_ALIASES, name) ? ACTIVATION_ALIASES[name] : undefined;
  if (found === undefined) {
    throw new RangeError(
      `Unknown activation "${name}": expected one of ${Object.keys(ACTIVATION_ALIASES).join(", ")}`,
    );
  }
  return found;
}

/** Whether the activation uses per-type gains and shifts. */
export function usesGainsAndShifts(activation: Activation): boolean {
  return activation !== "tanh";
}

/**
 * Throws a RangeError when `activation` ignores gains and shifts, so that `action` on them
 * ("train", "sweep") would change nothing.
 *
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * throws(() => checkUsesGainsAndShifts("tanh", "sweep"), /Cannot sweep gains or shifts of the tanh activation/);
 * ```
 */
export function checkUsesGainsAndShifts(activation: Activation, action: string): void {
  if (!usesGainsAndShifts(activation)) {
    throw new RangeError(
      `Cannot ${action} gains or shifts of the ${activation} activation, which ignores them (use tanh_pos or tanh_stretched)`,
    );
  }
}
