package io.caravan;

import io.caravan.tap.TapStrategy;
import io.caravan.tap.Taps;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;

/**
 * The live tap's parts: the open taps, and the strategy that puts a tap point around every step of every route.
 * camel-spring-boot adds every {@link org.apache.camel.spi.InterceptStrategy} bean to the CamelContext before the
 * routes are built, so each route, those added later by a reload or the monitors too, is wrapped as it is built.
 */
@Configuration(proxyBeanMethods = false)
class TapWiring {

    @Bean
    Taps taps() {
        return new Taps(Taps.MAX_TAPS, System::nanoTime);
    }

    @Bean
    TapStrategy tapStrategy(Taps taps) {
        return new TapStrategy(taps);
    }

    /**
     * A stopping agent ends the taps first: their streams hold request threads that the web server's graceful
     * shutdown would otherwise wait for.
     */
    @Bean
    ApplicationListener<ContextClosedEvent> closeTaps(Taps taps) {
        return event -> taps.closeAll("agent stopping");
    }
}
