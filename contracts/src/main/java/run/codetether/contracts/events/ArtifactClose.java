package run.codetether.contracts.events;

/**
 * The finished text artifact a final status carries (issue 18): instead of a closing chunk of its own, the last
 * status of a run closes the streamed answer with the text not streamed yet (often none: a fast model's answer went
 * out whole as its first chunk). Readers apply it as the artifact event it stands for
 * ({@link TaskEvent.StatusChanged#closedArtifact()}), before the status itself (its {@code finishes}).
 *
 * @param artifactId the artifact it finishes
 * @param name the finished artifact's name
 * @param description the finished artifact's description (may be null)
 * @param rest the text after the {@code offset} characters already streamed (may be empty)
 * @param offset characters streamed before: 0 means nothing streamed, and {@code rest} is the whole text
 */
public record ArtifactClose(String artifactId, String name, String description, String rest, long offset) {
    public ArtifactClose {
        Required.text(artifactId, "artifactId");
        Required.value(rest, "rest");
        if (offset < 0) {
            throw new IllegalArgumentException("an artifact close's offset is not negative: " + offset);
        }
    }
}
