package run.codetether.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;

/**
 * The operator dashboard in real headless Chromium (Debian's, driven by Playwright) against the packaged services
 * with a scripted model, signed in with an API key on a closed gateway: a task appears live and its tool calls
 * stream in; a swarm's sub-agents finish in the tree; a question answered in the page reaches the model; an
 * approval request is answered with the approval DataPart; cancel works; health, cognition and workers render;
 * 1,000 tasks stream through the open page while its DOM stays bounded. Screenshots go to {@code docs/dashboard/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
    static final String OPS_KEY = "dashboard-ops-key-1";
    static final String BOB_KEY = "dashboard-bob-key-2";
    static final String PLAN = """
            {"subtasks":[
              {"id":"a","title":"first","instruction":"Handle part ALPHA","depends_on":[]},
              {"id":"b","title":"second","instruction":"Handle part BETA","depends_on":[]},
              {"id":"c","title":"join","instruction":"Combine into GAMMA","depends_on":["a","b"]}]}""";

    @TempDir
    static Path workspaces;

    static final LocalPlatform platform = new LocalPlatform();
    static ScriptedLlmServer llm;
    static ServiceProcess tools;
    static ServiceProcess agent;
    static ServiceProcess swarm;
    static ServiceProcess gateway;
    static A2aClient ops;
    static A2aClient bob;
    static TaskEvents events;
    static LoopbackOidcProvider oidc;
    static Playwright playwright;
    static Browser browser;
    static BrowserContext context;
    static Page page;

    @BeforeAll
    static void startPlatformAndBrowser() throws Exception {
        Chromium.require();
        String kafka = SharedKafkaBroker.bootstrapServers();
        llm = platform.own(ScriptedLlmServer.start());
        llm.respondWith(DashboardBrowserTest::answer);
        // processes start side by side and are awaited together (the agent needs tools-service up first)
        tools = platform.tools(workspaces, Map.of());
        swarm = platform.swarm(kafka, llm.openAiBaseUrl());
        // no first-chunk hold: the scripted answers finish at once, and the timeline's streamed entry is under test
        agent = platform.agent(kafka, llm.openAiBaseUrl(), tools, workspaces,
                Map.of("CODETETHER_AGENT_FIRST_CHUNK_HOLD", "0"));
        int unused = ServiceProcess.freePort();
        oidc = platform.own(new LoopbackOidcProvider("codetether-dashboard", "codetether-gateway", "ops"));
        gateway = platform.gateway(kafka, Map.of(
                        "CODETETHER_GATEWAY_AUTH_OPEN", "false",
                        "CODETETHER_GATEWAY_AUTH_API_KEYS", "ops:" + OPS_KEY + ",bob:" + BOB_KEY),
                "-Dcodetether.gateway.auth.open=false",
                // the bulk test measures the page, not admission: 1,000 sends must not meet the per-client limit
                "-Dcodetether.gateway.rate-limit.requests-per-second=5000",
                "-Dcodetether.gateway.rate-limit.burst=5000",
                "-Dcodetether.gateway.limits.max-in-flight-per-client=5000",
                "-Dcodetether.gateway.dashboard.services.agent.url=http://127.0.0.1:" + agent.port,
                "-Dcodetether.gateway.dashboard.services.tools.url=http://127.0.0.1:" + tools.port,
                "-Dcodetether.gateway.dashboard.services.swarm.url=http://127.0.0.1:" + swarm.port,
                // no router runs in this test: the dashboard must say so, not invent figures
                "-Dcodetether.gateway.dashboard.services.router.url=http://127.0.0.1:" + unused,
                "-Dcodetether.gateway.dashboard.scrape-interval=1s",
                // the same gateway also accepts JWTs of an identity provider, and the page offers its login
                "-Dcodetether.gateway.auth.jwt.issuer=" + oidc.issuer(),
                "-Dcodetether.gateway.auth.jwt.audience=codetether-gateway",
                "-Dcodetether.gateway.auth.jwt.jwks-url=" + oidc.issuer() + "/jwks",
                "-Dcodetether.gateway.dashboard.oidc.client-id=codetether-dashboard");
        platform.awaitReady(Duration.ofSeconds(120));
        ops = new A2aClient(gateway, OPS_KEY);
        bob = new A2aClient(gateway, BOB_KEY);
        events = new TaskEvents(kafka);

        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(Chromium.options());
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        page = context.newPage();
        page.onPageError(e -> System.out.println("page error: " + e));
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) {
                System.out.println("page console: " + m.text());
            }
        });
        // generous: on a shared 2-core machine a scripted task can take many seconds under load
        PlaywrightAssertions.setDefaultAssertionTimeout(60_000);
        page.navigate(gateway.url("/dashboard/").toString());
        assertThat(page.locator("#live")).hasText("not signed in");
        page.fill("#api-key", OPS_KEY);
        page.click("#key-apply");
        assertThat(page.locator("#whoami")).hasText("signed in as ops");
        assertThat(page.locator("#live")).hasText("live");
    }

    /**
     * The scripted model: decomposition for swarms, one-line answers for sub-agents, a write + bash run for TOOLS
     * tasks, a question for ASK tasks, a very slow answer for SLOW tasks, an instant answer for everything else.
     */
    private static Reply answer(RecordedRequest request) {
        String body = request.rawBody();
        int results = request.toolResults().size();
        if (body.contains("response_format")) {
            return Reply.text(PLAN);
        }
        for (String part : List.of("GAMMA", "ALPHA", "BETA")) {
            if (body.contains("Handle part " + part) || body.contains("Combine into " + part)) {
                return Reply.text("done: " + part).withDelay(Duration.ofMillis(400)).withUsage(120, 8);
            }
        }
        if (body.contains("TOOLS-TASK")) {
            return switch (results) {
                case 0 -> Reply.tools(Reply.call("call_w", "write_file",
                        Map.of("path", "hello.txt", "content", "hello from the dashboard test\n")));
                case 1 -> Reply.tools(Reply.call("call_b", "bash",
                        Map.of("command", "cat hello.txt; sleep 1; echo bash-finished")));
                default -> Reply.text("Wrote hello.txt and ran it.").withUsage(300, 12);
            };
        }
        if (body.contains("ASK-TASK")) {
            return results == 0
                    ? Reply.tools(Reply.call("call_q", "question", Map.of("question", "Which colour should it be?")))
                    : Reply.text("You chose " + request.toolResults().get(results - 1).content() + ".");
        }
        if (body.contains("SLOW-TASK")) {
            return Reply.text("too late").withDelay(Duration.ofSeconds(60));
        }
        return Reply.text("ok").withUsage(10, 2);
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {context, browser, playwright, events}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // keep closing the rest
                }
            }
        }
        platform.close();
    }

    @Test
    @Order(1)
    void aTaskAppearsLiveAndItsToolCallsStreamIn() throws Exception {
        String hidden = bob.send("a task of another client, BOB-ONLY", Map.of()).path("id").asText();
        String id = ops.send("TOOLS-TASK: write a file and run it", Map.of()).path("id").asText();

        var row = page.locator(".vlist .row[data-id='" + id + "']");
        assertThat(row).isVisible();
        row.click();
        assertThat(page.locator("#detail-title")).containsText(id);
        var timeline = page.locator(".timeline");
        assertThat(timeline.locator(".tool[data-tool='write_file']")).hasCount(1);
        assertThat(timeline.locator(".tool[data-tool='bash'] .out")).containsText("hello from the dashboard test");
        // each call ends with what the model read: the whole command output, after the live tail
        assertThat(timeline.locator(".tool[data-tool='bash'] .res")).containsText("bash-finished");
        assertThat(timeline.locator(".tool[data-tool='write_file'] .res")).not().isEmpty();
        assertThat(page.locator("#detail-figures")).containsText("completed");
        assertThat(timeline).containsText("Wrote hello.txt and ran it.");
        // the answer streamed as chunks of the answer artifact (only the new text each): one "answer…" entry
        assertThat(timeline.locator(".ev.stream .answer")).hasCount(1);
        assertThat(timeline.locator(".ev.stream .answer")).containsText("Wrote");
        assertThat(page.locator("#detail-figures")).containsText("scripted-coder");
        page.screenshot(shot("task-timeline.png"));

        assertEquals("TASK_STATE_COMPLETED", ops.get(id).path("status").path("state").asText());
        assertThat(page.locator(".vlist .row[data-id='" + hidden + "']")).hasCount(0);
        page.fill("#search", "BOB-ONLY");
        assertThat(page.locator(".vlist .row:not([hidden])")).hasCount(0);
        page.fill("#search", "TOOLS-TASK");

        // the keyboard alone: back to the list, focus it, pick the first task, open it
        page.locator(".back").evaluate("b => b.click()");
        page.locator("#task-list").focus();
        page.keyboard().press("Home");
        page.keyboard().press("Enter");
        assertThat(page.locator("#detail-title")).containsText(id);
        page.fill("#search", "");
    }

    @Test
    @Order(2)
    void aSwarmShowsItsSubAgentsFinishing() throws Exception {
        String id = ops.send("Refactor the three modules", Map.of("skill", "swarm", "strategy", "stage")).path("id")
                .asText();
        page.navigate(gateway.url("/dashboard/#/tasks/" + id).toString());
        assertThat(page.locator("#tab-swarm")).isVisible();
        page.click("#tab-swarm");
        assertThat(page.locator("[data-subtask]")).hasCount(3);
        assertThat(page.locator("#swarm-progress")).hasText("3/3 sub-agents finished");
        assertThat(page.locator("[data-subtask][data-status='completed']")).hasCount(3);
        assertThat(page.locator("#detail-figures")).containsText("completed");
        page.screenshot(shot("swarm.png"));
        assertEquals("TASK_STATE_COMPLETED", ops.get(id).path("status").path("state").asText());
    }

    @Test
    @Order(3)
    void aQuestionAnsweredInThePageReachesTheAgent() throws Exception {
        String id = ops.send("ASK-TASK: paint the shed", Map.of()).path("id").asText();
        page.navigate(gateway.url("/dashboard/#/tasks/" + id).toString());
        assertThat(page.locator("#question")).containsText("Which colour should it be?");
        page.screenshot(shot("input-required.png"));
        page.fill("#answer", "teal");
        page.click("#send-answer");
        assertThat(page.locator(".timeline")).containsText("You chose teal.");
        assertThat(page.locator("#detail-figures")).containsText("completed");
        RecordedRequest last = llm.requests().stream().filter(r -> r.rawBody().contains("ASK-TASK"))
                .reduce((a, b) -> b).orElseThrow();
        assertTrue(last.toolResults().stream().anyMatch(r -> r.content().contains("teal")),
                "the answer typed in the page reached the model as the question's result");
    }

    @Test
    @Order(4)
    void anApprovalRequestIsAnsweredWithTheApprovalDataPart() throws Exception {
        // a worker that asks for approval, in the shape INTERFACES.md fixes (the agent's approvals land later)
        String id = "approval-" + UUID.randomUUID();
        String ctx = "ctx-" + id;
        Instant now = Instant.now();
        events.publish(new TaskEvent.StatusChanged(id, ctx, "gateway", new TaskStatus(TaskState.SUBMITTED, null, now),
                Progress.NONE, Map.of(), new Task.Submission("ops", null, null), now));
        Message ask = new Message(UUID.randomUUID().toString(), run.codetether.contracts.a2a.Role.AGENT,
                List.of(Part.Text.of("May I edit README.md?"), new Part.Data(Map.of("approval_request", Map.of(
                        "call_id", "call_edit_1", "tool", "edit", "arguments", Map.of("path", "README.md"),
                        "preview", "--- a/README.md\n+++ b/README.md\n@@ -1 +1 @@\n-old\n+new\n",
                        "reason", "edits need approval in approve mode")), null)), ctx, id, null, null, null);
        events.publish(new TaskEvent.StatusChanged(id, ctx, "worker-x", new TaskStatus(TaskState.INPUT_REQUIRED, ask,
                Instant.now()), Map.of(), Instant.now()));
        var continues = events.watchRequests();

        page.navigate(gateway.url("/dashboard/#/tasks/" + id).toString());
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Approve edit?"))).isVisible();
        assertThat(page.locator(".ask .diff .dl.add")).hasText("+new");
        page.screenshot(shot("approval.png"));
        page.click("#approve");

        TaskCommand.ContinueTask cont = continues.await(id, Duration.ofSeconds(60)); // as long as the page's waits
        Part.Data data = (Part.Data) cont.message().parts().get(0);
        assertEquals(Map.of("approval", Map.of("call_id", "call_edit_1", "decision", "approve")), data.data());
    }

    @Test
    @Order(5)
    void cancelWorks() throws Exception {
        String id = ops.send("SLOW-TASK: think for a long time", Map.of()).path("id").asText();
        page.navigate(gateway.url("/dashboard/#/tasks/" + id).toString());
        assertThat(page.locator("#detail-figures")).containsText("working");
        page.click("#cancel");
        assertThat(page.locator("#detail-figures")).containsText("canceled");
        assertThat(page.locator("#cancel")).isDisabled();
        page.screenshot(shot("canceled.png"));
        assertEquals("TASK_STATE_CANCELED", ops.get(id).path("status").path("state").asText());
    }

    @Test
    @Order(6)
    void ralphShowsPerStoryProgressAndQualityChecks() throws Exception {
        // Ralph's progress events as the agent's RalphLoop publishes them (a real Ralph run needs a PRD workspace)
        String id = "ralph-" + UUID.randomUUID();
        String ctx = "ctx-" + id;
        events.publish(new TaskEvent.StatusChanged(id, ctx, "gateway", new TaskStatus(TaskState.SUBMITTED, null, null),
                Progress.NONE, Map.of(), new Task.Submission("ops", null, "ralph"), null));
        ralph(id, ctx, "Ralph started: shop - checkout (0/2 stories pass)", Map.of("ralph_event", "started",
                "passed", 0, "total", 2, "max_iterations", 5));
        ralph(id, ctx, "Iteration 1/5: US-001 - Add the cart", story("story_started", "US-001", 1));
        ralph(id, ctx, "US-001 typecheck check passed", check("US-001", 1, "typecheck", true));
        ralph(id, ctx, "US-001 test check failed: 1 failing", check("US-001", 1, "test", false));
        ralph(id, ctx, "US-001 is still open (0/2 stories pass)", done("US-001", 1, false, 0));
        ralph(id, ctx, "Iteration 2/5: US-001 - Add the cart", story("story_started", "US-001", 2));
        ralph(id, ctx, "US-001 test check passed", check("US-001", 2, "test", true));
        ralph(id, ctx, "US-001 passes (1/2 stories pass)", done("US-001", 2, true, 1));
        ralph(id, ctx, "Iteration 3/5: US-002 - Pay by card", story("story_started", "US-002", 3));

        page.navigate(gateway.url("/dashboard/#/tasks/" + id).toString());
        assertThat(page.locator("#tab-ralph")).isVisible();
        page.click("#tab-ralph");
        assertThat(page.locator("[data-story='US-001'] .badge")).hasText("passed");
        assertThat(page.locator("[data-story='US-001'] .chip.ok")).hasText("test ✓");
        assertThat(page.locator("[data-story='US-002'] .badge")).hasText("running");
        assertThat(page.locator("#tab-body")).containsText("1/2 stories pass");
        page.screenshot(shot("ralph.png"));
    }

    @Test
    @Order(7)
    void healthCognitionAndWorkersViews() throws Exception {
        page.navigate(gateway.url("/dashboard/#/health").toString());
        for (String s : List.of("gateway", "agent", "tools", "swarm")) {
            assertThat(page.locator("[data-service='" + s + "'] .badge")).hasText("UP");
        }
        assertThat(page.locator("[data-service='router'] .badge")).hasText("UNREACHABLE");
        assertThat(page.locator("#lag tbody tr").first()).isVisible();
        assertThat(page.locator("[data-figure='model_call_mean'] td.num")).not().hasText("not exported");
        assertThat(page.locator("[data-figure='admission_rejections'] td.num")).not().hasText("not exported");
        assertThat(page.locator("[data-figure='sandbox_active'] td.num")).not().hasText("not exported");
        assertThat(page.locator("[data-chart='tasks_finished_per_second'] canvas")).hasCount(1);
        // cost per tenant per day (GET /v1/stats): ops reads tenant default, where this test's tasks ran
        var spend = page.locator("#spend tbody tr[data-tenant='default']").first();
        assertThat(spend).isVisible();
        assertThat(spend.locator("td").nth(5)).hasText(Pattern.compile("^(unpriced|\\$\\d+\\.\\d{2,4}.*)$"));
        assertTrue(Integer.parseInt(spend.locator("td").nth(2).textContent()) > 0, spend.textContent());
        page.waitForTimeout(2_500); // two more scrapes: the charts have lines
        page.screenshot(shot("health.png").setFullPage(true));

        page.navigate(gateway.url("/dashboard/#/workers").toString());
        // worker mode is part of the gateway: with no worker connected the page says so (WorkerEndToEndTest has rows)
        assertThat(page.locator("#workers")).containsText("no workers connected");
        assertThat(page.locator("#codebases")).containsText("no codebases connected");

        page.navigate(gateway.url("/dashboard/#/cognition").toString());
        assertThat(page.locator("#cog-status")).containsText("stopped");
        page.click("#cog-start");
        assertThat(page.locator("#cog-status")).containsText("running");
        assertThat(page.locator("#thoughts li").first()).isVisible();
        assertThat(page.locator("#lineage")).containsText("root-thinker");
        page.screenshot(shot("cognition.png"));
        page.click("#cog-stop");
        assertThat(page.locator("#cog-status")).containsText("stopped");
    }

    @Test
    @Order(8)
    void phoneWidth() {
        try (BrowserContext phone = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844)
                .setIsMobile(true).setHasTouch(true))) {
            Page p = phone.newPage();
            p.navigate(gateway.url("/dashboard/").toString());
            p.fill("#api-key", OPS_KEY);
            p.click("#key-apply");
            assertThat(p.locator(".vlist .row:not([hidden])").first()).isVisible();
            p.screenshot(shot("phone-tasks.png"));
            p.locator(".vlist .row:not([hidden])").first().click();
            assertThat(p.locator("#detail-title")).isVisible();
            assertThat(p.locator(".list-pane")).isHidden();
            p.screenshot(shot("phone-task.png"));
            p.click(".back");
            assertThat(p.locator(".list-pane")).isVisible();
        }
    }

    @Test
    @Order(9)
    void anOperatorLogsInWithOpenIdConnect() {
        try (BrowserContext fresh = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800))) {
            Page p = fresh.newPage();
            p.onConsoleMessage(m -> System.out.println("login page console: " + m.text()));
            p.navigate(gateway.url("/dashboard/").toString());
            assertThat(p.locator("#live")).hasText("not signed in");
            assertThat(p.locator("#login")).isVisible();
            p.click("#login"); // to the provider's authorize endpoint and straight back with a code
            assertThat(p.locator("#whoami")).hasText("signed in as ops");
            assertThat(p.locator("#live")).hasText("live");
            assertTrue(oidc.tokensIssued >= 1);
            assertTrue(!p.url().contains("code="), "the code leaves the address bar: " + p.url());
            assertThat(p.locator(".vlist .row:not([hidden])").first()).isVisible();
        }
    }

    @Test
    @Order(10)
    void thousandTasksStreamThroughAnOpenPageWithABoundedDom() throws Exception {
        page.navigate(gateway.url("/dashboard/#/tasks").toString());
        assertThat(page.locator("#live")).hasText("live");
        // Long tasks and total blocking time (the part of each long task past 50 ms, as Lighthouse counts it) are
        // reported, not asserted: they are wall clock, and CI's 2 cores shared with the whole platform made them 60%.
        page.evaluate("() => { window.__long = 0; window.__blocking = 0; new PerformanceObserver((l) => { "
                + "for (const e of l.getEntries()) { window.__long += e.duration; "
                + "window.__blocking += Math.max(0, e.duration - 50); } }).observe({ type: 'longtask', buffered: false }); }");
        // The page's own work is read as CPU time of the renderer's main thread (Chromium's ThreadTime metric):
        // wall-clock figures such as long tasks also count the time a shared 2-core machine gives other processes.
        CDPSession cdp = context.newCDPSession(page);
        cdp.send("Performance.enable");
        double cpuBefore = mainThreadCpuSeconds(cdp);
        int before = ((Number) page.evaluate("() => document.getElementsByTagName('*').length")).intValue();
        String marker = "BULK-" + UUID.randomUUID().toString().substring(0, 8);
        // filtered before the burst, so the count never shows a figure from before the filter applied: the 1000
        // accepted tasks end completed; a send the gateway refused as retryable (a broker stalled by a loaded
        // machine) but whose write landed late is a task of its own that ends rejected (UnconfirmedStart)
        page.fill("#search", marker);
        page.selectOption("#state-filter", "completed");
        assertThat(page.locator("#task-count")).containsText("(0 shown");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String>> sent = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            int n = i;
            sent.add(pool.submit(() -> ops.sendRetrying(marker + " task " + n).path("id").asText()));
        }
        int maxDom = before;
        for (Future<String> f : sent) {
            f.get();
        }
        pool.shutdown();
        // an idle 2-core machine finishes the burst in about 90 s; one loaded to 50 by parallel builds needs minutes
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (System.nanoTime() < deadline) {
            maxDom = Math.max(maxDom, ((Number) page.evaluate("() => document.getElementsByTagName('*').length")).intValue());
            if (page.locator("#task-count").textContent().startsWith("(1000 shown")) {
                break;
            }
            page.waitForTimeout(500);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = mainThreadCpuSeconds(cdp) - cpuBefore;
        double blocking = ((Number) page.evaluate("() => window.__blocking")).doubleValue() / (seconds * 1000);
        assertThat(page.locator("#task-count")).containsText("(1000 shown");
        long domRows = page.locator(".vlist .row").count();
        double longTasks = ((Number) page.evaluate("() => window.__long")).doubleValue();
        long t0 = System.nanoTime();
        page.fill("#search", marker + " task 999");
        assertThat(page.locator(".vlist .row:not([hidden])")).hasCount(1);
        double filterMs = (System.nanoTime() - t0) / 1e6;
        page.fill("#search", marker);
        page.selectOption("#state-filter", "active");
        assertThat(page.locator("#task-count")).containsText("(0 shown", new LocatorAssertions.ContainsTextOptions()
                .setTimeout(30_000)); // nothing of the burst is left submitted or working
        page.selectOption("#state-filter", "");
        page.fill("#search", "");
        page.screenshot(shot("thousand-tasks.png"));
        System.out.printf("1000 tasks through the page in %.1f s: max DOM %d elements (before %d), %d row elements, "
                + "main thread CPU %.0f ms (%.1f ms per task, %.0f%% of the run), long tasks %.0f ms in all "
                + "(blocking time %.0f%% of the run, wall clock), filter answered in %.0f ms%n",
                seconds, maxDom, before, domRows, cpu * 1000, cpu, cpu / seconds * 100, longTasks, blocking * 100,
                filterMs);
        assertTrue(maxDom < before + 200, "DOM grew with the tasks: " + before + " -> " + maxDom);
        assertTrue(domRows < 80, "the list rendered " + domRows + " row elements");
        // CPU, not wall clock: how much of a core the page needs while tasks stream in, whatever else the machine
        // runs. Measured on the idle 2-core machine: 4.7 ms per task, 6% of a core; the bounds leave room for a
        // slower CPU, not for a page that does per task what it should do per frame.
        assertTrue(cpu / seconds < 0.5, "the page's main thread used " + Math.round(cpu / seconds * 100)
                + "% of a core during the run");
        assertTrue(cpu < 20, "the page's main thread used " + Math.round(cpu * 1000) + " ms of CPU for 1000 tasks");
        assertTrue(filterMs < 3_000, "filtering 1000 tasks took " + filterMs + " ms");
    }

    /** CPU seconds the renderer's main thread has used so far (Chromium's Performance domain, metric ThreadTime). */
    private static double mainThreadCpuSeconds(CDPSession cdp) {
        for (var metric : cdp.send("Performance.getMetrics").getAsJsonArray("metrics")) {
            var m = metric.getAsJsonObject();
            if (m.get("name").getAsString().equals("ThreadTime")) {
                return m.get("value").getAsDouble();
            }
        }
        throw new AssertionError("Chromium reported no ThreadTime metric");
    }

    private static void ralph(String id, String ctx, String text, Map<String, Object> meta) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(meta);
        m.put("tool", "ralph");
        m.put("prd_path", "prd.json");
        events.publish(new TaskEvent.StatusChanged(id, ctx, "worker-r", new TaskStatus(TaskState.WORKING,
                Message.agentText(UUID.randomUUID().toString(), ctx, id, text), null), m, null));
    }

    private static Map<String, Object> story(String event, String story, int iteration) {
        return new java.util.LinkedHashMap<>(Map.of("ralph_event", event, "story_id", story, "iteration", iteration,
                "max_iterations", 5));
    }

    private static Map<String, Object> check(String story, int iteration, String name, boolean passed) {
        Map<String, Object> m = story("story_quality_check", story, iteration);
        m.put("check_name", name);
        m.put("passed", passed);
        return m;
    }

    private static Map<String, Object> done(String story, int iteration, boolean passed, int passedCount) {
        Map<String, Object> m = story("story_complete", story, iteration);
        m.put("passed", passed);
        m.put("passed_count", passedCount);
        m.put("total", 2);
        return m;
    }

    /** Screenshots land in docs/dashboard/ (committed, linked from docs/dashboard.md). */
    private static Page.ScreenshotOptions shot(String name) {
        Path root = Path.of(System.getProperty("codetether.root", "..")).toAbsolutePath().normalize();
        return new Page.ScreenshotOptions().setPath(root.resolve("docs/dashboard").resolve(name));
    }

    /** A2A over HTTP with an API key. */
    static final class A2aClient {
        private final A2aHttp http;
        private final String key;

        A2aClient(ServiceProcess gateway, String key) {
            this.http = new A2aHttp(gateway);
            this.key = key;
        }

        JsonNode send(String text, Map<String, Object> metadata) throws Exception {
            return http.rpc("SendMessage", message(text, metadata), key).path("task");
        }

        /** A send that honours a retryable refusal (the burst meets a broker stalled by a loaded machine). */
        JsonNode sendRetrying(String text) throws Exception {
            return http.rpcRetrying("SendMessage", message(text, Map.of()), key).path("task");
        }

        private static JsonNode message(String text, Map<String, Object> metadata) {
            var params = A2aHttp.JSON.createObjectNode();
            var message = params.putObject("message");
            message.put("messageId", UUID.randomUUID().toString());
            message.put("role", "ROLE_USER");
            message.putArray("parts").addObject().put("text", text);
            message.set("metadata", A2aHttp.JSON.valueToTree(metadata));
            params.putObject("configuration").put("returnImmediately", true);
            return params;
        }

        JsonNode get(String id) throws Exception {
            return http.rpc("GetTask", A2aHttp.JSON.createObjectNode().put("id", id), key);
        }
    }
}
