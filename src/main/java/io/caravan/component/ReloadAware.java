package io.caravan.component;

/**
 * A component whose state outlives its routes across a hot reload: told when a reload starts stopping and replacing
 * routes and when the new ones run, so it can carry what it keeps over (a scrape job's loops and series memory)
 * instead of ending it as it would for a route that is gone.
 */
public interface ReloadAware {

    /** These routes are about to be stopped and removed, and the new files' routes loaded. */
    void beginReload(java.util.Set<String> replacedRoutes);

    /** The reload is over, whether it succeeded or the previous routes were put back: what no route took up now ends. */
    void endReload();
}
