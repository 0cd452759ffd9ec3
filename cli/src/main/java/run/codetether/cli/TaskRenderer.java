package run.codetether.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** Turns A2A results into short human lines. */
final class TaskRenderer {
    private TaskRenderer() {}

    static String event(JsonNode event) {
        if (event.has("task")) {
            return summary(event.get("task"));
        }
        if (event.has("statusUpdate")) {
            JsonNode status = event.get("statusUpdate").path("status");
            return "[" + state(status.path("state").asText()) + "] " + text(status.path("message"));
        }
        if (event.has("artifactUpdate")) {
            JsonNode artifact = event.get("artifactUpdate").path("artifact");
            return "artifact " + artifact.path("name").asText(artifact.path("artifactId").asText()) + ":\n"
                    + text(artifact);
        }
        if (event.has("message")) {
            return text(event.get("message"));
        }
        return event.toString();
    }

    static String summary(JsonNode result) {
        JsonNode task = result.has("task") ? result.get("task") : result;
        if (task.has("status")) {
            StringBuilder s = new StringBuilder("task ").append(task.path("id").asText())
                    .append(" (context ").append(task.path("contextId").asText()).append("): ")
                    .append(state(task.path("status").path("state").asText()));
            String message = text(task.path("status").path("message"));
            if (!message.isBlank()) {
                s.append("\n").append(message);
            }
            for (JsonNode artifact : task.path("artifacts")) {
                s.append("\nartifact ").append(artifact.path("name").asText(artifact.path("artifactId").asText()))
                        .append(":\n").append(text(artifact));
            }
            return s.toString();
        }
        if (result.has("message")) {
            return text(result.get("message"));
        }
        return result.toPrettyString();
    }

    static String text(JsonNode holder) {
        StringBuilder s = new StringBuilder();
        for (JsonNode part : holder.path("parts")) {
            if (part.has("text")) {
                s.append(part.get("text").asText());
            } else if (part.has("data")) {
                s.append(part.get("data").toString());
            } else if (part.has("url") || part.has("raw")) {
                s.append("[file ").append(part.path("filename").asText(part.path("url").asText())).append("]");
            }
        }
        return s.toString();
    }

    static String state(String wire) {
        return wire.startsWith("TASK_STATE_") ? wire.substring(11).toLowerCase().replace('_', '-') : wire;
    }

    /** 0 for completed or still running, 1 for failed/rejected/canceled, 2 when the task waits for input. */
    static int exitCode(JsonNode result) {
        JsonNode status = result.has("task") ? result.get("task").path("status")
                : result.has("statusUpdate") ? result.get("statusUpdate").path("status") : result.path("status");
        return switch (state(status.path("state").asText())) {
            case "failed", "rejected", "canceled" -> 1;
            case "input-required", "auth-required" -> 2;
            default -> 0;
        };
    }
}
