package run.codetether.agent.domain.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import run.codetether.platform.json.Json;

/** Reads the paths a tool reports as changed from its metadata JSON (files_changed / changed_files / path+changed). */
final class ChangedFiles {
    private static final ObjectMapper JSON = Json.mapper();

    private ChangedFiles() {}

    static List<String> from(String metadataJson) {
        List<String> out = new ArrayList<>();
        if (metadataJson == null || metadataJson.isBlank()) {
            return out;
        }
        try {
            JsonNode m = JSON.readTree(metadataJson);
            for (String field : List.of("files_changed", "changed_files", "changedFiles")) {
                m.path(field).forEach(n -> out.add(n.isTextual() ? n.asText() : n.path("path").asText()));
            }
        } catch (Exception e) {
            // metadata is advisory; a tool that writes none still works
        }
        out.removeIf(String::isBlank);
        return out;
    }
}
