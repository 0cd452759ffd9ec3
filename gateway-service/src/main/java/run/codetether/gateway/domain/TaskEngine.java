package run.codetether.gateway.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskControl;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.events.TaskEvent;

/**
 * The A2A task use cases, version- and binding-neutral. State lives in the log: accepting a message appends the
 * task's "submitted" status carrying the user's message to the events topic (so every replica folds the same task),
 * then asks a worker for it. The engine never holds a task only in memory.
 */
public final class TaskEngine {
    /** Written as workerId on the events the gateway itself appends. */
    public static final String GATEWAY_WORKER = "gateway";

    private final TaskLog log;
    private final TaskView view;
    private final String instanceId;
    /** Default size cap of one ListTasks page (estimated, see {@link TaskSize}). */
    public static final long DEFAULT_MAX_PAGE_BYTES = TaskListing.DEFAULT_MAX_PAGE_BYTES;

    private final Supplier<String> ids;
    private final TaskListing listing;
    private final WorkspaceUploads uploads;
    private final boolean acceptInOneRecord;

    public TaskEngine(TaskLog log, TaskView view, String instanceId) {
        this(log, view, instanceId, TaskIds.SHARED::next);
    }

    public TaskEngine(TaskLog log, TaskView view, String instanceId, Supplier<String> ids) {
        this(log, view, instanceId, ids, DEFAULT_MAX_PAGE_BYTES);
    }

    /** @param maxPageBytes a ListTasks page ends before it grows past this (it holds at least one task) */
    public TaskEngine(TaskLog log, TaskView view, String instanceId, Supplier<String> ids, long maxPageBytes) {
        this(log, view, instanceId, ids, maxPageBytes, ResponseLimits.DEFAULTS);
    }

    /** @param responses what one listed task may carry (history, artifacts, size) */
    public TaskEngine(TaskLog log, TaskView view, String instanceId, Supplier<String> ids, long maxPageBytes,
            ResponseLimits responses) {
        this(log, view, instanceId, ids, maxPageBytes, responses, WorkspaceUploads.NONE);
    }

    /** @param uploads where a message's workspace archive is staged before its task is requested */
    public TaskEngine(TaskLog log, TaskView view, String instanceId, Supplier<String> ids, long maxPageBytes,
            ResponseLimits responses, WorkspaceUploads uploads) {
        this(log, view, instanceId, ids, maxPageBytes, responses, uploads, true);
    }

    /**
     * @param acceptInOneRecord true: an accept is one tasks.events record, the submitted status carrying the user's
     *     message; false: the two records of the releases before it (a start's submitted status then its message, a
     *     reply's message then its status), which older gateways read whole; set during a roll from such a release
     *     (docs/operations.md "Upgrades"). Reading takes both shapes either way.
     */
    public TaskEngine(TaskLog log, TaskView view, String instanceId, Supplier<String> ids, long maxPageBytes,
            ResponseLimits responses, WorkspaceUploads uploads, boolean acceptInOneRecord) {
        this.acceptInOneRecord = acceptInOneRecord;
        this.uploads = uploads;
        this.log = log;
        this.view = view;
        this.instanceId = instanceId;
        this.ids = ids;
        this.listing = new TaskListing(view, maxPageBytes, responses);
    }

    public TaskView view() {
        return view;
    }

    /**
     * The task as the client first sees it, and the log offset of the last event the gateway appended for it:
     * a stream skips events at or before that offset, which the initial task already contains.
     */
    public record Accepted(Task task, long offset) {}

    /**
     * Accepts a message: a new task, or the continuation of one that waits for input. When {@code listener} is
     * given it is subscribed to the task before anything is published, so it misses no event; the caller
     * unsubscribes it.
     */
    public CompletableFuture<Accepted> send(SendRequest request, Caller caller, TaskListener listener) {
        return send(request, caller, listener, taskId -> CompletableFuture.completedFuture(null));
    }

