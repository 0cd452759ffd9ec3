package run.codetether.gateway.domain.handler;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import run.codetether.contracts.a2a.Task;
import run.codetether.gateway.domain.ListQuery;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.SendRequest;
import run.codetether.gateway.domain.TaskPage;

/**
 * The A2A 1.0 operations, typed: one method per operation of the spec, whatever binding or protocol version the
 * call came in on. Bindings (JSON-RPC, HTTP+JSON, gRPC) and the 0.3 converter only decode their wire into these
 * parameters and encode the results; cross-cutting behaviour (admission, tenant) wraps an implementation as a
 * decorator ({@link ForwardingRequestHandler}).
 *
 * <p>Every method answers through its future: a refusal completes it exceptionally with an
 * {@link run.codetether.gateway.domain.A2AException} (nothing was written), none throws. Tasks come back as the
 * client may see them (internal metadata removed, history trimmed as asked).
 */
public interface A2ARequestHandler {

    /**
     * SendMessage: a new task, or the next message of a task that waits for input. Completes with the task once it
     * is final or interrupted, after the blocking timeout, or at once when {@code returnImmediately}.
     */
    CompletableFuture<Task> sendMessage(SendRequest params, CallContext context);

    /**
     * SendStreamingMessage: accepts the message like {@link #sendMessage}, then streams the task and each later
     * event to {@code sink} until the task is final or interrupted. Completes once the stream started; a refusal
     * completes it exceptionally before the sink got anything.
     */
    CompletableFuture<Void> sendStreamingMessage(SendRequest params, CallContext context, StreamSink sink);

    CompletableFuture<Task> getTask(TaskQuery params, CallContext context);

    /** ListTasks: the caller's tasks, newest status first, one page. */
    CompletableFuture<TaskPage> listTasks(ListQuery params, CallContext context);

    /** CancelTask: answers with the canceled task; a terminal task is TaskNotCancelable. */
    CompletableFuture<Task> cancelTask(TaskRef params, CallContext context);

    /** SubscribeToTask: streams a live task like {@link #sendStreamingMessage}; a terminal one is refused. */
    CompletableFuture<Void> subscribeToTask(TaskRef params, CallContext context, StreamSink sink);

    /** Completes with the stored config (its id assigned when the client gave none, credentials kept write-only). */
    CompletableFuture<PushConfig> createTaskPushNotificationConfig(NewPushConfig params, CallContext context);

    CompletableFuture<PushConfig> getTaskPushNotificationConfig(PushConfigRef params, CallContext context);

    CompletableFuture<List<PushConfig>> listTaskPushNotificationConfigs(TaskRef params, CallContext context);

    CompletableFuture<Void> deleteTaskPushNotificationConfig(PushConfigRef params, CallContext context);

    /** The card an authenticated client gets (skill details, every interface). */
    CompletableFuture<AgentCard> getExtendedAgentCard(CallContext context);
}
