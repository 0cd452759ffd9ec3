package run.codetether.tools.infra.git;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import run.codetether.tools.domain.git.ArchiveStage;
import run.codetether.tools.domain.git.WorkspaceException;
import run.codetether.tools.domain.git.WorkspaceException.Code;
import run.codetether.tools.domain.git.WorkspaceSource;
import run.codetether.tools.domain.workspace.Durable;

/**
 * Staged archives as files in one directory beside the sessions' state ({@code <state-root>/.staged}; no session id
 * starts with a dot, and the sandbox never sees the state root), named {@code <session>--<sha256>}. Written to a
 * temp file, fsynced and renamed, so a half-written upload is never prepared from. Entries older than the TTL are
 * swept on every upload (an upload whose task never ran, or whose prepare failed).
 */
public final class DiskArchiveStage implements ArchiveStage {
    private static final Logger LOG = Logger.getLogger(DiskArchiveStage.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path dir;
    private final long maxBytes;
    private final Duration ttl;
    private final Clock clock;

    public DiskArchiveStage(Path stateRoot, long maxBytes, Duration ttl, Clock clock) {
        this.dir = stateRoot.toAbsolutePath().normalize().resolve(".staged");
        this.maxBytes = maxBytes;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public Staged stage(String sessionId, WorkspaceSource.Archive archive) {
        byte[] data = archive.data();
        if (data.length == 0) {
            throw new WorkspaceException(Code.INVALID_ARGUMENT, "archive " + archive.name() + " is empty");
        }
        if (data.length > maxBytes) {
            throw new WorkspaceException(Code.TOO_LARGE, "archive " + archive.name() + " is " + data.length
                    + " bytes; the limit is " + maxBytes + " (codetether.tools.archive.max-bytes)");
        }
        sweep();
        String id = archive.key().substring("archive ".length());
        Durable.writeAtomic(dir, fileName(sessionId, id), data);
        return new Staged(id, data.length, archive.mediaType());
    }

    @Override
    public Optional<byte[]> read(String sessionId, String id) {
        if (!SHA256.matcher(id).matches()) {
            throw new WorkspaceException(Code.INVALID_ARGUMENT, "staged archive id must be the 64 hex digits "
                    + "StageArchive returned, got '" + (id.length() > 80 ? id.substring(0, 80) + "…" : id) + "'");
        }
        try {
            return Optional.of(Files.readAllBytes(dir.resolve(fileName(sessionId, id))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new WorkspaceException(Code.FAILED, "cannot read the staged archive: " + e.getMessage());
        }
    }

    @Override
    public void delete(String sessionId, String id) {
        try {
            Files.deleteIfExists(dir.resolve(fileName(sessionId, id)));
        } catch (IOException e) {
            LOG.warnf("cannot delete staged archive of session %s: %s", sessionId, e.getMessage());
        }
    }

    @Override
    public void closeSession(String sessionId) {
        String prefix = sanitize(sessionId) + "--";
        // exactly <session>--<64 hex>: session "a" must not match the archives of session "a--b"
        forEach(p -> p.getFileName().toString().startsWith(prefix)
                && SHA256.matcher(p.getFileName().toString().substring(prefix.length())).matches(),
                p -> Files.deleteIfExists(p));
    }

    private void sweep() {
        FileTime oldest = FileTime.from(clock.instant().minus(ttl));
        forEach(p -> true, p -> {
            if (Files.getLastModifiedTime(p).compareTo(oldest) < 0) {
                Files.deleteIfExists(p);
                LOG.infof("dropped staged archive %s: older than %s (codetether.tools.archive.staged-ttl)",
                        p.getFileName(), ttl);
            }
        });
    }

    private interface PathAction {
        void apply(Path p) throws IOException;
    }

    private void forEach(java.util.function.Predicate<Path> which, PathAction action) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (!p.getFileName().toString().startsWith(".") && which.test(p)) {
                    try {
                        action.apply(p);
                    } catch (NoSuchFileException gone) {
                        // another call removed it first
                    }
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot clean staged archives in %s: %s", dir, e.getMessage());
        }
    }

    private static String fileName(String sessionId, String id) {
        return sanitize(sessionId) + "--" + id;
    }

    /** The session id as the state directories spell it (':' is not portable in file names). */
    private static String sanitize(String sessionId) {
        return sessionId.replace(':', '_');
    }
}
