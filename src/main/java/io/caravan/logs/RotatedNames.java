package io.caravan.logs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The names rotation gives a file's older content, in the file's own directory: globs over its name, where
 * {@code <name>} is the file's name, {@code <base>} the name without its last extension and {@code <ext>} that
 * extension with its dot ({@code audit.log}: {@code audit} and {@code .log}). The default covers logrotate
 * ({@code audit.log.1}, {@code .1.gz}, {@code audit.log-20261202}, {@code -20261202.gz}), kube-apiserver
 * ({@code audit-2026-12-02T11-37-27.123.log} and its {@code .gz}) and the kubelet ({@code 0.log.20261202-113727},
 * {@code .gz}). A name matching a pattern is only a candidate: its first bytes decide.
 */
public final class RotatedNames {

    public static final String DEFAULT = "<name>.*,<name>-*,<base>-*<ext>,<base>-*<ext>.gz";

    private final List<String> patterns;

    private RotatedNames(List<String> patterns) {
        this.patterns = patterns;
    }

    public static RotatedNames defaults() {
        return parse(DEFAULT);
    }

    /** Comma-separated globs, each naming the file through {@code <name>} or {@code <base>}; no directories. */
    public static RotatedNames parse(String option) {
        List<String> list = Arrays.stream((option == null ? "" : option).split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        for (String p : list) {
            if (!p.contains("<name>") && !p.contains("<base>")) {
                throw new IllegalArgumentException("rotatedNames: '" + p + "' names no file; use <name> or <base> (e.g. <name>.1)");
            }
            if (p.indexOf('/') >= 0) {
                throw new IllegalArgumentException("rotatedNames: '" + p + "' has a '/'; rotated names are in the file's own directory");
            }
        }
        return new RotatedNames(list);
    }

    /**
     * The files in {@code file}'s directory that one of the patterns names (not {@code file} itself): plain ones
     * first (a .gz may still be being written while its plain original exists), each group newest first.
     */
    public List<Path> of(Path file) throws IOException {
        Path dir = file.getParent();
        if (patterns.isEmpty() || dir == null) {
            return List.of();
        }
        String name = file.getFileName().toString();
        List<PathMatcher> matchers = patterns.stream().map(p -> expand(p, name))
                .map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        List<Candidate> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                Path n = p.getFileName();
                if (n.toString().equals(name) || matchers.stream().noneMatch(m -> m.matches(n))) {
                    continue;
                }
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        found.add(new Candidate(p, LogFile.isCompressed(p), a.lastModifiedTime()));
                    }
                } catch (IOException ignored) {
                    // gone meanwhile, or unreadable: not a candidate
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of();
        }
        found.sort(Comparator.comparing(Candidate::compressed).thenComparing(Candidate::modified, Comparator.reverseOrder()));
        return found.stream().map(Candidate::path).toList();
    }

    private record Candidate(Path path, boolean compressed, FileTime modified) {
    }

    /** The glob for one file: its name, base and extension put in, their glob characters escaped. */
    static String expand(String pattern, String name) {
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        return pattern.replace("<name>", escape(name)).replace("<base>", escape(base)).replace("<ext>", escape(ext));
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("*?[]{}\\".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return String.join(",", patterns);
    }
}
