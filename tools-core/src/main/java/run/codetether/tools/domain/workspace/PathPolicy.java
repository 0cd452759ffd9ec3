package run.codetether.tools.domain.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolException.Code;

/**
 * Resolves a path a model gave into a path inside one workspace. Refuses {@code ..} that leaves the workspace,
 * absolute paths outside it, and any symlink (at any depth) whose target lies outside. Paths that do not exist
 * yet are checked through their nearest existing ancestor, so a write cannot create a file behind a symlink.
 *
 * <p>This is a policy check on the service side; commands run in the sandbox, where the workspace is the only
 * writable mount, so a symlink a command swaps in after the check still cannot reach a host file for writing.
 */
public final class PathPolicy {

    private final Path root;
    private final Path realRoot;

    public PathPolicy(Path root) {
        try {
            this.root = root.toAbsolutePath().normalize();
            Files.createDirectories(this.root);
            this.realRoot = this.root.toRealPath();
        } catch (IOException e) {
            throw new ToolException(Code.IO_ERROR, "cannot create workspace " + root + ": " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    /** The absolute, checked path for {@code raw} (relative to the workspace root, or absolute inside it). */
    public Path resolve(String raw) {
        if (raw == null || raw.isBlank()) {
            throw ToolException.invalid("path must not be empty");
        }
        if (raw.indexOf('\0') >= 0) {
            throw ToolException.invalid("path contains a NUL character");
        }
        Path given;
        try {
            given = Path.of(raw);
        } catch (InvalidPathException e) {
            throw ToolException.invalid("invalid path '" + raw + "': " + e.getReason());
        }
        Path abs = (given.isAbsolute() ? given : root.resolve(given)).normalize();
        if (!abs.startsWith(root) && !abs.startsWith(realRoot)) {
            throw new ToolException(Code.PATH_REFUSED, "path '" + raw + "' resolves outside the workspace"
                    + (raw.contains("..") ? " ('..' may not leave the workspace)" : "")
                    + "; use a path relative to the workspace root");
        }
        Path real = realPathOfExistingPrefix(abs, raw, 0);
        if (!real.startsWith(realRoot)) {
            throw new ToolException(Code.PATH_REFUSED,
                    "path '" + raw + "' goes through a symlink that points outside the workspace");
        }
        return abs;
    }

    /** The path relative to the workspace root, with '/' separators, for output the model sees. */
    public String display(Path p) {
        Path rel = (p.startsWith(root) ? root : realRoot).relativize(p);
        String s = rel.toString().replace('\\', '/');
        return s.isEmpty() ? "." : s;
    }

    private Path realPathOfExistingPrefix(Path abs, String raw, int depth) {
        if (depth > 40) {
            throw new ToolException(Code.PATH_REFUSED, "path '" + raw + "' has too many levels of symlinks");
        }
        Path existing = abs;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        Path rest = existing.relativize(abs);
        try {
            return existing.toRealPath().resolve(rest).normalize();
        } catch (IOException e) {
            // A dangling symlink: judge it by where it would point, so a write cannot follow it outside.
            if (Files.isSymbolicLink(existing)) {
                try {
                    Path target = existing.getParent().resolve(Files.readSymbolicLink(existing)).normalize();
                    return realPathOfExistingPrefix(target.resolve(rest), raw, depth + 1);
                } catch (IOException e2) {
                    throw new ToolException(Code.IO_ERROR, "cannot read symlink " + display(existing), e2);
                }
            }
            throw new ToolException(Code.IO_ERROR, "cannot resolve '" + raw + "': " + e.getMessage(), e);
        }
    }
}
