/**
 * Parsers of option values. Each throws commander's InvalidArgumentError, so a bad value gives
 * one line naming the option.
 *
 * @module
 */

import { InvalidArgumentError } from "commander";
import {
  type LossName,
  parseActivation,
  parseLoss,
  parseShard,
  type Shard,
  type TrainSelection,
} from "../src/deno.ts";

/** Parses a finite number. */
export function number(value: string): number {
  const x = Number(value);
  if (value.trim() === "" || !Number.isFinite(x)) throw new InvalidArgumentError("Not a finite number.");
  return x;
}

/** Parses a number ≥ 0. */
export function nonNegative(value: string): number {
  const x = number(value);
  if (x < 0) throw new InvalidArgumentError("Must be >= 0.");
  return x;
}

/** Parses a positive integer. */
export function positiveInt(value: string): number {
  const x = Number(value);
  if (!Number.isInteger(x) || x < 1) throw new InvalidArgumentError("Not a positive integer.");
  return x;
}

/** Parses a thread count: "auto" or an integer from 1 to 64. */
export function threads(value: string): number | "auto" {
  if (value === "auto") return value;
  const x = Number(value);
  if (!Number.isInteger(x) || x < 1 || x > 64) {
    throw new InvalidArgumentError('Not "auto" or an integer from 1 to 64.');
  }
  return x;
}

/** Parses a seed (integer in [0, 2^32)). */
export function seed(value: string): number {
  const x = Number(value);
  if (!Number.isInteger(x) || x < 0 || x > 0xffffffff) {
    throw new InvalidArgumentError("Not an integer in [0, 2^32).");
  }
  return x;
}

/** Parses an activation spelling. */
export function activation(value: string): string {
  try {
    return parseActivation(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message + ".");
  }
}

/** Parses `--tons`: a number or "auto". */
export function tons(value: string): number | "auto" {
  return value === "auto" ? "auto" : number(value);
}

/** Parses a boolean written true/false (as the original tool). */
export function boolean(value: string): boolean {
  if (value === "true" || value === "True" || value === "1") return true;
  if (value === "false" || value === "False" || value === "0") return false;
  throw new InvalidArgumentError("Expected true or false.");
}

/** Parses a loss name (l2, MSE, MSE_Custom, Sinai). */
export function loss(value: string): LossName {
  try {
    return parseLoss(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message + ".");
  }
}

/** Parses a comma-separated list of trained parts (weights,gains,shifts). */
export function trainParts(value: string): TrainSelection {
  const out: TrainSelection = {};
  for (const part of value.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    if (part !== "weights" && part !== "gains" && part !== "shifts") {
      throw new InvalidArgumentError(`Unknown part "${part}": expected weights, gains or shifts.`);
    }
    out[part] = true;
  }
  return out;
}

/** Parses a shard `I/N` (0 ≤ I < N). */
export function shard(value: string): Shard {
  try {
    return parseShard(value);
  } catch (e) {
    throw new InvalidArgumentError(`${(e as Error).message}.`);
  }
}
