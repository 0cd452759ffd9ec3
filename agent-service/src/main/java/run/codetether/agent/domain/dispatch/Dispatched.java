package run.codetether.agent.domain.dispatch;

import java.util.List;
import java.util.Map;
import run.codetether.agent.domain.model.ImagePart;

/** What became of one dispatched call. Closed set. */
public sealed interface Dispatched {

    /**
     * The result the model reads next.
     *
     * @param replayable a lost save of this result is harmless: the same call id run again returns the same result
     *     without doing it twice (tools-service's idempotency store), so it is saved without waiting; otherwise
     *     the result carries session state (todos, a sub-agent's answer) and is saved before the next call runs
     * @param images images the tool returned, for a vision model ({@code content} names each one for any other)
     */
    record Answered(String content, boolean error, boolean replayable, List<ImagePart> images) implements Dispatched {
        public Answered {
            content = content == null ? "" : content;
            images = images == null ? List.of() : List.copyOf(images);
        }

        public Answered(String content, boolean error, boolean replayable) {
            this(content, error, replayable, List.of());
        }

        /** A result of the agent's own state: saved before anything else happens. */
        public static Answered inSession(String content, boolean error) {
            return new Answered(content, error, false);
        }
    }

    /**
     * The run now waits for the user: the task goes to input-required with {@code question} as its status message
     * and the call stays open until the next message answers it.
     */
    record AwaitingInput(String question, Map<String, Object> details) implements Dispatched {
        public AwaitingInput {
            details = details == null ? Map.of() : Map.copyOf(details);
        }
    }
}
