package io.caravan.logs.process;

import io.micrometer.core.instrument.Counter;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * stage.sampling: keeps each entry with probability {@code rate} and drops (and counts) the rest, as Alloy's
 * sampler decides: a random number in [1, 2^63-1] is kept when it is at most rate × (2^63-1), so rate 0 keeps
 * nothing and rate 1 keeps everything.
 */
final class SamplingStage extends Stage.PerEntry {

    private final long boundary;
    private final LongSupplier randomIds;
    private final Counter dropped;

    /** Alloy's SamplingConfig: the fraction to keep, and the reason dropped entries are counted under. */
    record Args(Double rate, String dropCounterReason) implements StageArgs {
        Args {
            dropCounterReason = ArgChecks.emptyAsDefault(dropCounterReason, "sampling_stage");
        }

        @Override
        public void validate() {
            if (rate == null) {
                throw new IllegalArgumentException("'rate' is required: the fraction of entries to keep, from 0 to 1, like rate: 0.25");
            }
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("'rate' must be between 0 and 1 (0.25 keeps a quarter), found " + rate);
            }
        }
    }

    SamplingStage(Args args, StageMetrics metrics) {
        this(args, metrics, () -> ThreadLocalRandom.current().nextLong(Long.MAX_VALUE) + 1);
    }

    /** With the random numbers given, in [1, 2^63-1], so a test knows which entries stay. */
    SamplingStage(Args args, StageMetrics metrics, LongSupplier randomIds) {
        double rate = args.rate();
        boundary = rate <= 0 ? 0 : rate >= 1 ? Long.MAX_VALUE : (long) (Long.MAX_VALUE * rate);
        this.randomIds = randomIds;
        dropped = metrics.dropCounter(args.dropCounterReason());
    }

    @Override
    boolean apply(ProcessEntry e) {
        if (randomIds.getAsLong() <= boundary) {
            return true;
        }
        dropped.increment();
        return false;
    }
}
