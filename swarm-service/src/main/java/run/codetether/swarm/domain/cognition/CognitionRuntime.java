package run.codetether.swarm.domain.cognition;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import run.codetether.contracts.cognition.CognitionStatus;
import run.codetether.contracts.cognition.CreatePersonaRequest;
import run.codetether.contracts.cognition.LineageGraph;
import run.codetether.contracts.cognition.MemorySnapshot;
import run.codetether.contracts.cognition.PersonaIdentity;
import run.codetether.contracts.cognition.PersonaPolicy;
import run.codetether.contracts.cognition.PersonaRuntimeState;
import run.codetether.contracts.cognition.Proposal;
import run.codetether.contracts.cognition.ProposalRisk;
import run.codetether.contracts.cognition.ProposalStatus;
import run.codetether.contracts.cognition.ReapPersonaRequest;
import run.codetether.contracts.cognition.ReapPersonaResponse;
import run.codetether.contracts.cognition.SpawnPersonaRequest;
import run.codetether.contracts.cognition.StartCognitionRequest;
import run.codetether.contracts.cognition.StopCognitionRequest;
import run.codetether.contracts.cognition.ThoughtEvent;
import run.codetether.contracts.cognition.ThoughtEventType;
import run.codetether.swarm.domain.cognition.CognitionException.Kind;
import run.codetether.swarm.domain.cognition.Thoughts.Phase;

/**
 * The persona runtime of the original's perpetual cognition: personas in a lineage tree bounded by spawn depth and
 * branching, and a loop whose {@link #tick} runs observe -> reflect -> test -> compress for every active persona
 * (one phase per tick and persona). Thoughts come from a {@link Thinker}; when it fails or is absent, deterministic
 * text is used and the error is recorded in the event payload ({@code source: fallback}, {@code error}). Cognition
 * only emits events and proposals; it never acts. Events, snapshots and proposals are kept in bounded buffers, oldest
 * dropped first (dropped proposals are counted), and passed to the {@link CognitionSink}. The personas and their
 * lineage rules are a {@link PersonaTree}.
 * Thread-safe; the thinker is called outside the lock.
 */
public final class CognitionRuntime {
    private final CognitionSettings settings;
    private final Thinker thinker;
    private final CognitionSink sink;
    private final Clock clock;

    private final PersonaTree personas = new PersonaTree();
    /** The newest proposals, oldest first, at most {@code settings.maxProposals()}. */
    private final Map<String, Proposal> proposals = new LinkedHashMap<>();
    /** Proposals the bound dropped, oldest first, since cognition first ran (carried over by a takeover). */
    private long proposalsDropped;
    private final Deque<ThoughtEvent> events = new ArrayDeque<>();
    private final Deque<MemorySnapshot> snapshots = new ArrayDeque<>();
    private final TokenBudget budget = new TokenBudget();
    private boolean running;
    private long loopIntervalMs;
    private Instant startedAt;
    private Instant lastTickAt;

    /** @param thinker null when the thinker is off: every thought is the deterministic fallback */
    public CognitionRuntime(CognitionSettings settings, Thinker thinker, CognitionSink sink, Clock clock) {
        this.settings = settings;
        this.thinker = thinker;
        this.sink = sink;
        this.clock = clock;
        this.loopIntervalMs = settings.loopIntervalMs();
    }

    /** Starts the loop; seeds {@code root-thinker} (or the request's seed persona) when there is no persona yet. */
    public synchronized CognitionStatus start(StartCognitionRequest request) {
        if (!settings.enabled()) {
            throw new CognitionException(Kind.DISABLED,
                    "Perpetual cognition is disabled. Set CODETETHER_COGNITION_ENABLED=true.");
        }
        if (request != null && request.loopIntervalMs() != null) {
            loopIntervalMs = Math.max(100, request.loopIntervalMs());
        }
        if (personas.isEmpty()) {
            createPersona(request != null && request.seedPersona() != null ? request.seedPersona() : rootThinker());
        }
        if (!running) {
            running = true;
            startedAt = now();
        }
        return status();
    }

