package io.caravan.logs.process;

/**
 * The arguments of one stage: a record of Alloy's arguments for it (their snake_case names in a stage file), whose
 * compact constructor fills in the defaults and whose {@link #validate()} refuses what Alloy refuses. Checking is
 * a step of its own, after binding, so that an unknown or mistyped key is reported before what it would cause.
 */
interface StageArgs {

    /** Throws IllegalArgumentException with the reason alone; the stage file adds the file, stage and line. */
    void validate();
}
