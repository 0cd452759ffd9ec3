package run.codetether.agent.domain.ralph;

import java.util.Map;
import java.util.stream.Collectors;

/** The task of one fresh iteration: the PRD's story, the quality checks and progress.txt as memory. */
final class StoryPrompt {
    private StoryPrompt() {}

    static String build(Prd prd, Prd.UserStory story, String progress, String prdPath, String progressPath,
            String workDir) {
        String criteria = story.acceptanceCriteria().stream().map(c -> "- " + c).collect(Collectors.joining("\n"));
        String checks = prd.qualityChecks().ordered().stream()
                .map((Map.Entry<String, String> e) -> "- " + e.getKey() + ": `" + e.getValue() + "`")
                .collect(Collectors.joining("\n"));
        return """
                # PRD: %s - %s

                ## Current Story: %s - %s

                %s

                ### Acceptance Criteria:
                %s

                ### Quality Checks (run in `%s` after your changes; every one must exit 0 for the story to pass):
                %s

                ## Previous Progress:
                %s

                ## Instructions:
                1. Implement the requirements for this story (work in `%s` of the workspace)
                2. Write any necessary code changes
                3. Document what you learned
                4. End with `STORY_COMPLETE: %s` when done

                Do not edit %s or %s: Ralph marks the story and records your summary there.
                Respond with the implementation and any shell commands needed.
                """.formatted(prd.project(), prd.feature(), story.id(), story.title(), story.description(),
                criteria.isEmpty() ? "- (none given)" : criteria, workDir,
                checks.isEmpty() ? "- (none defined)" : checks, progress.isBlank() ? "None yet" : progress.strip(),
                workDir, story.id(), prdPath, progressPath);
    }
}
