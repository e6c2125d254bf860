package io.caravan.logs.pods;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerRefTest {

    @Test
    void aPositionKeySplitsBackIntoTheContainerItNames() {
        ContainerRef ref = new ContainerRef("kube-system", "coredns-7db6d8ff4d-x2x9q", "0b5c6f1e-2d3a-4b5c-8d9e-0f1a2b3c4d5e", "coredns");
        assertThat(ContainerRef.ofKey(ref.key())).isEqualTo(ref);
        assertThat(ContainerRef.ofKey("/var/log/kube-audit/audit.log")).isNull();
        assertThat(ContainerRef.ofKey("shop_web-1/web")).isNull();
        assertThat(ContainerRef.ofKey("shop_web-1_u-1/")).isNull();
        assertThat(ContainerRef.ofKey("shop__u-1/web")).isNull();
        assertThat(ContainerRef.ofKey("shop_web-1_u-1/web/0.log")).isNull();
    }
}