    /**
     * As {@link #send(SendRequest, Caller, TaskListener)}, running {@code beforeWork} with the task's id once the
     * task exists and before any worker is asked for it: what must see every event of the task (a push config
     * given with the message) is in place before the first one can happen.
     */
    public CompletableFuture<Accepted> send(SendRequest request, Caller caller, TaskListener listener,
            Function<String, CompletableFuture<?>> beforeWork) {
        Message message = request.message();
        if (message.role() != Role.USER) {
            throw A2AException.invalidParams("message.role must be user: clients send user messages");
        }
        if (message.parts().isEmpty()) {
            throw A2AException.invalidParams("message.parts must not be empty");
        }
        // a malformed workspace is refused before anything is logged
        WorkspaceParams.Parsed workspace = WorkspaceParams.parse(message);
        int archive = workspace == null ? -1 : workspace.archivePart();
        ContentTypes.checkInput(message, archive);
        ContentTypes.checkOutput(request.acceptedOutputModes());
        Routing routing = Routing.of(message, request.metadata());
        boolean resume = request.continuesTask();
        if (resume && archive >= 0) {
            throw A2AException.invalidParams("message.parts[" + archive + "] is a workspace archive, but the message "
                    + "continues task " + message.taskId() + ", which works on its workspace as it is; an archive "
                    + "starts a new task");
        }
        uploads.check(message, archive);
        return resume ? resume(request, caller, listener, beforeWork)
                : start(request, caller, listener, routing, beforeWork, workspace);
    }

    private CompletableFuture<Accepted> start(SendRequest request, Caller caller, TaskListener listener,
            Routing routing, Function<String, CompletableFuture<?>> beforeWork, WorkspaceParams.Parsed workspace) {
        Message in = request.message();
        String taskId = ids.get();
        String contextId = in.contextId() == null || in.contextId().isBlank() ? ids.get() : in.contextId();
        Message given = new Message(in.messageId(), in.role(), in.parts(), contextId, taskId, in.referenceTaskIds(),
                in.extensions(), in.metadata());
        // the archive goes to tools-service first (under the context's id, the agent's workspace session), so the
        // task's records carry only its staged id
        return uploads.stage(contextId, given, workspace == null ? -1 : workspace.archivePart())
                .thenCompose(staged -> start(request, caller, listener, routing, beforeWork, staged.message(),
                        WorkspaceParams.of(workspace, staged.staged())));
    }

    private CompletableFuture<Accepted> start(SendRequest request, Caller caller, TaskListener listener,
            Routing routing, Function<String, CompletableFuture<?>> beforeWork, Message message,
            run.codetether.contracts.events.TaskWorkspace workspace) {
        String taskId = message.taskId();
        String contextId = message.contextId();
        Task.Submission submission = new Task.Submission(caller.clientId(),
                request.tenant() == null || request.tenant().isEmpty() ? null : request.tenant(), routing.skill());
        Instant now = Instant.now();
        // the submitted status and the user's message in one record (issue 18): one write, one read per reader
        TaskEvent.StatusChanged submitted = TaskEvent.StatusChanged.submitted(taskId, contextId, GATEWAY_WORKER, submission,
                message, now);
        Task initial = TaskFold.apply(null, submitted);
        if (listener != null) {
            view.subscribeNew(taskId, listener); // the id was made here and nothing is written yet
        }
        TaskCommand.StartTask command = new TaskCommand.StartTask(taskId, contextId, request.tenant(), message,
                routing.provider(), routing.model(), routing.skill(), null, routing.isSwarm() ? taskId : null, null,
                workspace, request.metadata(), now);
        List<TaskEvent> events = written(submitted);
        // what must see every event of the task (a push config) is in place first; then the task's events and
        // its work request go out together and are awaited together: one round trip to Kafka, not two in a row
        return beforeWork.apply(taskId)
                .thenCompose(v -> routing.isSwarm()
                        ? swarmWrites(taskId, events, () -> log.requestSwarm(SwarmJobs.from(command, routing)))
                        : log.accept(taskId, events, command))
                .thenApply(offsets -> {
                    // read-your-writes: this replica knows the task as soon as the log has it, without waiting
                    // for its own reader; the reader later skips these offsets
                    for (int i = 0; i < events.size(); i++) {
                        view.apply(events.get(i), offsets.get(i), vt -> log.recordState(vt.task(), vt.offset()));
                    }
                    return new Accepted(initial, offsets.get(offsets.size() - 1));
                })
                .whenComplete((ok, err) -> {
                    if (err != null) {
                        if (listener != null) {
                            view.unsubscribe(taskId, listener);
                        }
                        // either write may have landed (or may still land): the task is ended so that it neither
                        // sits SUBMITTED forever nor runs for a client that was told to retry
                        UnconfirmedStart.reject(log, GATEWAY_WORKER, submission, taskId, contextId, err);
                    }
                });
    }

