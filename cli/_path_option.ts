/**
 * Options that name a path, declared with what the run does there. The sandbox of a command
 * (cli/_sandbox.ts) is derived from these declarations and the values given, so the options
 * and the permissions can never disagree.
 *
 * @module
 */

import { Argument, Option } from "commander";

/** What a run does with the path an option names. */
export type PathRole =
  /** A file the run reads. */
  | { kind: "input" }
  /** The output root: the run writes only under `<root>/<folder>/` for these folders. */
  | { kind: "outputRoot"; folders: readonly string[] }
  /**
   * A file the run writes (atomically, through a temporary file beside it); an existing one
   * only when the boolean option `force` (its attribute name) is set.
   */
  | { kind: "outputFile"; force: string }
  /** A run folder to continue: a name under the output root's `logs/<workflow>/`, or a path. */
  | { kind: "runFolder" };

/** A commander option naming a path, with its role. */
export class PathOption extends Option {
  /** What the run does with the path. */
  readonly role: PathRole;

  /** An option `flags` (e.g. "--out <dir>") with its help and role. */
  constructor(flags: string, description: string, role: PathRole) {
    super(flags, description);
    this.role = role;
  }
}

/** A command argument naming an existing run folder (by path) that the run reads and writes. */
export class RunFolderArgument extends Argument {}
