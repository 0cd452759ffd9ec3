package run.codetether.tools.domain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;
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
 */
public final class StartMarkingResultStore implements ResultStore {
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
        return delegate.computeOnce(sessionId, callId, true, () -> {
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
