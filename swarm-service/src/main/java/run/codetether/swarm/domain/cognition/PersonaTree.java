package run.codetether.swarm.domain.cognition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import run.codetether.contracts.cognition.CreatePersonaRequest;
import run.codetether.contracts.cognition.LineageGraph;
import run.codetether.contracts.cognition.PersonaIdentity;
import run.codetether.contracts.cognition.PersonaPolicy;
import run.codetether.contracts.cognition.PersonaRuntimeState;
import run.codetether.contracts.cognition.PersonaStatus;
import run.codetether.swarm.domain.cognition.CognitionException.Kind;

/**
 * The personas of the cognition runtime and the rules of their lineage: a child inherits its parent's policy and
 * swarm, within the parent's spawn depth and branching factor; a reaped persona stays in the tree (its lineage is
 * history) but takes no new children. Split from {@link CognitionRuntime}, which owns the loop and the events: the
 * tree only decides and records. Not thread-safe: the runtime calls it under its own lock.
 */
final class PersonaTree {
    private final Map<String, PersonaRuntimeState> personas = new LinkedHashMap<>();

    boolean isEmpty() {
        return personas.isEmpty();
    }

    int size() {
        return personas.size();
    }

    int active() {
        return (int) personas.values().stream().filter(p -> p.status() == PersonaStatus.ACTIVE).count();
    }

    boolean contains(String id) {
        return personas.containsKey(id);
    }

    List<PersonaRuntimeState> all() {
        return List.copyOf(personas.values());
    }

    LineageGraph lineage() {
        return Lineage.of(personas.values());
    }

    /**
     * Adds a persona under its parent (or as a root) once the lineage rules allow it.
     *
     * @param fallback the policy of a root persona whose request names none
     * @throws CognitionException NOT_FOUND for an unknown parent, CONFLICT for a reaped parent or a taken id, LIMIT
     *         past the parent's branching factor or spawn depth
     */
    PersonaRuntimeState create(CreatePersonaRequest req, PersonaPolicy fallback, Instant now) {
        int depth = 0;
        String parentSwarm = null;
        PersonaPolicy inherited = null;
        if (req.parentId() != null) {
            PersonaRuntimeState parent = personas.get(req.parentId());
            if (parent == null) {
                throw new CognitionException(Kind.NOT_FOUND, "Persona not found: " + req.parentId());
            }
            if (parent.status() == PersonaStatus.REAPED) {
                throw new CognitionException(Kind.CONFLICT, "Parent persona " + req.parentId() + " is reaped");
            }
            parentSwarm = parent.identity().swarmId();
            depth = parent.identity().depth() + 1;
            inherited = parent.policy();
            long children = personas.values().stream().filter(p -> req.parentId().equals(p.identity().parentId())
                    && p.status() != PersonaStatus.REAPED).count();
            if (children >= inherited.maxBranchingFactor()) {
                throw new CognitionException(Kind.LIMIT, "Branching limit reached: parent " + req.parentId()
                        + " already has " + children + " children (max_branching_factor " + inherited.maxBranchingFactor() + ")");
            }
        }
        PersonaPolicy policy = req.policy() != null ? req.policy() : inherited != null ? inherited : fallback;
        int depthLimit = inherited != null ? inherited.maxSpawnDepth() : policy.maxSpawnDepth();
        if (depth > depthLimit) {
            throw new CognitionException(Kind.LIMIT, "Spawn depth limit reached: depth " + depth
                    + " exceeds max_spawn_depth " + depthLimit);
        }
        String id = req.personaId() != null ? req.personaId() : UUID.randomUUID().toString();
        if (personas.containsKey(id)) {
            throw new CognitionException(Kind.CONFLICT, "Persona id already exists: " + id);
        }
        var identity = new PersonaIdentity(id, req.name(), req.role(), req.charter(),
                req.swarmId() != null ? req.swarmId() : parentSwarm, req.parentId(), depth, now);
        var state = new PersonaRuntimeState(identity, policy, PersonaStatus.ACTIVE, 0, null, now);
        personas.put(id, state);
        return state;
    }

    /**
     * Marks a persona reaped, with {@code cascade} its whole subtree too.
     *
     * @return the ids reaped, the persona first
     * @throws CognitionException NOT_FOUND for an unknown persona
     */
    List<String> reap(String personaId, boolean cascade, Instant now) {
        if (!personas.containsKey(personaId)) {
            throw new CognitionException(Kind.NOT_FOUND, "Persona not found: " + personaId);
        }
        List<String> ids = new ArrayList<>(List.of(personaId));
        for (int i = 0; cascade && i < ids.size(); i++) {
            String current = ids.get(i);
            personas.values().stream().filter(p -> current.equals(p.identity().parentId()))
                    .map(p -> p.identity().id()).filter(c -> !ids.contains(c)).forEach(ids::add);
        }
        for (String id : ids) {
            PersonaRuntimeState p = personas.get(id);
            personas.put(id, new PersonaRuntimeState(p.identity(), p.policy(), PersonaStatus.REAPED, p.thoughtCount(),
                    p.lastTickAt(), now));
        }
        return ids;
    }

    /** Counts one more thought for every active persona; returns them as they are now. */
    List<PersonaRuntimeState> advanceActive(Instant now) {
        List<PersonaRuntimeState> advanced = new ArrayList<>();
        for (PersonaRuntimeState p : List.copyOf(personas.values())) {
            if (p.status() != PersonaStatus.ACTIVE) {
                continue;
            }
            var next = new PersonaRuntimeState(p.identity(), p.policy(), p.status(), p.thoughtCount() + 1, now, now);
            personas.put(p.identity().id(), next);
            advanced.add(next);
        }
        return advanced;
    }

    /** Replaces every persona with the saved ones (a take-over). */
    void replace(List<PersonaRuntimeState> saved) {
        personas.clear();
        saved.forEach(p -> personas.put(p.identity().id(), p));
    }
}
