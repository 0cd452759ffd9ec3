package run.codetether.tools.domain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import run.codetether.tools.domain.workspace.Durable;

/**
 * At most once across a restart: before a mutating call runs, a marker {@code <dir>/<session>/<sha256(call id)>}
 * is written durably; a repeat of that call id that finds the marker but no stored result (the process died while
 * the call ran) is answered with a failure saying so, instead of running the call a second time. A repeat that
 * finds the result is answered from it as usual. Read-only calls are not marked: running one again is harmless.
 *
 * <p>Used by a worker (a developer's machine, where {@code kill -9} and laptop lids happen) and by tools-service
 * (issue 19: a pod killed in the middle of a bash call): a command such as a migration or a deploy must not run twice
 * because the process restarted in its middle. The answer is a failure with code {@code INTERRUPTED}
 * ({@link ToolResult#interrupted()}), so a caller can tell it from a result of the tool.
 *
 * <p>A marker lives only while its call runs: once the delegate holds the call's result the marker is deleted (the
 * result answers every repeat), so a long session does not pile up one file per call. A result the delegate later
 * evicts (its per-session bound) then leaves nothing behind: a repeat of such an old call id runs again, as it would
 * without this store.
 */
public final class StartMarkingResultStore implements ResultStore {
    private static final Logger LOG = Logger.getLogger(StartMarkingResultStore.class);
    private final ResultStore delegate;
    private final Path dir;
    private final String process;

    /** A worker's store: the answer names "the worker". */
    public StartMarkingResultStore(ResultStore delegate, Path dir) {
        this(delegate, dir, "the worker");
    }

    /** @param process what restarted, as the answer names it ("tools-service") */
    public StartMarkingResultStore(ResultStore delegate, Path dir, String process) {
        this.delegate = delegate;
        this.dir = dir.toAbsolutePath().normalize();
        this.process = process;
    }

    @Override
    public Outcome computeOnce(String sessionId, String callId, Supplier<ToolResult> compute) {
        return computeOnce(sessionId, callId, true, compute);
    }

    @Override
    public Outcome computeOnce(String sessionId, String callId, boolean mutating, Supplier<ToolResult> compute) {
        if (!mutating) {
            return delegate.computeOnce(sessionId, callId, false, compute);
        }
        Path sessionDir = dir.resolve(sessionId.replace(':', '_'));
        String name = hash(callId) + ".started";
        Outcome outcome = delegate.computeOnce(sessionId, callId, true, () -> {
            if (Files.exists(sessionDir.resolve(name))) {
                return ToolResult.failure(new ToolException(ToolException.Code.INTERRUPTED, "this call started before "
                        + process + " restarted and did not finish; it was not run again (it may have done part of"
                        + " its work: check before repeating it)"));
            }
            try {
                Files.createDirectories(sessionDir);
            } catch (IOException e) {
                throw new ToolException(ToolException.Code.IO_ERROR, "cannot mark the call as started: "
                        + e.getMessage(), e);
            }
            Durable.writeAtomic(sessionDir, name, callId.getBytes(StandardCharsets.UTF_8));
            return compute.get();
        });
        // the delegate has stored the result by now, and a repeat is answered from it before the marker is looked at:
        // the marker has done its work (a crash before this delete leaves a marker the stored result shadows). A call
        // that threw has no result and keeps its marker.
        dropMarker(sessionDir.resolve(name));
        return outcome;
    }

    private static void dropMarker(Path marker) {
        try {
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            // harmless: the stored result answers every repeat; the session's close deletes the directory
            LOG.debugf("cannot delete the start marker %s: %s", marker, e.getMessage());
        }
    }

    @Override
    public void dropSession(String sessionId) {
        delegate.dropSession(sessionId);
        Durable.deleteTree(dir.resolve(sessionId.replace(':', '_')));
    }

    private static String hash(String callId) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    callId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
