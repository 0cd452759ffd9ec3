package run.codetether.agent.domain.ralph;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import run.codetether.agent.domain.loop.LoopAccess;
import run.codetether.agent.domain.port.ToolExecutor;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.events.Usage;

/**
 * One Ralph run: while the iteration budget lasts, take the highest-priority open story whose dependencies pass,
 * let a fresh sub-agent implement it (the PRD's story and the end of progress.txt are its only memory), run the
 * PRD's quality checks, append the attempt to progress.txt and, when every check exits 0, mark the story passing in
 * prd.json and commit it (when the PRD's directory is a git work tree, on the PRD's branch_name). A failing check
 * keeps the story open, so a later iteration retries it with the failure in progress.txt.
 *
 * <p>Resume: every workspace call and sub-agent has a key made of the tool call id, the story and the iteration.
 * A run that is started again for the same call (the worker died) gets the stored results of the calls that
 * already ran (the first read of prd.json included), so it walks the same iterations without re-running them and
 * continues live where the dead run stopped. A new ralph call reads prd.json afresh and continues with the next
 * open story.
 */
final class RalphLoop {
    /** How much of a failing check's output goes into progress.txt. */
    private static final int CHECK_OUTPUT_CHARS = 2_000;

    /** @param usage what every iteration's agent spent (tokens and cost), summed over the run's stories */
    record Outcome(Prd prd, RalphStatus status, int iterations, int maxIterations, Usage usage) {
        boolean allPassed() {
            return prd.isComplete();
        }
    }

    record CheckResult(String name, String command, boolean passed, String detail) {}

    private final LoopAccess loop;
    private final Workspace ws;
    private final RalphSettings settings;
    private final String keyBase;
    private final String prdPath;
    private final String progressPath;
    private final String workDir;
    private final int maxIterations;
    private final GitSteps git;
    /** What this run's iterations spent so far. */
    private Usage spent = Usage.NONE;

    RalphLoop(LoopAccess loop, RalphSettings settings, String keyBase, String prdPath, int maxIterations) {
        this.loop = loop;
        this.ws = new Workspace(loop);
        this.settings = settings;
        this.keyBase = keyBase;
        this.prdPath = prdPath;
        this.progressPath = Workspace.sibling(prdPath, RalphSettings.PROGRESS_FILE);
        this.workDir = Workspace.parent(prdPath);
        this.maxIterations = maxIterations;
        this.git = new GitSteps(loop, ws, workDir);
    }

    /** Reads and validates the PRD (for run and status). */
    static PrdFile load(Workspace ws, String key, String prdPath) throws InterruptedException, PrdException {
        Optional<String> text = ws.read(key, prdPath);
        if (text.isEmpty()) {
            throw new PrdException("No PRD found at " + prdPath + ". Create one with: ralph({action: 'create-prd', "
                    + "project: '...', feature: '...'}) or prd({action: 'save', ...})");
        }
        return PrdFile.parse(prdPath, text.get());
    }

    Outcome run() throws InterruptedException, PrdException {
        PrdFile file = load(ws, keyBase + ":load", prdPath);
        PrdValidation validation = PrdValidation.of(file.prd());
        if (!validation.valid()) {
            throw new PrdException(prdPath + " cannot be run:\n\n" + validation.summary());
        }
        Prd prd = file.prd();
        progress("Ralph started: " + prd.project() + " - " + prd.feature() + " (" + prd.passedCount() + "/"
                + prd.userStories().size() + " stories pass)", Map.of(MetadataKeys.RALPH_EVENT, "started",
                        MetadataKeys.PASSED, prd.passedCount(), MetadataKeys.TOTAL, prd.userStories().size(),
                        MetadataKeys.MAX_ITERATIONS, maxIterations));
        git.checkout(keyBase + ":git-branch", prd.branchName())
                .ifPresent(note -> progress(note, Map.of(MetadataKeys.RALPH_EVENT, "git")));
        RalphStatus status = RalphStatus.Running;
        int iteration = 0;
        while (!file.prd().isComplete() && iteration < maxIterations) {
            loop.checkStop();
            Optional<Prd.UserStory> next = file.prd().nextStory();
            if (next.isEmpty()) {
                status = RalphStatus.Stopped; // cannot happen for a validated PRD; kept as the original's guard
                break;
            }
            iteration++;
            file = iterate(file, next.get(), iteration);
        }
        if (file.prd().isComplete()) {
            status = RalphStatus.Completed;
        } else if (status == RalphStatus.Running) {
            status = RalphStatus.MaxIterations;
        }
        Prd end = file.prd();
        progress("Ralph " + status + ": " + end.passedCount() + "/" + end.userStories().size() + " stories pass ("
                + cost(spent) + ")", Map.of(MetadataKeys.RALPH_EVENT, "complete", MetadataKeys.STATUS, status.name(),
                        MetadataKeys.PASSED, end.passedCount(), MetadataKeys.TOTAL, end.userStories().size(),
                        MetadataKeys.ITERATIONS, iteration, MetadataKeys.RALPH_USAGE, spent.toMetadata()));
        return new Outcome(end, status, iteration, maxIterations, spent);
    }

