package run.codetether.swarm.domain.cognition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.cognition.CreatePersonaRequest;
import run.codetether.contracts.cognition.MemorySnapshot;
import run.codetether.contracts.cognition.PersonaStatus;
import run.codetether.contracts.cognition.ReapPersonaRequest;
import run.codetether.contracts.cognition.SpawnPersonaRequest;
import run.codetether.contracts.cognition.StartCognitionRequest;
import run.codetether.contracts.cognition.StopCognitionRequest;
import run.codetether.contracts.cognition.ThoughtEvent;
import run.codetether.contracts.cognition.ThoughtEventType;

class CognitionRuntimeTest {
    private final List<ThoughtEvent> sunk = new ArrayList<>();
    private final List<MemorySnapshot> snapshots = new ArrayList<>();
    private final CognitionSink sink = new CognitionSink() {
        @Override
        public void event(ThoughtEvent event) {
            sunk.add(event);
        }

        @Override
        public void snapshot(MemorySnapshot snapshot) {
            snapshots.add(snapshot);
        }
    };

    private CognitionRuntime runtime(Thinker thinker) {
        return new CognitionRuntime(CognitionSettings.defaults(), thinker, sink, Clock.systemUTC());
    }

    private static SpawnPersonaRequest child(String id) {
        return new SpawnPersonaRequest(id, id, "worker", "help", null, null);
    }

    @Test
    void startSeedsRootThinkerOnlyWhenThereIsNoPersona() {
        var rt = runtime(null);
        var status = rt.start(null);
        assertTrue(status.running());
        assertEquals(1, status.personaCount());
        assertEquals("root-thinker", rt.personas().get(0).identity().id());
        assertEquals("swarm-core", rt.personas().get(0).identity().swarmId());
        assertEquals(ThoughtEventType.PERSONA_SPAWNED, sunk.get(0).eventType());
        rt.start(null);
        assertEquals(1, rt.personas().size(), "a second start seeds nothing");
    }

    @Test
    void startUsesTheGivenSeedPersonaAndInterval() {
        var rt = runtime(null);
        var status = rt.start(new StartCognitionRequest(500L,
                new CreatePersonaRequest("seed", "Seed", "lead", "lead things", null, null, null)));
        assertEquals(500, status.loopIntervalMs());
        assertEquals("seed", rt.personas().get(0).identity().id());
        assertEquals(100, rt.start(new StartCognitionRequest(5L, null)).loopIntervalMs(), "interval floor is 100 ms");
    }

    @Test
    void aDisabledRuntimeRefusesToStart() {
        var rt = new CognitionRuntime(new CognitionSettings(false, 2000, 4, 4, 2000, 128), null, sink, Clock.systemUTC());
        var e = assertThrows(CognitionException.class, () -> rt.start(null));
        assertEquals(CognitionException.Kind.DISABLED, e.kind());
        assertTrue(e.getMessage().contains("CODETETHER_COGNITION_ENABLED"));
        assertFalse(rt.status().enabled());
    }

    @Test
    void theLoopRunsObserveReflectTestCompressWithFallbackThoughts() {
        var rt = runtime(null);
        rt.tick();
        assertTrue(sunk.isEmpty(), "no ticks before start");
        rt.start(null);
        sunk.clear();
        for (int i = 0; i < 4; i++) {
            rt.tick();
        }
        assertEquals(List.of(ThoughtEventType.THOUGHT_GENERATED, ThoughtEventType.HYPOTHESIS_RAISED,
                ThoughtEventType.PROPOSAL_CREATED, ThoughtEventType.CHECK_REQUESTED, ThoughtEventType.CHECK_RESULT,
                ThoughtEventType.SNAPSHOT_COMPRESSED), sunk.stream().map(ThoughtEvent::eventType).toList());
        Map<String, Object> p = sunk.get(0).payload();
        assertEquals("observe", p.get("phase"));
        assertEquals("fallback", p.get("source"));
        assertTrue(((String) p.get("thinking")).startsWith("Observation 1:"));
        assertTrue(((String) p.get("error")).contains("thinker disabled"));
        assertEquals(1, snapshots.size());
        assertEquals(List.of("root-thinker"), snapshots.get(0).personaScope());
        assertEquals(snapshots.get(0), rt.latestSnapshot().orElseThrow());
        assertEquals(1, rt.proposals().size());
        assertEquals(4, rt.personas().get(0).thoughtCount());
        assertEquals(1, rt.status().snapshotsBuffered());
    }

