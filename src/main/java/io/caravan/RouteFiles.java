package io.caravan;

import org.apache.camel.CamelContext;
import org.apache.camel.support.PluginHelper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The route files of one configuration, by location, with their text and the text of the rule and stage files their
 * routes read: what a hot reload compares to tell which files changed. A file is the unit of a reload, as in Camel's
 * own route reloading: a changed file has all its routes replaced, an unchanged one is left alone.
 *
 * @param texts what each route file held, in load order (the templates file first)
 * @param read  for each route file, the text of each rule or stage file its routes read (by location), as they read it
 */
record RouteFiles(Map<String, String> texts, Map<String, Map<String, String>> read) {

    /** What changed from this configuration to the next; each list in load order. */
    record Change(List<String> added, List<String> changed, List<String> removed, boolean templatesChanged) {

        boolean isEmpty() {
            return added.isEmpty() && changed.isEmpty() && removed.isEmpty() && !templatesChanged;
        }

        /** Every file named, for the status and the log. */
        List<String> files() {
            List<String> all = new ArrayList<>(added);
            all.addAll(changed);
            all.addAll(removed);
            return all;
        }
    }

    /** The text of these locations as they are now; IOException naming the one that cannot be read. */
    static Map<String, String> read(CamelContext camel, List<String> locations) throws IOException {
        Map<String, String> texts = new LinkedHashMap<>();
        for (String location : locations) {
            texts.put(location, text(camel, location));
        }
        return texts;
    }

    static String text(CamelContext camel, String location) throws IOException {
        try (InputStream in = org.apache.camel.support.ResourceHelper.resolveMandatoryResourceAsInputStream(camel, location)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IOException(location + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * From this configuration to the files now at {@code next}: a route file is changed when its text is, or when a
     * rule or stage file its routes read is; when the templates file changed, so did every file instantiating one.
     */
    Change changeTo(Map<String, String> next, CamelContext camel) {
        List<String> added = new ArrayList<>();
        Set<String> changed = new LinkedHashSet<>();
        List<String> removed = new ArrayList<>();
        boolean templatesChanged = false;
        for (Map.Entry<String, String> e : next.entrySet()) {
            String location = e.getKey();
            String before = texts.get(location);
            if (before == null) {
                added.add(location);
            } else if (RouteSources.isTemplates(location)) {
                templatesChanged |= !before.equals(e.getValue());
            } else if (!before.equals(e.getValue()) || readChanged(location, camel)) {
                changed.add(location);
            }
        }
        for (String location : texts.keySet()) {
            if (!next.containsKey(location)) {
                if (RouteSources.isTemplates(location)) {
                    templatesChanged = true;
                } else {
                    removed.add(location);
                }
            }
        }
        if (templatesChanged) {
            for (Map.Entry<String, String> e : next.entrySet()) {
                if (texts.containsKey(e.getKey()) && !RouteSources.isTemplates(e.getKey()) && e.getValue().contains("templatedRoute")) {
                    changed.add(e.getKey());
                }
            }
        }
        List<String> changedInOrder = next.keySet().stream().filter(changed::contains).toList();
        return new Change(added, changedInOrder, removed, templatesChanged);
    }

    /** Whether a rule or stage file the location's routes read reads differently now (or not at all). */
    private boolean readChanged(String location, CamelContext camel) {
        for (Map.Entry<String, String> file : read.getOrDefault(location, Map.of()).entrySet()) {
            String now;
            try {
                now = io.caravan.component.CaravanComponent.readResourceVerbatim(camel, "reload", file.getKey());
            } catch (IOException | RuntimeException e) {
                return true; // validation says why
            }
            if (!Objects.equals(now, file.getValue())) {
                return true;
            }
        }
        return false;
    }
}
