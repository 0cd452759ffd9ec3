package run.codetether.agent.domain.loop;

/**
 * The message of the commit a push makes, written by the model: the first line of its final answer is the subject
 * (the system prompt asks for a one-line summary there), the whole answer the body, and a trailer names the task.
 * No extra model call: the answer already says what changed, and a second call would cost tokens and could fail
 * after the work is done.
 */
final class CommitMessage {
    static final int SUBJECT_CHARS = 72;
    static final int BODY_CHARS = 4000;

    private CommitMessage() {}

    static String of(String answer, String taskId) {
        String text = answer == null ? "" : answer.strip();
        String subject = text.lines().map(CommitMessage::plain).filter(l -> !l.isEmpty()).findFirst().orElse("");
        if (subject.isEmpty()) {
            subject = "CodeTether task " + taskId;
        }
        if (subject.length() > SUBJECT_CHARS) {
            int cut = subject.lastIndexOf(' ', SUBJECT_CHARS - 1);
            subject = subject.substring(0, cut > SUBJECT_CHARS / 2 ? cut : SUBJECT_CHARS - 1).strip() + "…";
        }
        StringBuilder b = new StringBuilder(subject).append("\n\n");
        if (text.lines().count() > 1 || plain(text).length() > subject.length()) {
            b.append(text.length() > BODY_CHARS ? text.substring(0, BODY_CHARS) + "\n[…]" : text).append("\n\n");
        }
        return b.append("CodeTether-Task: ").append(taskId).append('\n').toString();
    }

    /** A line without markdown heading, list and emphasis marks. */
    private static String plain(String line) {
        return line.strip().replaceFirst("^(#+|[-*>]|\\d+\\.)\\s+", "").replace("**", "").replace("`", "").strip();
    }
}
