package run.codetether.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;

/**
 * What a worker reports about a task, published on {@link Topics#TASKS_EVENTS} keyed by taskId so that one task's
 * events stay in order. The gateway folds them into task state and streams them to A2A clients.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TaskEvent.StatusChanged.class, name = "status_changed"),
    @JsonSubTypes.Type(value = TaskEvent.ArtifactAdded.class, name = "artifact_added"),
    @JsonSubTypes.Type(value = TaskEvent.MessageAdded.class, name = "message_added")
})
public sealed interface TaskEvent {

    String taskId();

    String contextId();

    /** Which worker instance produced the event (for tracing and the dashboard). */
    String workerId();

    Instant at();

    /**
     * This event as the events it stands for, in order: a final status that closes an artifact
     * ({@link StatusChanged#closedArtifact()}) is that artifact event, then the status; the gateway's accept
     * ({@link StatusChanged#accepted}) is its status and the user's message ({@link StatusChanged#acceptedApart()});
     * any other event is itself.
     * For readers that handle artifacts and statuses apart (a swarm's reports, a timeline).
     */
    default List<TaskEvent> unfolded() {
        if (this instanceof StatusChanged s && s.finishes() != null) {
            return List.of(s.closedArtifact().orElseThrow(), s);
        }
        if (this instanceof StatusChanged s && s.accepted() != null) {
            return s.acceptedApart();
        }
        return List.of(this);
    }

    /**
     * A streamed update that a later one supersedes: a partial status (a running tool's output) or a chunk of an
     * answer still streaming ({@link ArtifactAdded#streamed()}). Readers that keep only finished state (the
     * {@code tasks.state} writer, history) may skip it; a stream relays it. Not a bean getter on purpose: it is
     * derived, never on the wire.
     */
    default boolean partialUpdate() {
        return switch (this) {
            case StatusChanged s -> s.progress().partial();
            case ArtifactAdded a -> a.streamed();
            case MessageAdded m -> false;
        };
    }

    /**
     * The task moved to a new status (or stayed in working with a progress message).
     *
     * @param progress typed progress the platform reads (step, tool, partial text, usage); never null
     * @param details further progress details shown to A2A clients (swarm subtasks, Ralph stories, ...), keys from
     *     {@link run.codetether.contracts.a2a.MetadataKeys}; never a secret. On the wire: {@code metadata}.
     * @param submission set only on a task's first status (the gateway's "submitted"): who submitted it, how it runs
     * @param finishes set only on a final status: the answer artifact it finishes ({@link #closedArtifact()}), sent
     *     here instead of as a closing chunk of its own (issue 18: one record less per task); with
     *     {@link ArtifactClose#asMessage} the status's message is that artifact's text, sent without it
     *     ({@link #shownStatus})
     * @param accepted set only on the gateway's submitted status: the user's message it accepts (a new task's first
     *     message, or the reply to a task that asked for input), which goes into the task's history as a
     *     {@link MessageAdded} of it would ({@link #acceptedApart()}); sent here instead of as a record of its own
     *     (issue 18: the accept is one record)
     */
    record StatusChanged(
            String taskId,
            String contextId,
            String workerId,
            TaskStatus status,
            Progress progress,
            @JsonProperty("metadata") Map<String, Object> details,
            Task.Submission submission,
            Instant at,
            ArtifactClose finishes,
            Message accepted)
            implements TaskEvent {
        public StatusChanged {
            Required.text(taskId, "taskId");
            Required.text(contextId, "contextId");
            Required.value(status, "status");
            progress = progress == null ? Progress.NONE : progress;
            details = details == null ? Map.of() : Map.copyOf(details);
            at = at == null ? Instant.now() : at;
            if (finishes != null && !(status.state().isTerminal() || status.state().isInterrupted())) {
                throw new IllegalArgumentException("only a final status closes an artifact, not " + status.state());
            }
            if (finishes != null && finishes.asMessage() && (status.message() == null
                    || status.message().parts().stream().anyMatch(p -> p instanceof Part.Text))) {
                // the text would be on the log twice, or a reader would put it back twice
                throw new IllegalArgumentException("a status whose message is its artifact's text sends a message"
                        + " without text parts");
            }
            if (accepted != null && (status.state() != TaskState.SUBMITTED || accepted.role() != Role.USER)) {
                throw new IllegalArgumentException("only a submitted status accepts a message, and only a user's: not "
                        + status.state() + " with a message of " + accepted.role());
            }
        }

        /** A status that accepts no message. */
        public StatusChanged(String taskId, String contextId, String workerId, TaskStatus status, Progress progress,
                Map<String, Object> details, Task.Submission submission, Instant at, ArtifactClose finishes) {
            this(taskId, contextId, workerId, status, progress, details, submission, at, finishes, null);
        }

        /** A status that closes no artifact. */
        public StatusChanged(String taskId, String contextId, String workerId, TaskStatus status, Progress progress,
                Map<String, Object> details, Task.Submission submission, Instant at) {
            this(taskId, contextId, workerId, status, progress, details, submission, at, null, null);
        }

        /**
         * The gateway's accept in one record: the submitted status and the user's message it accepts
         * ({@link #accepted}).
         *
         * @param submission a new task's submission (its owner is the caller's client id, set for every caller, the
         *     open gateway's anonymous one too), null for the reply to a task that asked for input: it alone tells
         *     the two apart ({@link #acceptedApart()}'s order)
         */
        public static StatusChanged submitted(String taskId, String contextId, String workerId,
                Task.Submission submission, Message accepted, Instant at) {
            Required.value(accepted, "accepted");
            return new StatusChanged(taskId, contextId, workerId, new TaskStatus(TaskState.SUBMITTED, null, at),
                    Progress.NONE, Map.of(), submission, at, null, accepted);
        }

        /**
         * This accept ({@link #accepted}) as the two records it stands for, in the order the gateway wrote them apart:
         * a new task's first status (its {@link #submission} set) then the message (the task exists before anything
         * is added to it); for a task that asked for input, the message then the status it moves the task to. The
         * status is this one without the message. Not a bean getter on purpose: derived, never on the wire.
         */
        public List<TaskEvent> acceptedApart() {
            if (accepted == null) {
                return List.of(this);
            }
            StatusChanged status = new StatusChanged(taskId, contextId, workerId, this.status, progress, details,
                    submission, at, finishes, null);
            MessageAdded message = new MessageAdded(taskId, contextId, workerId, accepted, at);
            return submission != null ? List.of(status, message) : List.of(message, status);
        }

        /** A status whose details are for display only (no typed progress). */
        public StatusChanged(String taskId, String contextId, String workerId, TaskStatus status,
                Map<String, Object> details, Instant at) {
            this(taskId, contextId, workerId, status, Progress.NONE, details, null, at);
        }

        /** A worker's status with typed progress and display details. */
        public StatusChanged(String taskId, String contextId, String workerId, TaskStatus status, Progress progress,
                Map<String, Object> details, Instant at) {
            this(taskId, contextId, workerId, status, progress, details, null, at);
        }

        /**
         * Everything an A2A client sees as this update's metadata: the details, and the typed progress under its
         * {@link run.codetether.contracts.a2a.MetadataKeys} (a typed field wins over a detail of the same key).
         */
        public Map<String, Object> metadata() {
            Map<String, Object> typed = progress.toMetadata();
            if (typed.isEmpty()) {
                return details;
            }
            Map<String, Object> all = new LinkedHashMap<>(details);
            all.putAll(typed);
            return all;
        }

        /**
         * Its message's text is the finished artifact's ({@link ArtifactClose#asMessage}): sent without it, a reader
         * that shows the status puts it back ({@link #shownStatus}). Not a bean getter on purpose: never on the wire.
         */
        public boolean messageInArtifact() {
            return finishes != null && finishes.asMessage();
        }

        /**
         * The status as an A2A client sees it, given the text of the artifact this status finishes (as folded: the
         * streamed chunks and the close's rest): when its message is that text ({@link #messageInArtifact}), the
         * message with the text as its first part; else the status as sent.
         */
        public TaskStatus shownStatus(String finishedText) {
            if (!messageInArtifact()) {
                return status;
            }
            Message m = status.message();
            List<Part> parts = new java.util.ArrayList<>(m.parts().size() + 1);
            parts.add(Part.Text.of(finishedText));
            parts.addAll(m.parts());
            return new TaskStatus(status.state(), new Message(m.messageId(), m.role(), parts, m.contextId(),
                    m.taskId(), m.referenceTaskIds(), m.extensions(), m.metadata()), status.timestamp());
        }

        /**
         * The finished artifact's text when this status holds all of it (nothing streamed before: the close's rest
         * is the whole text), for a reader that keeps no streamed text; empty when it closes streamed chunks or
         * closes nothing.
         */
        public java.util.Optional<String> wholeFinishedText() {
            return finishes != null && finishes.offset() == 0 ? java.util.Optional.of(finishes.rest())
                    : java.util.Optional.empty();
        }

        /** The last event of this task: a terminal or interrupted state. */
        public boolean isFinal() {
            return status.state().isTerminal() || status.state().isInterrupted();
        }

        /**
         * The artifact event this status carries ({@link #finishes}): the closing chunk of what streamed, or the
         * artifact whole when nothing streamed; readers apply it before the status, as if it had come on its own.
         * Not a bean getter on purpose: derived, never on the wire.
         */
        public java.util.Optional<ArtifactAdded> closedArtifact() {
            if (finishes == null) {
                return java.util.Optional.empty();
            }
            if (finishes.offset() > 0) {
                ArtifactAdded chunk = ArtifactAdded.closingChunk(taskId, contextId, workerId, finishes.artifactId(),
                        finishes.name(), finishes.description(), finishes.rest(), finishes.offset());
                return java.util.Optional.of(new ArtifactAdded(taskId, contextId, workerId, chunk.artifact(), true,
                        true, at));
            }
            return java.util.Optional.of(new ArtifactAdded(taskId, contextId, workerId, new Artifact(
                    finishes.artifactId(), finishes.name(), finishes.description(), List.of(Part.Text.of(finishes.rest())),
                    null, null), false, true, at));
        }
    }

    /**
     * An artifact (or a chunk of one, when {@code append} is set) was produced.
     *
     * <p>A streamed answer is one artifact sent in chunks ({@link #textChunk}): the first chunk replaces whatever
     * the artifact held ({@code append=false}), each later one carries only the text that is new since the one
     * before ({@code append=true}), so an answer of n bytes costs O(n) bytes on the log (the whole text so far in
     * every update cost O(n^2)). Chunks carry {@link MetadataKeys#PARTIAL} in the artifact's metadata, the model
     * call's {@link MetadataKeys#STEP} and where the chunk starts ({@link MetadataKeys#TEXT_OFFSET}). The finished
     * artifact has no such mark and {@code lastChunk=true}: when the finished text continues what was streamed it is
     * the closing chunk ({@link #closingChunk}: {@code append=true}, only the text not streamed yet, at its offset),
     * so the answer is on the log once more instead of twice; else it is sent whole ({@code append=false}) and
     * replaces the chunks.
     */
    record ArtifactAdded(
            String taskId,
            String contextId,
            String workerId,
            Artifact artifact,
            boolean append,
            boolean lastChunk,
            Instant at)
            implements TaskEvent {
        public ArtifactAdded {
            Required.text(taskId, "taskId");
            Required.text(contextId, "contextId");
            Required.value(artifact, "artifact");
            at = at == null ? Instant.now() : at;
        }

        /**
         * A chunk of a text artifact that is still streaming.
         *
         * @param offset characters streamed before this chunk: 0 for the first chunk ({@code append=false}, it replaces
         *     the artifact), more for each later one ({@code append=true}, its text follows the text before it)
         * @param step the model call the text belongs to
         */
        public static ArtifactAdded textChunk(String taskId, String contextId, String workerId, String artifactId,
                String name, String text, long offset, int step) {
            if (offset < 0) {
                throw new IllegalArgumentException("a chunk's offset is not negative: " + offset);
            }
            Map<String, Object> metadata = Map.of(MetadataKeys.PARTIAL, true, MetadataKeys.STEP, step,
                    MetadataKeys.TEXT_OFFSET, offset);
            return new ArtifactAdded(taskId, contextId, workerId,
                    new Artifact(artifactId, name, null, List.of(Part.Text.of(text)), null, metadata), offset > 0,
                    false, null);
        }

        /**
         * The finished text artifact that closes a streamed one: its last chunk ({@code append=true},
         * {@code lastChunk=true}, no {@link MetadataKeys#PARTIAL} mark), carrying only the text after the
         * {@code offset} characters already streamed. A reader appends it at that offset and the artifact is then
         * finished, with this chunk's name and description (issue 18: the finished answer is not sent whole again).
         *
         * @param offset characters streamed before (more than 0: with nothing streamed, the artifact is sent whole)
         */
        public static ArtifactAdded closingChunk(String taskId, String contextId, String workerId, String artifactId,
                String name, String description, String rest, long offset) {
            if (offset <= 0) {
                throw new IllegalArgumentException("a closing chunk follows streamed text: offset " + offset);
            }
            return new ArtifactAdded(taskId, contextId, workerId, new Artifact(artifactId, name, description,
                    List.of(Part.Text.of(rest)), null, Map.of(MetadataKeys.TEXT_OFFSET, offset)), true, true, null);
        }

        /**
         * This finishes a streamed artifact ({@link #closingChunk}): a last chunk that appends at an offset and is not
         * itself streaming.
         */
        public boolean closes() {
            return append && lastChunk && !streamed() && textOffset() > 0;
        }

        /**
         * Where this chunk's text starts in the streamed text ({@link MetadataKeys#TEXT_OFFSET}), or -1 when it does
         * not say. A reader that already holds more text than that (a chunk delivered twice, a live item it also
         * read back) places the chunk there instead of appending it again.
         */
        public long textOffset() {
            return textOffset(artifact);
        }

        /** {@link #textOffset()} of an artifact chunk as a client receives it. */
        public static long textOffset(Artifact chunk) {
            return chunk.metadata().get(MetadataKeys.TEXT_OFFSET) instanceof Number n ? n.longValue() : -1;
        }

        /** This is a chunk of an artifact still streaming ({@link #textChunk}), not a finished artifact. */
        public boolean streamed() {
            return isStreaming(artifact);
        }

        /** The artifact (as folded from chunks, or as sent) is text still streaming, superseded by the finished one. */
        public static boolean isStreaming(Artifact artifact) {
            return Boolean.TRUE.equals(artifact.metadata().get(MetadataKeys.PARTIAL));
        }
    }

    /**
     * A message that belongs in the task's history (e.g. a worker's message). The user's message comes with the
     * submitted status that accepts it ({@link StatusChanged#accepted}); logs of earlier releases hold it as one of
     * these, after the task's first status or before a reply's.
     */
    record MessageAdded(String taskId, String contextId, String workerId, Message message, Instant at)
            implements TaskEvent {
        public MessageAdded {
            Required.text(taskId, "taskId");
            Required.text(contextId, "contextId");
            Required.value(message, "message");
            at = at == null ? Instant.now() : at;
        }
    }
}