    public synchronized CognitionStatus stop(StopCognitionRequest request) {
        running = false;
        if (request != null && request.reason() != null) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("stopped", true);
            payload.put("reason", request.reason());
            push(event(ThoughtEventType.CHECK_RESULT, null, null, payload));
        }
        return status();
    }

    public synchronized CognitionStatus status() {
        return new CognitionStatus(settings.enabled(), running, loopIntervalMs, startedAt, lastTickAt, personas.size(),
                personas.active(), events.size(), snapshots.size());
    }

    public synchronized boolean running() {
        return running;
    }

    public synchronized long loopIntervalMs() {
        return loopIntervalMs;
    }

    public synchronized PersonaRuntimeState createPersona(CreatePersonaRequest req) {
        PersonaRuntimeState state = personas.create(req, defaultPolicy(), now());
        PersonaIdentity identity = state.identity();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("name", identity.name());
        payload.put("role", identity.role());
        payload.put("depth", identity.depth());
        push(event(ThoughtEventType.PERSONA_SPAWNED, identity.id(), identity.swarmId(), payload));
        return state;
    }

    public synchronized PersonaRuntimeState spawn(String parentId, SpawnPersonaRequest req) {
        if (!personas.contains(parentId)) {
            throw new CognitionException(Kind.NOT_FOUND, "Persona not found: " + parentId);
        }
        return createPersona(req.under(parentId));
    }

    /** Marks a persona reaped, with {@code cascade} its whole subtree too. */
    public synchronized ReapPersonaResponse reap(String personaId, ReapPersonaRequest req) {
        boolean cascade = req != null && req.cascadeOrFalse();
        List<String> ids = personas.reap(personaId, cascade, now());
        String reason = req != null && req.reason() != null ? req.reason() : "manual_reap";
        for (String id : ids) {
            push(event(ThoughtEventType.PERSONA_REAPED, id, null, Map.of("reason", reason, "cascade", cascade)));
        }
        return new ReapPersonaResponse(ids, ids.size());
    }

    public synchronized LineageGraph lineage() {
        return personas.lineage();
    }

    public synchronized Optional<MemorySnapshot> latestSnapshot() {
        return Optional.ofNullable(snapshots.peekLast());
    }

    public synchronized List<PersonaRuntimeState> personas() {
        return personas.all();
    }

    /** The newest proposals, oldest first: at most the settings' bound, what each published View carries. */
    public synchronized List<Proposal> proposals() {
        return List.copyOf(proposals.values());
    }

    /** How many older proposals the bound dropped. */
    public synchronized long proposalsDropped() {
        return proposalsDropped;
    }

    public synchronized List<ThoughtEvent> events() {
        return List.copyOf(events);
    }

    /**
     * Takes over the state another replica published last (personas, proposals, loop settings), so a new owner of
     * {@code cognition.commands} carries on where the previous one stopped. Buffers start empty: the gateways hold
     * the event history.
     */
    public synchronized void restore(List<PersonaRuntimeState> savedPersonas, List<Proposal> savedProposals,
            CognitionStatus savedStatus) {
        restore(savedPersonas, savedProposals, 0, savedStatus);
    }

    /**
     * As {@link #restore(List, List, CognitionStatus)}, with the count of proposals the previous owner dropped; a
     * View longer than this replica's bound (another setting there) keeps its newest, the rest counted.
     */
    public synchronized void restore(List<PersonaRuntimeState> savedPersonas, List<Proposal> savedProposals,
            long savedDropped, CognitionStatus savedStatus) {
        personas.replace(savedPersonas);
        proposals.clear();
        proposalsDropped = Math.max(0, savedDropped);
        savedProposals.forEach(this::keep);
        if (savedStatus != null) {
            running = savedStatus.running() && settings.enabled();
            loopIntervalMs = Math.max(100, savedStatus.loopIntervalMs());
            startedAt = savedStatus.startedAt();
            lastTickAt = savedStatus.lastTickAt();
        }
    }

    /**
     * One loop iteration: the next phase for every active persona. Does nothing while stopped.
     *
     * @return how many personas thought (0: stopped or none active, nothing changed but the tick time)
     */
    public int tick() {
        List<Work> work = new ArrayList<>();
        synchronized (this) {
            if (!running) {
                return 0;
            }
            Instant now = now();
            lastTickAt = now;
            for (PersonaRuntimeState p : personas.advanceActive(now)) {
                long count = p.thoughtCount();
                work.add(new Work(p.identity(), count, Phase.of(count), context(p.identity().id(), 8),
                        budget.overBudget(p, now)));
            }
        }
        for (Work w : work) {
            Thought t = think(w);
            synchronized (this) {
                record(w, t);
            }
        }
        return work.size();
    }

    /** @param overBudget why the persona may not call the model this tick, or null */
    private record Work(PersonaIdentity who, long count, Phase phase, List<ThoughtEvent> context, String overBudget) {}

    private record Thought(String text, String source, String model, String finishReason, Integer promptTokens,
            Integer completionTokens, Integer totalTokens, long latencyMs, String error) {}

    private Thought think(Work w) {
        long started = System.nanoTime();
        String fallback = Thoughts.fallback(w.phase, w.who.role(), w.who.charter(), w.count, w.context);
        if (w.overBudget != null) {
            return new Thought(fallback, "fallback", null, null, null, null, null, elapsed(started), w.overBudget);
        }
        if (thinker == null) {
            return new Thought(fallback, "fallback", null, null, null, null, null, elapsed(started),
                    "thinker disabled (CODETETHER_COGNITION_THINKER_ENABLED=false)");
        }
        try {
            Thinker.Output out = thinker.think(Thoughts.SYSTEM, Thoughts.userPrompt(w.phase, w.who.id(), w.who.name(),
                    w.who.role(), w.who.charter(), w.count, w.context));
            String text = Thoughts.trim(out.text(), 2_000);
            if (text.isEmpty()) {
                return new Thought(fallback, "fallback", out.model(), out.finishReason(), null, null, null,
                        elapsed(started), "thinker returned empty text");
            }
            return new Thought(text, "model", out.model(), out.finishReason(), out.promptTokens(),
                    out.completionTokens(), out.totalTokens(), elapsed(started), null);
        } catch (RuntimeException e) {
            return new Thought(fallback, "fallback", null, null, null, null, null, elapsed(started),
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private void record(Work w, Thought t) {
        String pid = w.who.id();
        if ("model".equals(t.source())) {
            budget.spend(pid, t.totalTokens(), t.promptTokens(), t.completionTokens(), t.text(), now());
        }
        String swarm = w.who.swarmId();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("phase", w.phase.wire());
        payload.put("thought_count", w.count);
        payload.put("persona", Map.of("id", pid, "name", w.who.name(), "role", w.who.role()));
        payload.put("context_event_count", w.context.size());
        payload.put("thinking", t.text());
        payload.put("source", t.source());
        payload.put("model", t.model());
        payload.put("finish_reason", t.finishReason());
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("prompt_tokens", t.promptTokens());
        usage.put("completion_tokens", t.completionTokens());
        usage.put("total_tokens", t.totalTokens());
        payload.put("usage", usage);
        payload.put("latency_ms", t.latencyMs());
        payload.put("error", t.error());
        push(event(w.phase.eventType, pid, swarm, payload));
        if (w.phase == Phase.TEST) {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("phase", w.phase.wire());
            check.put("thought_count", w.count);
            check.put("result_excerpt", Thoughts.trim(t.text(), 280));
            check.put("source", t.source());
            check.put("model", t.model());
            push(event(ThoughtEventType.CHECK_RESULT, pid, swarm, check));
        }
        if (w.phase == Phase.REFLECT && w.count % 8 == 2) {
            Proposal proposal = new Proposal(UUID.randomUUID().toString(), pid, Thoughts.proposalTitle(t.text(), w.count),
                    Thoughts.trim(t.text(), 900), List.of("internal.thought_stream"), ProposalRisk.LOW,
                    ProposalStatus.CREATED, now());
            keep(proposal);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("proposal_id", proposal.id());
            p.put("title", proposal.title());
            p.put("rationale_excerpt", Thoughts.trim(proposal.rationale(), 220));
            p.put("source", t.source());
            p.put("model", t.model());
            push(event(ThoughtEventType.PROPOSAL_CREATED, pid, swarm, p));
        }
        if (w.phase == Phase.COMPRESS) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("phase", w.phase.wire());
            meta.put("role", w.who.role());
            meta.put("source", t.source());
            meta.put("model", t.model() == null ? "fallback" : t.model());
            meta.put("completion_tokens", t.completionTokens() == null ? 0 : t.completionTokens());
            if (t.error() != null) {
                meta.put("error", t.error());
            }
            MemorySnapshot snapshot = new MemorySnapshot(UUID.randomUUID().toString(), now(), swarm, List.of(pid),
                    Thoughts.trim(t.text(), 1_500), w.context.size(), Thoughts.factCount(t.text()), 1, meta);
            snapshots.addLast(snapshot);
            while (snapshots.size() > settings.maxSnapshots()) {
                snapshots.removeFirst();
            }
            sink.snapshot(snapshot);
        }
    }

    /** Keeps a proposal, dropping (and counting) the oldest past the bound. */
    private void keep(Proposal proposal) {
        proposals.put(proposal.id(), proposal);
        var oldest = proposals.keySet().iterator();
        while (proposals.size() > settings.maxProposals()) {
            oldest.next();
            oldest.remove();
            proposalsDropped++;
        }
    }

    private List<ThoughtEvent> context(String personaId, int limit) {
        List<ThoughtEvent> mine = new ArrayList<>();
        var it = events.descendingIterator();
        while (it.hasNext() && mine.size() < limit) {
            ThoughtEvent e = it.next();
            if (personaId.equals(e.personaId())) {
                mine.add(0, e);
            }
        }
        return mine;
    }

    private void push(ThoughtEvent event) {
        events.addLast(event);
        while (events.size() > settings.maxEvents()) {
            events.removeFirst();
        }
        sink.event(event);
    }

    private ThoughtEvent event(ThoughtEventType type, String personaId, String swarmId, Map<String, Object> payload) {
        return new ThoughtEvent(UUID.randomUUID().toString(), type, personaId, swarmId, now(), payload);
    }

    private PersonaPolicy defaultPolicy() {
        PersonaPolicy d = PersonaPolicy.defaults();
        return new PersonaPolicy(settings.maxSpawnDepth(), settings.maxBranchingFactor(), d.tokenCreditsPerMinute(),
                d.cpuCreditsPerMinute(), d.idleTtlSecs(), d.shareMemory());
    }

    private static CreatePersonaRequest rootThinker() {
        return new CreatePersonaRequest("root-thinker", "root-thinker", "orchestrator",
                "Continuously observe, reflect, test hypotheses, and compress useful insights.", "swarm-core", null,
                null);
    }

    private static long elapsed(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private Instant now() {
        return clock.instant();
    }
}
