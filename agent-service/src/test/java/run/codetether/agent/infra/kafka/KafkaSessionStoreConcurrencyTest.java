package run.codetether.agent.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.session.Session;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.SharedKafkaBroker;

/** The session store under many virtual threads: no broker call under a shared lock, per-session order kept. */
class KafkaSessionStoreConcurrencyTest {

    private static String sessionsTopic() {
        String topic = "sessions-conc-" + UUID.randomUUID();
        SharedKafkaBroker.get().createTopics(List.of(new Topics.Spec(topic, 3, true, Topics.SESSION_MAX_MESSAGE_BYTES)));
        return topic;
    }

    @Test
    void aLoadWhoseRecordIsKnownDoesNotWaitForTheReadingConsumer() throws Exception {
        try (KafkaSessionStore store = new KafkaSessionStore(SharedKafkaBroker.bootstrapServers(), sessionsTopic())) {
            Session s = new Session("ctx-cached");
            s.messages.add(new ChatMessage.User("hello"));
            store.save(s);
            assertEquals(1, store.load("ctx-cached").orElseThrow().messages.size()); // partition indexed

            // another load holds the one consumer (a long fetch of a session this replica has not cached)
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = Thread.ofPlatform().start(() -> {
                store.readerLock().lock();
                try {
                    held.countDown();
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    store.readerLock().unlock();
                }
            });
            assertTrue(held.await(5, TimeUnit.SECONDS));
            try {
                CompletableFuture<Session> load = new CompletableFuture<>();
                Thread.ofVirtual().start(() -> load.complete(store.load("ctx-cached").orElseThrow()));
                // end offset from the admin client, index lookup, record from the cache: nothing waits for the reader
                assertEquals("hello", ((ChatMessage.User) load.get(10, TimeUnit.SECONDS).messages.get(0)).text());
            } finally {
                release.countDown();
                holder.join();
            }
        }
    }

    @Test
    void manyVirtualThreadsSaveAndLoadTheirOwnSessionsAtOnce() throws Exception {
        String topic = sessionsTopic();
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        int sessions = 64;
        try (KafkaSessionStore store = new KafkaSessionStore(bootstrap, topic);
                KafkaSessionStore otherReplica = new KafkaSessionStore(bootstrap, topic);
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                String ctx = "ctx-" + i;
                runs.add(threads.submit(() -> {
                    Session s = store.load(ctx).orElseGet(() -> new Session(ctx));
                    for (int turn = 0; turn < 5; turn++) {
                        s.messages.add(new ChatMessage.User(ctx + " turn " + turn));
                        if (turn % 2 == 0) {
                            store.saveSoon(s); // as a tool result: the next awaited save covers it
                        } else {
                            store.save(s);
                            s = store.load(ctx).orElseThrow(); // as a resumed run
                        }
                    }
                    store.save(s);
                    return s.messages.size();
                }));
            }
            for (Future<Integer> run : runs) {
                assertEquals(5, run.get(60, TimeUnit.SECONDS));
            }
            for (int i = 0; i < sessions; i++) {
                Session read = otherReplica.load("ctx-" + i).orElseThrow();
                assertEquals(5, read.messages.size(), "ctx-" + i);
                assertEquals("ctx-" + i + " turn 4", ((ChatMessage.User) read.messages.get(4)).text());
            }
        }
    }

    /**
     * 64 runs start at once on a replica whose index is up (issue 18's c=64 run start): their end-offset lookups share
     * requests ({@link EndOffsets}), and each still sees the session another replica saved before the loads began.
     */
    @Test
    void sixtyFourLoadsAtOnceEachSeeWhatAnotherReplicaSavedBeforeThem() throws Exception {
        String topic = sessionsTopic();
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        int sessions = 64;
        try (KafkaSessionStore writer = new KafkaSessionStore(bootstrap, topic);
                KafkaSessionStore starting = new KafkaSessionStore(bootstrap, topic);
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            assertTrue(starting.load("ctx-warm").isEmpty()); // its index follows every partition from here on
            for (int i = 0; i < sessions; i++) {
                Session s = new Session("ctx-at-once-" + i);
                s.messages.add(new ChatMessage.User("saved by the other replica " + i));
                writer.save(s);
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Session>> loads = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                String ctx = "ctx-at-once-" + i;
                loads.add(threads.submit(() -> {
                    go.await();
                    return starting.load(ctx).orElseThrow(() -> new AssertionError(ctx + " not seen"));
                }));
            }
            go.countDown();
            for (int i = 0; i < sessions; i++) {
                Session read = loads.get(i).get(60, TimeUnit.SECONDS);
                assertEquals("saved by the other replica " + i, ((ChatMessage.User) read.messages.get(0)).text());
            }
        }
    }
}