    /** A swarm's accept: as {@link TaskLog#accept}, with the swarm job for swarm-service as its work request. */
    private CompletableFuture<List<Long>> swarmWrites(String taskId, List<TaskEvent> events,
            Supplier<CompletableFuture<Void>> work) {
        CompletableFuture<List<Long>> logged = log.appendEvents(taskId, events);
        if (logged.isCompletedExceptionally()) {
            return logged;
        }
        CompletableFuture<Void> requested = work.get();
        return logged.thenCombine(requested, (offsets, v) -> offsets);
    }

    /**
     * The records an accept writes: itself, or, while older gateways may read the log, the two records it stands
     * for ({@link TaskEvent.StatusChanged#acceptedApart}: what those releases wrote, byte for byte), since an older
     * gateway ignores the {@code accepted} field and would fold the task without the user's message.
     */
    private List<TaskEvent> written(TaskEvent.StatusChanged accept) {
        return acceptInOneRecord ? List.of(accept) : accept.acceptedApart();
    }

    private CompletableFuture<Accepted> resume(SendRequest request, Caller caller, TaskListener listener,
            Function<String, CompletableFuture<?>> beforeWork) {
        Message in = request.message();
        Task task = visibleTask(in.taskId(), caller, request.tenant());
        if (in.contextId() != null && !in.contextId().isBlank() && !in.contextId().equals(task.contextId())) {
            throw A2AException.invalidParams("message.contextId " + in.contextId() + " does not match task "
                    + task.id() + " (context " + task.contextId() + ")");
        }
        TaskState state = task.status().state();
        if (state.isTerminal()) {
            throw new A2AException(A2AError.UNSUPPORTED_OPERATION,
                    "Task " + task.id() + " is " + state.name().toLowerCase() + " and accepts no more messages",
                    Map.of("taskId", task.id()));
        }
        if (!state.isInterrupted()) {
            throw new A2AException(A2AError.UNSUPPORTED_OPERATION, "Task " + task.id() + " is "
                    + state.name().toLowerCase() + "; a follow-up message is accepted once it asks for input",
                    Map.of("taskId", task.id()));
        }
        Message message = new Message(in.messageId(), in.role(), in.parts(), task.contextId(), task.id(),
                in.referenceTaskIds(), in.extensions(), in.metadata());
        Instant now = Instant.now();
        // the reply and the status it moves the task to, in one record (issue 18)
        TaskEvent.StatusChanged resubmitted = TaskEvent.StatusChanged.submitted(task.id(), task.contextId(), GATEWAY_WORKER, null,
                message, now);
        Task next = TaskFold.apply(task, resubmitted);
        if (listener != null) {
            view.subscribe(task.id(), listener);
        }
        TaskCommand.ContinueTask command = new TaskCommand.ContinueTask(task.id(), task.contextId(), message, now);
        // like a start: the events and the work request go out together and are awaited together (issue 18)
        return beforeWork.apply(task.id())
                .thenCompose(v -> log.accept(task.id(), written(resubmitted), command))
                .thenApply(offsets -> new Accepted(next, offsets.get(offsets.size() - 1)))
                .whenComplete((ok, err) -> {
                    if (err != null) {
                        if (listener != null) {
                            view.unsubscribe(task.id(), listener);
                        }
                        // the events may have landed without the request: the task would sit SUBMITTED with a
                        // message its agent never gets; it goes back to waiting for input, and the client, told
                        // to retry, sends the message again
                        UnconfirmedStart.restore(log, GATEWAY_WORKER, task, message.messageId(), err);
                    }
                });
    }

    /**
     * Blocking send (spec 3.2.2): completes with the task once it reaches a terminal or interrupted state, or with
     * the task as it stands after {@code maxWait} (then still in progress; the client polls or subscribes).
     */
    public CompletableFuture<Task> sendAndWait(SendRequest request, Caller caller, Duration maxWait) {
        FinalState waiter = new FinalState();
        return send(request, caller, waiter).thenCompose(accepted -> awaitFinal(accepted, waiter, maxWait));
    }

