package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskEvent;

/**
 * A blocking send subscribes to the task it is starting before anything of it is written: the id was just made,
 * so the view looks it up nowhere (a lookup per accepted task in the store's tree, always a miss), and the waiter
 * still sees every event of the task.
 */
class NewTaskSubscribeTest {
    /** Lookups of a task by id in the store (no cache in front of it: a lookup here is a lookup there). */
    private final AtomicInteger lookups = new AtomicInteger();
    private final TaskStore store = counting(new InMemoryTaskStore());
    private final TaskView view = new TaskView(store, new TaskCache(0, 0), e -> { }, (a, b) -> { });

    private TaskStore counting(TaskStore real) {
        return (TaskStore) Proxy.newProxyInstance(TaskStore.class.getClassLoader(), new Class<?>[] {TaskStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("get")) {
                        lookups.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static SendRequest send() {
        return new SendRequest(new Message("m1", Role.USER, List.of(Part.Text.of("hi")), null, null, null, null, null),
                null, null, true, List.of(), null, java.util.Map.of());
    }

    @Test
    void aStartingTaskIsSubscribedWithoutALookupAndItsWaiterSeesItsEvents() throws Exception {
        TaskEngine engine = new TaskEngine(new RecordingTaskLog(0), view, "test");
        List<TaskEvent> seen = new CopyOnWriteArrayList<>();

        TaskEngine.Accepted accepted = engine.send(send(), new Caller("alice"), (event, after, offset) -> seen.add(event))
                .get(5, TimeUnit.SECONDS);

        assertEquals(0, lookups.get(), "a task id made by this start is looked up nowhere");
        assertEquals(1, seen.size(), "the waiter saw the submitted status with the message: " + seen);
        assertEquals("hi", ((TaskEvent.StatusChanged) seen.get(0)).accepted().text());
        assertEquals(TaskState.SUBMITTED, view.get(accepted.task().id()).orElseThrow().status().state());
    }

    @Test
    void aSubscribeToAnIdAClientNamedStillFindsTheStoredTask() {
        TaskEngine engine = new TaskEngine(new RecordingTaskLog(0), view, "test");
        String id = engine.send(send(), new Caller("alice"), null).join().task().id();
        // out of memory (finished tasks leave it): only the store has it
        view.apply(new TaskEvent.StatusChanged(id, view.get(id).orElseThrow().contextId(), "w",
                new run.codetether.contracts.a2a.TaskStatus(TaskState.COMPLETED, null, null),
                run.codetether.contracts.events.Progress.NONE, java.util.Map.of(), java.time.Instant.now()), 10, v -> { });
        int before = lookups.get();

        TaskView.Versioned found = view.subscribe(id, (event, after, offset) -> { });

        assertTrue(lookups.get() > before, "an id the client named is looked up");
        assertEquals(TaskState.COMPLETED, found.task().status().state());
    }
}
