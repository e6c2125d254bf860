package io.caravan;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where the pipelines come from: the routes built into the jar ({@code classpath:routes/*.yaml}), and the
 * directory in {@code CARAVAN_ROUTES_DIR} (the chart's ConfigMap mount). A file in the directory replaces
 * the built-in file of the same name and a new name adds a pipeline; an empty file of a built-in's name
 * switches that pipeline off.
 */
public final class RouteSources {

    public static final String BUILT_IN = "classpath:routes/*.yaml";

    /** The route templates the pipeline files instantiate: a route file like the others, overridable by its name. */
    public static final String TEMPLATES = "templates.yaml";

    public static final String BUILT_IN_TEMPLATES = "classpath:routes/" + TEMPLATES;

    private RouteSources() {
    }

    /**
     * The value for camel.main.routes-include-pattern: every file named, never a classpath wildcard, because
     * Camel resolves a wildcard by unpacking every nested jar of the fat jar (measured: 14 s of start-up).
     */
    public static String includePattern(Map<String, String> env) {
        String dir = env.get("CARAVAN_ROUTES_DIR");
        if (dir == null || dir.isBlank()) {
            List<String> parts = new ArrayList<>();
            for (String name : builtInNames()) {
                parts.add("classpath:routes/" + name);
            }
            return String.join(",", templatesFirst(parts));
        }
        File d = new File(dir);
        if (!d.isDirectory()) {
            throw new IllegalStateException("CARAVAN_ROUTES_DIR=" + dir + " is not a directory; point it at the routes ConfigMap mount or unset it");
        }
        Set<String> overridden = new TreeSet<>();
        File[] files = d.listFiles((x, name) -> name.endsWith(".yaml") && !name.startsWith("."));
        if (files != null) {
            for (File f : files) {
                overridden.add(f.getName());
            }
        }
        List<String> parts = new ArrayList<>();
        for (String name : builtInNames()) {
            if (!overridden.contains(name)) {
                parts.add("classpath:routes/" + name);
            }
        }
        for (String name : overridden) {
            if (new File(d, name).length() > 0) {
                parts.add("file:" + new File(d, name).getAbsolutePath());
            }
        }
        return String.join(",", templatesFirst(parts));
    }

    static boolean isTemplates(String location) {
        return location.endsWith("/" + TEMPLATES) || location.endsWith(":" + TEMPLATES);
    }

    /**
     * The same locations, the templates file first. Camel finds a template wherever it is when it loads all files at
     * once, as the agent does; {@code validate} loads them one at a time, to tell each file's errors apart.
     */
    static List<String> templatesFirst(List<String> locations) {
        List<String> ordered = new ArrayList<>(locations.stream().filter(RouteSources::isTemplates).toList());
        locations.stream().filter(l -> !isTemplates(l)).forEach(ordered::add);
        return ordered;
    }

    static List<String> builtInNames() {
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver().getResources(BUILT_IN);
            List<String> names = new ArrayList<>();
            for (Resource r : resources) {
                names.add(r.getFilename());
            }
            names.sort(null);
            return names;
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the built-in routes: " + e.getMessage(), e);
        }
    }
}
