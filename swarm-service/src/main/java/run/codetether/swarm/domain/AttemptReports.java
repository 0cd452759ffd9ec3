package run.codetether.swarm.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.events.TaskEvent;

/** What a worker reported for one attempt of a subtask so far; not thread-safe (used under the coordinator's lock). */
final class AttemptReports {
    final List<String> messages = new ArrayList<>();
    final List<String> artifacts = new ArrayList<>();

    /** The streamed text of each artifact still streaming, by artifact id: its closing chunk finishes it. */
    private final Map<String, StringBuilder> streaming = new HashMap<>();

    /**
     * Keeps what may become the attempt's result: the agent's messages and the text of finished artifacts. A
     * streamed chunk is not a result, but its text is kept: the finished answer either follows whole or closes the
     * chunks with only its rest ({@link TaskEvent.ArtifactAdded#closes}). Statuses are the coordinator's.
     */
    void collect(TaskEvent event) {
        switch (event) {
            case TaskEvent.MessageAdded m when m.message().role() == Role.AGENT -> messages.add(m.message().text());
            // the answer's last chunk rides on the final status (issue 18): collected as if it came on its own
            case TaskEvent.StatusChanged s when s.finishes() != null -> collect(s.closedArtifact().orElseThrow());
            case TaskEvent.ArtifactAdded a when a.streamed() -> {
                StringBuilder text = streaming.computeIfAbsent(a.artifact().artifactId(), id -> new StringBuilder());
                place(text, a);
            }
            case TaskEvent.ArtifactAdded a when a.closes() -> {
                StringBuilder text = streaming.remove(a.artifact().artifactId());
                text = text == null ? new StringBuilder() : text;
                place(text, a);
                artifacts.add(text.toString());
            }
            case TaskEvent.ArtifactAdded a -> {
                streaming.remove(a.artifact().artifactId());
                a.artifact().parts().forEach(p -> {
                    if (p instanceof Part.Text t) {
                        artifacts.add(t.text());
                    }
                });
            }
            default -> { }
        }
    }

    /** A chunk's text at its offset: what it continues is kept up to there (a chunk seen twice adds nothing twice). */
    private static void place(StringBuilder text, TaskEvent.ArtifactAdded chunk) {
        long offset = chunk.textOffset();
        if (offset >= 0 && offset <= text.length()) {
            text.setLength((int) offset);
        }
        chunk.artifact().parts().forEach(p -> {
            if (p instanceof Part.Text t) {
                text.append(t.text());
            }
        });
    }

    /** Artifacts are the deliverable; else the agent's last message; else the final status message. */
    String result(Message statusMessage) {
        if (!artifacts.isEmpty()) {
            return String.join("\n", artifacts);
        }
        if (!messages.isEmpty()) {
            return messages.get(messages.size() - 1);
        }
        return statusMessage == null ? "" : statusMessage.text();
    }
}
