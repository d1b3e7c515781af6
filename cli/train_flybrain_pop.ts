/**
 * `flybrain train_flybrain_pop`: gains and shifts shared per subpopulation (neurotransmitter or
 * cell body fiber) of a connectome ROI, trained towards a target spectrum (see cli/_flybrain.ts).
 *
 * @module
 */

import { flybrainTrainingCommand } from "./_flybrain.ts";

/** The `train_flybrain_pop` command. */
export const trainFlybrainPopCommand = flybrainTrainingCommand(true);
