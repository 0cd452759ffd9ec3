package run.codetether.agent.domain.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CommitMessageTest {

    @Test
    void theFirstLineOfTheAnswerIsTheSubjectWithoutMarkdown() {
        assertEquals("Fix the sign in Calc.add\n\nCodeTether-Task: t1\n", CommitMessage.of("**Fix the sign in `Calc.add`**", "t1"));
        String m = CommitMessage.of("\n# Ralph Completed\n\nProgress: 3/3 stories", "t2");
        assertTrue(m.startsWith("Ralph Completed\n\n# Ralph Completed\n\nProgress: 3/3 stories\n\nCodeTether-Task: t2"), m);
    }

    @Test
    void aLongSubjectIsCutAtAWordAndAnEmptyAnswerNamesTheTask() {
        String subject = CommitMessage.of("word ".repeat(40), "t3").lines().findFirst().orElseThrow();
        assertTrue(subject.length() <= CommitMessage.SUBJECT_CHARS && subject.endsWith("word…"), subject);
        assertEquals("CodeTether task t4\n\nCodeTether-Task: t4\n", CommitMessage.of("  ", "t4"));
    }
}
