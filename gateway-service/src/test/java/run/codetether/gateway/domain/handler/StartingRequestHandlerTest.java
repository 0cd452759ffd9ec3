package run.codetether.gateway.domain.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;

class StartingRequestHandlerTest {
    private final List<String> called = new CopyOnWriteArrayList<>();
    /** Answers every operation with a completed future and notes its name. */
    private final A2ARequestHandler core = (A2ARequestHandler) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {A2ARequestHandler.class}, (p, m, args) -> {
                called.add(m.getName());
                return CompletableFuture.completedFuture(null);
            });

    @Test
    void refusesRetryablyWithTheStartsReasonUntilTheCoreIsThereThenForwards() throws Exception {
        AtomicReference<A2ARequestHandler> ready = new AtomicReference<>();
        var h = new StartingRequestHandler(ready::get, () -> "starting since 10:00:00Z", 2);
        CallContext ctx = CallContext.of(null, null, "127.0.0.1");

        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> h.getTask(new TaskQuery("t1", null, null), ctx).get());
        A2AException refusal = assertInstanceOf(A2AException.class, e.getCause());
        assertEquals(A2AError.UNAVAILABLE, refusal.error());
        assertEquals(2, refusal.retryAfterSeconds());
        assertTrue(refusal.getMessage().contains("starting since 10:00:00Z"), refusal.getMessage());
        assertTrue(h.cancelTask(new TaskRef("t1", null), ctx).isCompletedExceptionally());
        assertTrue(h.getExtendedAgentCard(ctx).isCompletedExceptionally());
        assertTrue(called.isEmpty(), "the core was called before it was there: " + called);

        ready.set(core);
        h.getTask(new TaskQuery("t1", null, null), ctx).get();
        ready.set(null); // once there, it stays: the start does not go back
        h.cancelTask(new TaskRef("t1", null), ctx).get();
        assertEquals(List.of("getTask", "cancelTask"), called);
    }
}
