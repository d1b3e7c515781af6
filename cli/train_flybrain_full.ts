/**
 * `flybrain train_flybrain_full`: gains and shifts of every neuron of a connectome ROI trained
 * towards a target spectrum (see cli/_flybrain.ts).
 *
 * @module
 */

import { flybrainTrainingCommand } from "./_flybrain.ts";

/** The `train_flybrain_full` command. */
export const trainFlybrainFullCommand = flybrainTrainingCommand(false);
