package run.codetether.tools.domain;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import run.codetether.tools.domain.workspace.EditHistory;
import run.codetether.tools.domain.workspace.PathPolicy;

/**
 * One workspace directory per session: under the configured root, made on first use (tools-service), or a fixed
 * directory per session id (a worker: one session per registered codebase, the codebase's own directory).
 * Thread-safe.
 */
public final class SessionRegistry {

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private final Path root;
    private final int historyCapacity;
    private final Path stateRoot;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Function<String, Path> workspaceOf;

    /** Edit histories in memory only. */
    public SessionRegistry(Path root, int historyCapacity) {
        this(root, historyCapacity, null);
    }

    /**
     * Edit histories persisted under {@code stateRoot/<session>/history} (null: in memory), so undo survives a
     * restart. The state root must not be inside a workspace, where the agent's own tools could rewrite it.
     */
    public SessionRegistry(Path root, int historyCapacity, Path stateRoot) {
        this.root = root.toAbsolutePath().normalize();
        this.historyCapacity = historyCapacity;
        this.stateRoot = stateRoot == null ? null : stateRoot.toAbsolutePath().normalize();
        this.workspaceOf = id -> this.root.resolve(id.replace(':', '_'));
    }

    /**
     * Sessions whose workspaces are given directories (a worker's codebases), not made under a root.
     *
     * @param workspaceOf the directory of a session id; throws {@link ToolException} for an id it does not know
     * @param root what {@link #root()} answers (nothing is created under it)
     */
    public SessionRegistry(Path root, Function<String, Path> workspaceOf, int historyCapacity, Path stateRoot) {
        this.root = root.toAbsolutePath().normalize();
        this.historyCapacity = historyCapacity;
        this.stateRoot = stateRoot == null ? null : stateRoot.toAbsolutePath().normalize();
        this.workspaceOf = workspaceOf;
    }

    /** Beside the workspaces, under a name no session id can take (ids start with a letter or digit). */
    public static Path defaultStateRoot(Path workspaceRoot) {
        return workspaceRoot.toAbsolutePath().normalize().resolve(".codetether-state");
    }

    public Path root() {
        return root;
    }

    /** Rejects ids that could not be a directory name (the caller maps this to INVALID_ARGUMENT). */
    public static void checkId(String sessionId) {
        if (sessionId == null || !SAFE_ID.matcher(sessionId).matches() || sessionId.contains("..")) {
            throw ToolException.invalid("session_id must be 1-128 characters of [A-Za-z0-9._:-], start with a letter"
                    + " or digit and not contain '..'");
        }
    }

    public Session get(String sessionId) {
        checkId(sessionId);
        return sessions.computeIfAbsent(sessionId, id -> new Session(id,
                new PathPolicy(workspaceOf.apply(id)), new EditHistory(historyCapacity,
                        stateRoot == null ? null : stateRoot.resolve(id.replace(':', '_')).resolve("history"))));
    }

    /** Forgets the session's bookkeeping; with purge also deletes its workspace. True if it was known. */
    public boolean close(String sessionId, boolean purge) {
        checkId(sessionId);
        Session s = sessions.remove(sessionId);
        Path dir = workspaceOf.apply(sessionId);
        if (stateRoot != null) {
            run.codetether.tools.domain.workspace.Durable.deleteTree(stateRoot.resolve(sessionId.replace(':', '_'))
                    .resolve("history"));
        }
        if (purge && Files.exists(dir)) {
            deleteTree(dir);
        }
        return s != null || Files.exists(dir) || purge;
    }

    private static void deleteTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new ToolException(ToolException.Code.IO_ERROR, "cannot delete workspace: " + e.getMessage(), e);
        }
    }
}