    /**
     * Completes with the task once {@code waiter} (given to {@link #send} for it) saw it terminal or interrupted, or
     * with the task as it stands after {@code maxWait}; unsubscribes the waiter either way.
     */
    public CompletableFuture<Task> awaitFinal(Accepted accepted, FinalState waiter, Duration maxWait) {
        String taskId = accepted.task().id();
        return waiter.done().completeOnTimeout(null, maxWait.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(t -> t != null ? t : view.get(taskId).orElse(accepted.task()))
                .whenComplete((t, e) -> view.unsubscribe(taskId, waiter));
    }

    public Task get(String taskId, Caller caller, String tenant) {
        return visibleTask(taskId, caller, tenant);
    }

    /**
     * Cancels a task: every worker hears the signal on tasks.control, and the gateway records the canceled state
     * itself so the answer does not depend on a worker being alive; a worker's later "completed" is dropped.
     */
    public CompletableFuture<Task> cancel(String taskId, Caller caller, String tenant, String reason) {
        Task task = visibleTask(taskId, caller, tenant);
        if (task.status().state().isTerminal()) {
            throw new A2AException(A2AError.TASK_NOT_CANCELABLE, "Task " + taskId + " is already "
                    + task.status().state().name().toLowerCase(), Map.of("taskId", taskId));
        }
        Instant now = Instant.now();
        TaskEvent canceled = new TaskEvent.StatusChanged(taskId, task.contextId(), GATEWAY_WORKER,
                new TaskStatus(TaskState.CANCELED, null, now), Map.of(MetadataKeys.REASON, reason == null ? "client" : reason),
                now);
        CompletableFuture<Void> signal = log.control(new TaskControl.CancelTask(taskId, task.contextId(), reason, now));
        if (task.submission() != null && Routing.SWARM.equals(task.submission().skill())) {
            // the swarm coordinator stops dispatching; its running subtasks hear the CancelTask it sends for each
            signal = signal.thenCompose(v -> log.requestSwarm(new SwarmCommand.CancelSwarm(taskId, reason, now)));
        }
        return signal
                .thenCompose(v -> log.appendEvents(taskId, List.of(canceled)))
                .thenCompose(offsets -> folded(taskId, offsets.get(0)))
                .thenApply(v -> TaskFold.apply(task, canceled));
    }

    /** Longest a cancel waits for this replica to fold its own event before answering. */
    static final Duration FOLD_WAIT = Duration.ofSeconds(5);

    /**
     * Completes once this replica's view has folded the task up to {@code offset} (read-your-writes: a GetTask
     * right after CancelTask sees the cancel), or after {@link #FOLD_WAIT}. The view is not updated here
     * directly: a worker's event that precedes ours in the log must be folded first, or replicas would differ.
     */
    private CompletableFuture<Void> folded(String taskId, long offset) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        TaskListener waiter = (event, after, at) -> {
            if (at >= offset) {
                done.completeAsync(() -> null, FinalState.CONTINUE); // never on the reader thread (FinalState)
            }
        };
        TaskView.Versioned now = view.subscribe(taskId, waiter);
        if (now.task() != null && now.offset() >= offset) {
            done.complete(null);
        }
        return done.completeOnTimeout(null, FOLD_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((v, e) -> view.unsubscribe(taskId, waiter));
    }

    /**
     * Subscribes to a live task. Returns the task as of the subscription; the listener gets every later event.
     * A terminal task cannot be subscribed to (spec 3.1.6: UnsupportedOperation).
     */
    public TaskView.Versioned subscribeVersioned(String taskId, Caller caller, String tenant, TaskListener listener) {
        TaskView.Versioned snapshot = view.subscribe(taskId, listener);
        Task task = snapshot.task();
        A2AException refusal = null;
        if (task == null || !Tasks.visible(task, caller, tenant)) {
            refusal = A2AException.taskNotFound(taskId);
        } else if (task.status().state().isTerminal()) {
            refusal = new A2AException(A2AError.UNSUPPORTED_OPERATION, "Task " + taskId + " is "
                    + task.status().state().name().toLowerCase() + "; a finished task has no updates to stream",
                    Map.of("taskId", taskId));
        }
        if (refusal != null) {
            view.unsubscribe(taskId, listener);
            throw refusal;
        }
        return snapshot;
    }

    public void unsubscribe(String taskId, TaskListener listener) {
        view.unsubscribe(taskId, listener);
    }

    /** ListTasks (spec 3.1.4): see {@link TaskListing#list}. */
    public TaskPage list(ListQuery q, Caller caller) {
        return listing.list(q, caller);
    }

    private Task visibleTask(String taskId, Caller caller, String tenant) {
        if (taskId == null || taskId.isBlank()) {
            throw A2AException.invalidParams("task id is required");
        }
        return view.get(taskId).filter(t -> Tasks.visible(t, caller, tenant))
                .orElseThrow(() -> A2AException.taskNotFound(taskId));
    }

    /** Unwraps the A2A error a future failed with. */
    public static Throwable cause(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