    private PrdFile iterate(PrdFile file, Prd.UserStory story, int iteration)
            throws InterruptedException, PrdException {
        String key = keyBase + ":" + story.id() + ":" + iteration;
        progress("Iteration " + iteration + "/" + maxIterations + ": " + story.id() + " - " + story.title(),
                event("story_started", story, iteration));
        String memory = ws.tail(key + ":progress", progressPath, settings.progressChars());
        LoopAccess.SubAgentResult result = loop.subAgent(key,
                StoryPrompt.build(file.prd(), story, memory, prdPath, progressPath, workDir));
        // the iteration's tokens and cost are its agent's: the quality checks and file writes call no model
        Usage storyUsage = result.usage() == null ? Usage.NONE : result.usage();
        spent = spent.plus(storyUsage);
        loop.checkStop();
        List<CheckResult> checks = new ArrayList<>();
        String status;
        if (!result.completed()) {
            status = "failed: the iteration's agent did not complete (" + oneLine(result.text()) + ")";
            Map<String, Object> meta = event("story_error", story, iteration);
            meta.put(MetadataKeys.ERROR, oneLine(result.text()));
            meta.put(MetadataKeys.STORY_USAGE, storyUsage.toMetadata());
            progress(story.id() + " iteration " + iteration + " did not complete: " + oneLine(result.text()), meta);
        } else {
            checks = runChecks(key, story, iteration, file.prd().qualityChecks());
            status = checks.stream().allMatch(CheckResult::passed) ? "passed" : "quality_failed";
        }
        boolean passed = "passed".equals(status);
        ws.append(key + ":progress-append", progressPath, entry(story, iteration, status, result.text(), checks));
        if (passed) {
            file = file.withPassed(story.id(), Instant.now().toString());
            ws.write(key + ":prd", prdPath, file.json());
            git.commit(key + ":commit", story).ifPresent(note -> progress(note, event("git", story, iteration)));
        }
        Map<String, Object> meta = event("story_complete", story, iteration);
        meta.put(MetadataKeys.PASSED, passed);
        meta.put(MetadataKeys.PASSED_COUNT, file.prd().passedCount());
        meta.put(MetadataKeys.TOTAL, file.prd().userStories().size());
        meta.put(MetadataKeys.STORY_USAGE, storyUsage.toMetadata());
        progress(story.id() + (passed ? " passes" : " is still open") + " (" + file.prd().passedCount() + "/"
                + file.prd().userStories().size() + " stories pass; iteration " + cost(storyUsage) + ")", meta);
        return file;
    }

    /** Every defined check runs (no early exit) so progress.txt shows all failures at once, as the original. */
    private List<CheckResult> runChecks(String key, Prd.UserStory story, int iteration, Prd.QualityChecks qc)
            throws InterruptedException {
        List<CheckResult> results = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, String> check : qc.ordered()) {
            loop.checkStop();
            ToolExecutor.Outcome out = ws.run(key + ":check:" + n++, workDir, check.getValue(),
                    settings.checkTimeout());
            CheckResult r = new CheckResult(check.getKey(), check.getValue(), out.ok(),
                    out.ok() ? "" : tail(Workspace.reason(out), CHECK_OUTPUT_CHARS));
            results.add(r);
            Map<String, Object> meta = event("story_quality_check", story, iteration);
            meta.put(MetadataKeys.CHECK_NAME, r.name());
            meta.put(MetadataKeys.PASSED, r.passed());
            progress(story.id() + " " + r.name() + " check " + (r.passed() ? "passed" : "failed")
                    + (r.passed() ? "" : ": " + oneLine(r.detail())), meta);
        }
        return results;
    }

    /** The original's progress.txt entry, plus the check results so the next iteration sees why it failed. */
    private static String entry(Prd.UserStory story, int iteration, String status, String response,
            List<CheckResult> checks) {
        StringBuilder b = new StringBuilder();
        b.append("\n---\n\n## Iteration ").append(iteration).append(" - ").append(story.id()).append(" (")
                .append(Instant.now()).append(")\n\n**Status:** ").append(status).append("\n\n### Summary\n")
                .append(response == null ? "" : response.strip()).append('\n');
        List<String> learnings = learnings(response);
        if (!learnings.isEmpty()) {
            b.append("\n### Learnings\n");
            learnings.forEach(l -> b.append("- ").append(l).append('\n'));
        }
        if (!checks.isEmpty()) {
            b.append("\n### Quality Checks\n");
            for (CheckResult c : checks) {
                b.append("- ").append(c.name()).append(" (`").append(c.command()).append("`): ")
                        .append(c.passed() ? "passed" : "FAILED").append('\n');
                if (!c.passed()) {
                    b.append("```\n").append(c.detail()).append("\n```\n");
                }
            }
        }
        return b.toString();
    }

    /** Lines of the answer that record a lesson, as the original picks them. */
    static List<String> learnings(String response) {
        if (response == null) {
            return List.of();
        }
        return response.lines().filter(l -> l.contains("learned") || l.contains("Learning") || l.contains("# What"))
                .map(String::strip).toList();
    }

    private Map<String, Object> event(String name, Prd.UserStory story, int iteration) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(MetadataKeys.RALPH_EVENT, name);
        m.put(MetadataKeys.STORY_ID, story.id());
        m.put(MetadataKeys.ITERATION, iteration);
        m.put(MetadataKeys.MAX_ITERATIONS, maxIterations);
        return m;
    }

    private void progress(String text, Map<String, Object> metadata) {
        Map<String, Object> meta = new LinkedHashMap<>(metadata);
        meta.put(MetadataKeys.PRD_PATH, prdPath);
        loop.progress(text, meta);
    }

    /** Tokens and cost as a person reads them ("unpriced" when the model has no catalog price, never $0). */
    static String cost(Usage u) {
        long tokens = u.tokensIn() + u.tokensOut() + u.cacheReadTokens() + u.cacheWriteTokens();
        return String.format(Locale.ROOT, "%,d tokens, %s", tokens,
                u.priced() ? String.format(Locale.ROOT, "$%.4f", u.costUsd()) : "unpriced");
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.strip().replaceAll("\\s+", " ");
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    private static String tail(String s, int max) {
        return s.length() <= max ? s : "…" + s.substring(s.length() - max);
    }
}