    @Test
    void aFailingThinkerFallsBackAndRecordsTheError() {
        var rt = runtime((s, u) -> {
            throw new IllegalStateException("HTTP 500 from thinker");
        });
        rt.start(null);
        for (int i = 0; i < 4; i++) {
            rt.tick();
        }
        ThoughtEvent observe = sunk.stream().filter(e -> e.eventType() == ThoughtEventType.THOUGHT_GENERATED).findFirst().orElseThrow();
        assertEquals("fallback", observe.payload().get("source"));
        assertEquals("HTTP 500 from thinker", observe.payload().get("error"));
        assertEquals("HTTP 500 from thinker", snapshots.get(0).metadata().get("error"));
    }

    @Test
    void aWorkingThinkerWritesTheThoughtsAndSeesThePhasePrompt() {
        List<String> prompts = new ArrayList<>();
        var rt = runtime((s, u) -> {
            prompts.add(u);
            return new Thinker.Output("Signal: queue depth rising.", "tiny", "stop", 10, 5, 15);
        });
        rt.start(null);
        rt.tick();
        var e = sunk.get(sunk.size() - 1);
        assertEquals("model", e.payload().get("source"));
        assertEquals("Signal: queue depth rising.", e.payload().get("thinking"));
        assertEquals("tiny", e.payload().get("model"));
        assertTrue(e.payload().get("error") == null);
        assertTrue(prompts.get(0).contains("phase: observe") && prompts.get(0).contains("persona_id: root-thinker"));
    }

    @Test
    void spawnDepthLimitIsEnforcedAndNamed() {
        var rt = runtime(null);
        rt.start(null);
        String parent = "root-thinker";
        for (int depth = 1; depth <= 4; depth++) {
            var state = rt.spawn(parent, child("d" + depth));
            assertEquals(depth, state.identity().depth());
            assertEquals("swarm-core", state.identity().swarmId(), "children inherit the swarm");
            parent = "d" + depth;
        }
        String deepest = parent;
        var e = assertThrows(CognitionException.class, () -> rt.spawn(deepest, child("d5")));
        assertEquals(CognitionException.Kind.LIMIT, e.kind());
        assertTrue(e.getMessage().contains("max_spawn_depth 4"), e.getMessage());
    }

    @Test
    void branchingLimitIsEnforcedAndReapedChildrenFreeASlot() {
        var rt = runtime(null);
        rt.start(null);
        for (int i = 0; i < 4; i++) {
            rt.spawn("root-thinker", child("c" + i));
        }
        var e = assertThrows(CognitionException.class, () -> rt.spawn("root-thinker", child("c4")));
        assertEquals(CognitionException.Kind.LIMIT, e.kind());
        assertTrue(e.getMessage().contains("max_branching_factor 4"), e.getMessage());
        rt.reap("c0", null);
        rt.spawn("root-thinker", child("c4"));
    }

    @Test
    void unknownDuplicateAndReapedParentsAreRefused() {
        var rt = runtime(null);
        rt.start(null);
        assertEquals(CognitionException.Kind.NOT_FOUND, assertThrows(CognitionException.class,
                () -> rt.spawn("nobody", child("x"))).kind());
        assertEquals(CognitionException.Kind.NOT_FOUND, assertThrows(CognitionException.class,
                () -> rt.reap("nobody", null)).kind());
        assertEquals(CognitionException.Kind.CONFLICT, assertThrows(CognitionException.class,
                () -> rt.spawn("root-thinker", child("root-thinker"))).kind());
        rt.spawn("root-thinker", child("a"));
        rt.reap("a", null);
        assertEquals(CognitionException.Kind.CONFLICT, assertThrows(CognitionException.class,
                () -> rt.spawn("a", child("b"))).kind());
    }

