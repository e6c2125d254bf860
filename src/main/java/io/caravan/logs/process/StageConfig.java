package io.caravan.logs.process;

/**
 * One stage as a stage file gives it: its type and its arguments, bound and checked. Building the stage from it
 * (compiling, registering counters) cannot fail on the file's account: everything the file says was checked here.
 */
record StageConfig(StageType type, StageArgs args) {

    StageConfig {
        type.argsType().cast(args);
    }

    Stage build(StageMetrics metrics) {
        return type.build(args, metrics);
    }
}
