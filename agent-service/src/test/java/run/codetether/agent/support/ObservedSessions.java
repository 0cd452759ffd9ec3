package run.codetether.agent.support;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import run.codetether.agent.domain.port.SessionStore;
import run.codetether.agent.domain.session.Session;

/**
 * A session store that tells {@code onSave} of each save after it is stored (as a sent record lands in any case):
 * where a test hands a run over or kills it right after a given state was saved.
 */
public record ObservedSessions(SessionStore store, Consumer<Session> onSave) implements SessionStore {
    @Override
    public Optional<Session> load(String contextId) {
        return store.load(contextId);
    }

    @Override
    public void save(Session session) {
        store.save(session);
        onSave.accept(session);
    }

    @Override
    public void saveSoon(Session session) {
        store.saveSoon(session);
        onSave.accept(session);
    }

    @Override
    public List<Session> list() {
        return store.list();
    }
}