    @Test
    void reapCascadesThroughTheSubtreeAndLineageShowsIt() {
        var rt = runtime(null);
        rt.start(null);
        rt.spawn("root-thinker", child("a"));
        rt.spawn("a", child("a1"));
        rt.spawn("a1", child("a11"));
        rt.spawn("root-thinker", child("b"));
        var one = rt.reap("b", new ReapPersonaRequest(null, null));
        assertEquals(List.of("b"), one.reapedIds());
        var all = rt.reap("a", new ReapPersonaRequest(true, "done"));
        assertEquals(List.of("a", "a1", "a11"), all.reapedIds());
        assertEquals(3, all.count());
        var graph = rt.lineage();
        assertEquals(List.of("root-thinker"), graph.roots());
        assertEquals(4, graph.totalEdges());
        var root = graph.nodes().stream().filter(n -> n.personaId().equals("root-thinker")).findFirst().orElseThrow();
        assertEquals(List.of("a", "b"), root.children());
        assertTrue(graph.nodes().stream().filter(n -> n.personaId().startsWith("a")).allMatch(n -> n.status() == PersonaStatus.REAPED));
        assertEquals(1, rt.status().activePersonaCount());
        assertEquals("done", sunk.get(sunk.size() - 1).payload().get("reason"));
    }

    @Test
    void buffersAreBoundedOldestFirst() {
        var rt = new CognitionRuntime(new CognitionSettings(true, 100, 4, 4, 32, 8), null, sink, Clock.systemUTC());
        rt.start(null);
        for (int i = 0; i < 4; i++) {
            rt.spawn("root-thinker", child("p" + i));
        }
        for (int i = 0; i < 40; i++) {
            rt.tick();
        }
        assertEquals(32, rt.status().eventsBuffered());
        assertEquals(8, rt.status().snapshotsBuffered());
        assertEquals(sunk.subList(sunk.size() - 32, sunk.size()), rt.events());
        assertEquals(snapshots.get(snapshots.size() - 1), rt.latestSnapshot().orElseThrow());
    }

    @Test
    void proposalsAreBoundedOldestDroppedAndCountedAndATakeoverKeepsTheCount() {
        var rt = new CognitionRuntime(new CognitionSettings(true, 100, 4, 4, 2000, 128, 4), null, sink,
                Clock.systemUTC());
        rt.start(null);
        for (int i = 0; i < 4; i++) {
            rt.spawn("root-thinker", child("p" + i));
        }
        for (int i = 0; i < 40; i++) {
            rt.tick();
        }
        List<Object> created = sunk.stream().filter(e -> e.eventType() == ThoughtEventType.PROPOSAL_CREATED)
                .map(e -> e.payload().get("proposal_id")).toList();
        assertEquals(25, created.size(), "five personas, one proposal every eight thoughts each");
        assertEquals(created.subList(21, 25), rt.proposals().stream().map(p -> (Object) p.id()).toList(),
                "the newest four, oldest first");
        assertEquals(21, rt.proposalsDropped());

        // a new owner with a smaller bound keeps the View's newest and counts the rest
        var next = new CognitionRuntime(new CognitionSettings(true, 100, 4, 4, 2000, 128, 2), null, sink,
                Clock.systemUTC());
        next.restore(rt.personas(), rt.proposals(), rt.proposalsDropped(), rt.status());
        assertEquals(created.subList(23, 25), next.proposals().stream().map(p -> (Object) p.id()).toList());
        assertEquals(23, next.proposalsDropped());
    }

    @Test
    void stopHaltsTheLoopAndRecordsTheReason() {
        var rt = runtime(null);
        rt.start(null);
        var status = rt.stop(new StopCognitionRequest("maintenance"));
        assertFalse(status.running());
        var last = sunk.get(sunk.size() - 1);
        assertEquals(ThoughtEventType.CHECK_RESULT, last.eventType());
        assertEquals(true, last.payload().get("stopped"));
        int before = sunk.size();
        rt.tick();
        assertEquals(before, sunk.size());
    }
}
