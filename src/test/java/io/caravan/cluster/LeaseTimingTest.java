package io.caravan.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Timings under which two agents could lead at once are refused at start, naming the setting. */
class LeaseTimingTest {

    @Test
    void aTimingThatCouldLetTwoLeadIsRefused() {
        assertThatThrownBy(() -> LeaseTiming.ofMillis(2_000, 2_000, 400))
                .hasMessageContaining("renew-deadline-millis (2000) must be shorter than lease-duration-millis (2000)");
        assertThatThrownBy(() -> LeaseTiming.ofMillis(2_500, 1_200, 400))
                .hasMessageContaining("lease-duration-millis must be whole seconds");
        assertThatThrownBy(() -> LeaseTiming.ofMillis(2_000, 1_200, 1_000))
                .hasMessageContaining("more than 1.2 x retry-period-millis");
        assertThat(LeaseTiming.ofMillis(15_000, 10_000, 2_000).leaseDuration().toSeconds()).isEqualTo(15);
    }
}
