package io.caravan.component;

/**
 * Something a component holds for an operator to read as text: a sink without a receiver shows what it
 * would have sent. Found through {@link DebugViews}, served at {@code /debug/sinks/NAME}.
 */
public interface DebugView {

    String name();

    /** How many entries or samples it has been given. */
    long received();

    /** One line for the index: counts, without the trailing path. */
    String summary();

    /** The Content-Type of {@link #render()}. */
    String contentType();

    String render();
}
