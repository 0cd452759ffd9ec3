package run.codetether.tools.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/** In-process {@link ResultStore}; a concurrent repeat waits for the first call instead of running again. */
final class InMemoryResultStore implements ResultStore {

    private final int maxPerSession;
    private final Map<String, Map<String, CompletableFuture<ToolResult>>> sessions = new ConcurrentHashMap<>();

    InMemoryResultStore(int maxPerSession) {
        this.maxPerSession = maxPerSession;
    }

    @Override
    public Outcome computeOnce(String sessionId, String callId, Supplier<ToolResult> compute) {
        Map<String, CompletableFuture<ToolResult>> calls = sessions.computeIfAbsent(sessionId, k -> bounded());
        CompletableFuture<ToolResult> mine = new CompletableFuture<>();
        CompletableFuture<ToolResult> existing;
        synchronized (calls) {
            existing = calls.putIfAbsent(callId, mine);
        }
        if (existing != null) {
            try {
                return new Outcome(existing.get(), true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ToolException(ToolException.Code.UNAVAILABLE, "interrupted while waiting for call " + callId);
            } catch (ExecutionException e) {
                throw new ToolException(ToolException.Code.UNAVAILABLE, "call " + callId + " failed: " + e.getCause());
            }
        }
        try {
            ToolResult r = compute.get();
            mine.complete(r);
            return new Outcome(r, false);
        } catch (RuntimeException | Error e) {
            // An internal failure is not a result: forget the key so a retry can run.
            synchronized (calls) {
                calls.remove(callId, mine);
            }
            mine.completeExceptionally(e);
            throw e;
        }
    }

    @Override
    public void dropSession(String sessionId) {
        sessions.remove(sessionId);
    }

    private Map<String, CompletableFuture<ToolResult>> bounded() {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<ToolResult>> eldest) {
                return size() > maxPerSession && eldest.getValue().isDone();
            }
        };
    }
}
