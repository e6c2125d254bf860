package io.caravan.component;

import java.util.List;

/**
 * An endpoint that read files when it was created (relabel rules, loki.process stages): a hot reload replaces its
 * route when one of them changed, as it does when the route's own file did.
 */
public interface ReadsFiles {

    /** The files' locations as the options give them ({@code classpath:}, {@code file:} or a path). */
    List<String> files();
}
