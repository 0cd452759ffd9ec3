package run.codetether.gateway.domain.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Task;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.ApiKeys;
import run.codetether.gateway.domain.ListQuery;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.RateLimiter;
import run.codetether.gateway.domain.SendRequest;
import run.codetether.gateway.domain.TaskPage;

/** The decorators around the request handler, without a server: what reaches the core, and what never does. */
class RequestHandlerDecoratorsTest {
    record Call(String op, Object params, CallContext context) {}

    /** Records every call that reaches it and answers nothing in particular. */
    static final class Recording implements A2ARequestHandler {
        final List<Call> calls = new ArrayList<>();

        private <T> CompletableFuture<T> record(String op, Object params, CallContext c) {
            calls.add(new Call(op, params, c));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Task> sendMessage(SendRequest p, CallContext c) {
            return record("send", p, c);
        }

        @Override
        public CompletableFuture<Void> sendStreamingMessage(SendRequest p, CallContext c, StreamSink sink) {
            return record("stream", p, c);
        }

        @Override
        public CompletableFuture<Task> getTask(TaskQuery p, CallContext c) {
            return record("get", p, c);
        }

        @Override
        public CompletableFuture<TaskPage> listTasks(ListQuery p, CallContext c) {
            return record("list", p, c);
        }

        @Override
        public CompletableFuture<Task> cancelTask(TaskRef p, CallContext c) {
            return record("cancel", p, c);
        }

        @Override
        public CompletableFuture<Void> subscribeToTask(TaskRef p, CallContext c, StreamSink sink) {
            return record("subscribe", p, c);
        }

        @Override
        public CompletableFuture<PushConfig> createTaskPushNotificationConfig(NewPushConfig p, CallContext c) {
            return record("pushCreate", p, c);
        }

        @Override
        public CompletableFuture<PushConfig> getTaskPushNotificationConfig(PushConfigRef p, CallContext c) {
            return record("pushGet", p, c);
        }

        @Override
        public CompletableFuture<List<PushConfig>> listTaskPushNotificationConfigs(TaskRef p, CallContext c) {
            return record("pushList", p, c);
        }

        @Override
        public CompletableFuture<Void> deleteTaskPushNotificationConfig(PushConfigRef p, CallContext c) {
            return record("pushDelete", p, c);
        }

        @Override
        public CompletableFuture<AgentCard> getExtendedAgentCard(CallContext c) {
            return record("card", null, c);
        }
    }

    final AtomicLong now = new AtomicLong();
    final Recording core = new Recording();
    final A2ARequestHandler handler = new AdmissionRequestHandlerDecorator(new TenantRequestHandlerDecorator(core),
            new RequestGuard(false, new ApiKeys(List.of("alice:alice-secret-1")), new RateLimiter(1, 2, now::get)));

    static A2AException failure(CompletableFuture<?> f) {
        try {
            f.join();
        } catch (CompletionException e) {
            return assertInstanceOf(A2AException.class, e.getCause());
        }
        throw new AssertionError("the call was not refused");
    }

    @Test
    void theCoreSeesTheAdmittedCallerAndNeverTheCredentials() {
        handler.getTask(new TaskQuery("t-1", null, null), CallContext.of("Bearer alice-secret-1", null, "127.0.0.1"))
                .join();
        CallContext seen = core.calls.get(0).context();
        assertEquals("alice", seen.caller().clientId());
        assertNull(seen.authorization());
        assertNull(seen.apiKey());
        assertTrue(!seen.toString().contains("alice-secret-1"));
    }

    @Test
    void anUnknownOrMissingKeyNeverReachesTheCoreOnAnyOperation() {
        CallContext anonymous = CallContext.of(null, null, "127.0.0.1");
        List<CompletableFuture<?>> refused = List.of(
                handler.getTask(new TaskQuery("t", null, null), anonymous),
                handler.cancelTask(new TaskRef("t", null), anonymous),
                handler.subscribeToTask(new TaskRef("t", null), anonymous, null),
                handler.listTaskPushNotificationConfigs(new TaskRef("t", null), anonymous),
                handler.getExtendedAgentCard(CallContext.of("Bearer wrong-secret", null, "127.0.0.1")));
        refused.forEach(f -> assertEquals(A2AError.UNAUTHENTICATED, failure(f).error()));
        assertEquals(List.of(), core.calls);
    }

    @Test
    void overTheRateLimitTheCallIsRefusedWithARetryDelay() {
        CallContext alice = CallContext.of(null, "alice-secret-1", "127.0.0.1");
        handler.getTask(new TaskQuery("t", null, null), alice).join();
        handler.getTask(new TaskQuery("t", null, null), alice).join();
        A2AException limited = failure(handler.getTask(new TaskQuery("t", null, null), alice));
        assertEquals(A2AError.RATE_LIMITED, limited.error());
        assertEquals(1, limited.retryAfterSeconds());
        assertEquals(2, core.calls.size());
    }

    @Test
    void aTenantFromOutsideTheParamsReachesEveryOperationAndAConflictIsRefused() {
        CallContext acme = CallContext.of("Bearer alice-secret-1", null, "127.0.0.1").withTenant("acme");
        now.addAndGet(10_000_000_000L);
        handler.cancelTask(new TaskRef("t", null), acme).join();
        handler.getTaskPushNotificationConfig(new PushConfigRef("t", "c", "acme"), acme).join();
        assertEquals("acme", ((TaskRef) core.calls.get(0).params()).tenant());
        assertEquals("acme", ((PushConfigRef) core.calls.get(1).params()).tenant());
        now.addAndGet(10_000_000_000L); // admission comes first: a fresh token, so the tenant check decides
        A2AException conflict = failure(handler.getTask(new TaskQuery("t", null, "other"), acme));
        assertEquals(A2AError.INVALID_PARAMS, conflict.error());
        assertEquals("tenant other in the request does not match the path's acme", conflict.getMessage());
        assertEquals(2, core.calls.size());
    }
}
