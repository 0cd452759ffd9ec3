package run.codetether.tools.domain.search;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Lists regular files under a root in a stable order, skipping VCS and dependency folders that only add noise
 * ({@code .git}, {@code node_modules}, {@code target}). Symlinks are not followed, so a walk never leaves the
 * workspace.
 */
public final class FileWalker {

    static final Set<String> SKIPPED_DIRS = Set.of(".git", ".hg", ".svn", "node_modules", "target");

    private FileWalker() {}

    public static List<Path> files(Path root, List<String> include, List<String> exclude) {
        return files(root, include, exclude, true);
    }

    /**
     * With {@code includeByName=false} an include glob must match the whole relative path (glob semantics:
     * {@code *.rs} is the root directory only); excludes always match names too.
     */
    public static List<Path> files(Path root, List<String> include, List<String> exclude, boolean includeByName) {
        List<PathMatcher> inc = matchers(include);
        List<PathMatcher> exc = matchers(exclude);
        List<Path> out = new ArrayList<>();
        if (Files.isRegularFile(root)) {
            out.add(root);
            return out;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(root) && SKIPPED_DIRS.contains(dir.getFileName().toString())) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (!dir.equals(root) && matchesAny(exc, root.relativize(dir))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        Path rel = root.relativize(file);
                        boolean included = inc.isEmpty() || (includeByName ? matchesAny(inc, rel)
                                : inc.stream().anyMatch(m -> m.matches(rel)));
                        if (included && !matchesAny(exc, rel)) {
                            out.add(file);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        out.sort(null);
        return out;
    }

    /** A glob matches the relative path, or just the file name (so {@code *.rs} works at any depth). */
    static boolean matchesAny(List<PathMatcher> matchers, Path rel) {
        Path name = rel.getFileName();
        for (PathMatcher m : matchers) {
            if (m.matches(rel) || (name != null && m.matches(name))) {
                return true;
            }
        }
        return false;
    }

    public static List<PathMatcher> matchers(List<String> globs) {
        List<PathMatcher> out = new ArrayList<>();
        for (String g : globs) {
            if (g.isBlank()) {
                continue;
            }
            out.add(FileSystems.getDefault().getPathMatcher("glob:" + g));
            if (g.startsWith("**/")) {
                // Java's "**/x" needs at least one directory; the original's glob also matches "x" at the root.
                out.add(FileSystems.getDefault().getPathMatcher("glob:" + g.substring(3)));
            }
        }
        return out;
    }
}
