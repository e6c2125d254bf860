package io.caravan;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Imports the Spring Boot and Camel auto-configurations the agent uses, listed in
 * {@code META-INF/spring/io.caravan.AgentAutoConfiguration.imports}, instead of the ~380 that the starters put on the
 * class path: @EnableAutoConfiguration read them all and evaluated the conditions of ~260 (vaults, cloud service
 * calls, transactions, REST clients, task executors, an OpenTelemetry log exporter with its own thread, one per Camel
 * component...). Start-up cost follows the list: a new entry goes there only when the agent uses what it configures.
 * Camel's components and languages need none: Camel finds them on the class path when a route names them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ImportAutoConfiguration
public @interface AgentAutoConfiguration {
}
