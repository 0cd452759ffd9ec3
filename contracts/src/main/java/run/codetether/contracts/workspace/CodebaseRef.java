package run.codetether.contracts.workspace;

import java.util.Map;
import java.util.Optional;
import run.codetether.contracts.a2a.MetadataKeys;

/**
 * The worker-mode workspace source: {@code message.metadata.workspace = {"codebase": "<name or id>"}} (extension
 * {@code https://codetether.run/a2a/ext/workspace/v1}). The task's tools then run on the worker that registered the
 * codebase, in its directory, never in tools-service.
 *
 * @param ref a codebase name as the worker registered it, or its id ({@code cb-...})
 */
public record CodebaseRef(String ref) {
    public static final String KEY = "codebase";
    /** Codebase ids start with this; names never do (a worker refuses such a name). */
    public static final String ID_PREFIX = "cb-";

    public CodebaseRef {
        if (ref == null || ref.isBlank()) {
            throw new IllegalArgumentException("workspace.codebase must name a codebase (its name or id)");
        }
        ref = ref.strip();
    }

    public boolean isId() {
        return ref.startsWith(ID_PREFIX);
    }

    /**
     * The codebase a message's (or a StartTask's) metadata names, if it names one.
     *
     * @throws IllegalArgumentException when {@code workspace.codebase} is there but not a non-empty string
     */
    public static Optional<CodebaseRef> of(Map<String, Object> metadata) {
        if (metadata == null || !(metadata.get(MetadataKeys.WORKSPACE) instanceof Map<?, ?> ws)
                || !ws.containsKey(KEY)) {
            return Optional.empty();
        }
        if (!(ws.get(KEY) instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("workspace.codebase must be a codebase name or id (a string)");
        }
        return Optional.of(new CodebaseRef(s));
    }
}
