package io.caravan.logs.tail;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A path pattern ({@code /var/log/*.log}, {@code /var/log/**}/{@code *.log}, {@code {a,b}.log}) expanded by walking
 * from its fixed leading directories, only as deep as the pattern goes. Symbolic links are not descended into (no
 * loops); a link that matches is followed by its follower, which reports it if it loops.
 */
final class GlobPaths {

    private final Path base;
    private final int depth;
    private final PathMatcher matcher;
    private final PathMatcher zeroDirs; // null when the pattern has no "/**/"

    GlobPaths(String pattern) {
        Path p = Path.of(pattern).toAbsolutePath().normalize();
        Path b = p.getRoot();
        int i = 0;
        for (; i < p.getNameCount() - 1; i++) {
            String seg = p.getName(i).toString();
            if (isGlob(seg)) {
                break;
            }
            b = b.resolve(seg);
        }
        this.base = b;
        this.depth = pattern.contains("**") ? Integer.MAX_VALUE : p.getNameCount() - i;
        this.matcher = FileSystems.getDefault().getPathMatcher("glob:" + p);
        // Java's "**/" needs at least one directory; Alloy's (doublestar) also matches none: /var/log/**/*.log
        // takes /var/log/a.log too. Without this, such files are silently never read.
        String s = p.toString();
        this.zeroDirs = s.contains("/**/") ? FileSystems.getDefault().getPathMatcher("glob:" + s.replace("/**/", "/")) : null;
    }

    private boolean matches(Path p) {
        return matcher.matches(p) || (zeroDirs != null && zeroDirs.matches(p));
    }

    static boolean isGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    /** Matching files now; directories that match, and places that cannot be read, go to {@code problem}. */
    List<Path> expand(BiConsumer<Path, String> problem) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(base)) {
            return out;
        }
        try {
            Files.walkFileTree(base, EnumSet.noneOf(FileVisitOption.class), depth, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(base) && matches(dir)) {
                        problem.accept(dir, "a directory");
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (matches(file)) {
                        if (attrs.isDirectory()) {
                            problem.accept(file, "a directory"); // at the depth limit, directories come here
                        } else if (attrs.isRegularFile() || attrs.isSymbolicLink()) {
                            out.add(file);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    problem.accept(file, "unreadable (" + exc.getMessage() + ")");
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            problem.accept(base, "unreadable (" + e.getMessage() + ")");
        }
        return out;
    }
}
