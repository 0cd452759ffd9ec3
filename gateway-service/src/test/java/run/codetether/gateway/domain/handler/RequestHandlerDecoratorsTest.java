package run.codetether.gateway.domain.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import run.codetether.gateway.domain.TenantBinding;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;

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
            new RequestGuard(false, new ApiKeys(List.of("alice:alice-secret-1", "bob:bob-secret-2")), null,
                    new RateLimiter(1, 2, now::get),
                    new TenantBinding(List.of(), Map.of("alice", List.of("acme", "globex")))));

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

    @Test
    void aTenantTheKeyIsNotBoundToNeverReachesTheCoreOnAnyOperation() {
        CallContext alice = CallContext.of("Bearer alice-secret-1", null, "127.0.0.1");
        List<CompletableFuture<?>> refused = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            now.addAndGet(10_000_000_000L); // a fresh token each time: the tenant check decides
            refused.add(switch (i) {
                case 0 -> handler.sendMessage(send(null, "initech"), alice);
                case 1 -> handler.sendStreamingMessage(send(null, "initech"), alice, null);
                case 2 -> handler.getTask(new TaskQuery("t", null, "initech"), alice);
                case 3 -> handler.listTasks(new ListQuery("initech", null, null, 10, null, 0, null, false), alice);
                case 4 -> handler.cancelTask(new TaskRef("t", null), alice.withTenant("initech"));
                default -> handler.subscribeToTask(new TaskRef("t", "initech"), alice, null);
            });
        }
        for (CompletableFuture<?> f : refused) {
            A2AException e = failure(f);
            assertEquals(A2AError.PERMISSION_DENIED, e.error());
            assertEquals("client 'alice' is not bound to tenant 'initech' (it may use tenants acme, globex)",
                    e.getMessage());
        }
        now.addAndGet(10_000_000_000L);
        assertEquals(A2AError.PERMISSION_DENIED, failure(handler.getTask(new TaskQuery("t", null, "acme"),
                CallContext.of(null, "bob-secret-2", "127.0.0.1"))).error(), "a key without an entry: default only");
        assertEquals(List.of(), core.calls);
    }

    @Test
    void aNewTaskWithoutATenantGoesToTheKeysDefaultTenantAndReadsAndFollowUpsKeepNone() {
        CallContext alice = CallContext.of("Bearer alice-secret-1", null, "127.0.0.1");
        handler.sendMessage(send(null, null), alice).join();
        handler.sendMessage(send("task-1", null), alice).join();
        now.addAndGet(10_000_000_000L);
        handler.getTask(new TaskQuery("t", null, null), alice).join();
        handler.sendMessage(send(null, "globex"), alice).join();
        now.addAndGet(10_000_000_000L);
        handler.sendMessage(send(null, null), CallContext.of(null, "bob-secret-2", "127.0.0.1")).join();
        assertEquals("acme", ((SendRequest) core.calls.get(0).params()).tenant(), "alice's first tenant");
        assertNull(((SendRequest) core.calls.get(1).params()).tenant(), "a follow-up stays in its task's tenant");
        assertNull(((TaskQuery) core.calls.get(2).params()).tenant(), "a read without one sees all alice's tenants");
        assertEquals("globex", ((SendRequest) core.calls.get(3).params()).tenant());
        assertNull(((SendRequest) core.calls.get(4).params()).tenant(), "bob: tenant default, none on the wire");
    }

    private static SendRequest send(String taskId, String tenant) {
        return new SendRequest(new Message("m-1", Role.USER, List.of(Part.Text.of("hi")), null, taskId, null, null,
                Map.of()), tenant, null, true, List.of(), null, Map.of());
    }
}
