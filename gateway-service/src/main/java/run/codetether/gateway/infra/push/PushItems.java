package run.codetether.gateway.infra.push;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.gateway.domain.handler.AnswerTexts;
import run.codetether.gateway.domain.handler.StreamEvent;

/**
 * What the push reader delivers of an event: the stream items a subscriber would get ({@link StreamEvent#items}),
 * without folding. A final status that finishes the answer artifact is two items, the artifact's last chunk first
 * (issue 18), and a completed status's message is the finished answer's text, which the event does not carry: it
 * is put back from the streamed chunks this reader kept ({@link AnswerTexts}) or, when the reader saw only part of
 * them (chunks settled by an earlier reader, skipped while no config existed, behind the committed position), from
 * the gateway's folded task. Reader thread only.
 */
final class PushItems {
    private static final Logger LOG = Logger.getLogger(PushItems.class);

    /** The streamed answers of tasks with a push config: a completed status's message is that text (issue 18). */
    private final AnswerTexts answers = new AnswerTexts(4096, 16L << 20);
    /**
     * The gateway's folded tasks: a completed answer that streamed partly before this reader saw it (chunks settled
     * by an earlier reader, skipped while no config existed, behind the committed position) is taken from there.
     */
    private volatile Function<String, Optional<Task>> foldedTasks = id -> Optional.empty();

    /** Where a finished answer this reader saw only part of is looked up: the gateway's folded task view. */
    void foldedTasks(Function<String, Optional<Task>> lookup) {
        this.foldedTasks = Objects.requireNonNull(lookup, "lookup");
    }

    /** The items to deliver for the event (none for a message: it goes into the history only). */
    List<StreamEvent> of(TaskEvent event) {
        AnswerTexts.Shown shown = answers.apply(event);
        if (shown != null && !shown.complete() && event instanceof TaskEvent.StatusChanged s) {
            shown = whole(s).orElse(shown);
            if (!shown.complete()) {
                LOG.warnf("push: task %s's answer streamed partly before this reader saw it and the folded task does"
                        + " not hold it yet; its final status's message holds only the text after that (GetTask"
                        + " shows it whole)", event.taskId());
            }
        }
        return StreamEvent.items(event, placeholder(event, shown));
    }

    /**
     * The finished answer from the folded task, for a status whose streamed text this reader saw only part of: its
     * status when the fold has it (the fold rebuilds the message whole), else the answer artifact's folded text up
     * to where the status's rest goes. Empty when the fold is behind (or the task is unknown there).
     */
    private Optional<AnswerTexts.Shown> whole(TaskEvent.StatusChanged s) {
        Optional<Task> task;
        try {
            task = foldedTasks.apply(s.taskId());
        } catch (RuntimeException e) {
            LOG.debugf("push: no folded task %s to complete its answer from: %s", s.taskId(), e.toString());
            return Optional.empty();
        }
        if (task.isEmpty()) {
            return Optional.empty();
        }
        Task t = task.get();
        TaskStatus folded = t.status();
        if (folded != null && folded.state() == s.status().state() && folded.message() != null
                && s.status().message() != null
                && Objects.equals(folded.message().messageId(), s.status().message().messageId())) {
            return Optional.of(new AnswerTexts.Shown(folded, true));
        }
        long offset = s.finishes().offset();
        if (t.artifacts() != null) {
            for (Artifact a : t.artifacts()) {
                if (!a.artifactId().equals(s.finishes().artifactId())) {
                    continue;
                }
                StringBuilder text = new StringBuilder();
                a.parts().forEach(p -> {
                    if (p instanceof Part.Text x) {
                        text.append(x.text());
                    }
                });
                if (text.length() >= offset) {
                    return Optional.of(new AnswerTexts.Shown(
                            s.shownStatus(text.substring(0, (int) offset) + s.finishes().rest()), true));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The stream item reads context and status from the folded task; the event carries what it needs, but for the
     * finished answer's text that a completed status's message is ({@link AnswerTexts}).
     */
    private static Task placeholder(TaskEvent event, AnswerTexts.Shown shown) {
        TaskStatus status = shown != null ? shown.status() : TaskStatus.of(TaskState.WORKING);
        return new Task(event.taskId(), event.contextId(), status, null, null, null);
    }
}
