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
 * @param asMessage the final status's message is this artifact's finished text: the status is sent with a message
 *     that has no text part, and every reader that shows it puts the finished artifact's text back as the message's
 *     first part ({@link TaskEvent.StatusChanged#shownStatus}). The answer is then on the log once (the chunks and
 *     this rest), not once more whole in the status (issue 18). Absent (false) on events written before.
 */
public record ArtifactClose(String artifactId, String name, String description, String rest, long offset,
        boolean asMessage) {
    public ArtifactClose {
        Required.text(artifactId, "artifactId");
        Required.value(rest, "rest");
        if (offset < 0) {
            throw new IllegalArgumentException("an artifact close's offset is not negative: " + offset);
        }
    }

    /** A close that leaves the status message as sent. */
    public ArtifactClose(String artifactId, String name, String description, String rest, long offset) {
        this(artifactId, name, description, rest, offset, false);
    }
}
