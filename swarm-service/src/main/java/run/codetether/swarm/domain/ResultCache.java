package run.codetether.swarm.domain;

import java.util.Optional;

/** Validated subtask results by content hash: a subtask whose hash is known is not run again. */
public interface ResultCache {
    Optional<String> get(String contentHash);

    void put(String contentHash, String result);
}
