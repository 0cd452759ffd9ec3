package run.codetether.agent.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.session.Session;
import run.codetether.agent.infra.kafka.KafkaSessionStore;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.SharedKafkaBroker;

/** Sessions on a real broker, in a topic created from the platform's topic spec. */
class KafkaSessionStoreTest {

    private static String sessionsTopic() {
        String topic = "sessions-" + UUID.randomUUID();
        SharedKafkaBroker.get().createTopics(List.of(new Topics.Spec(topic, 2, true, Topics.SESSION_MAX_MESSAGE_BYTES)));
        return topic;
    }

    /** Text that compression cannot shrink, so the record is as large as the session. */
    private static String incompressible(int chars) {
        Random random = new Random(42);
        StringBuilder sb = new StringBuilder(chars);
        for (int i = 0; i < chars; i++) {
            sb.append((char) ('!' + random.nextInt(90)));
        }
        return sb.toString();
    }

    @Test
    void aSessionLargerThanTheBrokersDefaultRecordLimitIsSavedAndSeenByAnotherReplica() {
        String topic = sessionsTopic();
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        try (KafkaSessionStore writer = new KafkaSessionStore(bootstrap, topic);
                KafkaSessionStore otherReplica = new KafkaSessionStore(bootstrap, topic)) {
            Session s = new Session("ctx-big");
            String big = incompressible(3 * 1024 * 1024);
            s.messages.add(new ChatMessage.User(big));
            writer.save(s);
            Session read = otherReplica.load("ctx-big").orElseThrow();
            assertEquals(big, ((ChatMessage.User) read.messages.get(0)).text());
        }
    }

    @Test
    void savesThatAreNotAwaitedArriveInOrderAndAFailedOneFailsTheNextAwaitedSave() {
        String topic = sessionsTopic();
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        try (KafkaSessionStore store = new KafkaSessionStore(bootstrap, topic);
                KafkaSessionStore otherReplica = new KafkaSessionStore(bootstrap, topic)) {
            Session s = new Session("ctx-soon");
            for (int i = 0; i < 20; i++) {
                s.messages.add(new ChatMessage.User("turn " + i));
                store.saveSoon(s);
            }
            s.messages.add(new ChatMessage.User("last"));
            store.save(s);
            assertEquals(21, otherReplica.load("ctx-soon").orElseThrow().messages.size(), "the latest save wins");

            Session tooBig = new Session("ctx-soon");
            tooBig.messages.add(new ChatMessage.User(incompressible(9 * 1024 * 1024)));
            store.saveSoon(tooBig); // over the producer's 8 MiB request limit: fails in the background
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.save(s));
            assertTrue(e.getMessage().contains("an earlier save of session ctx-soon"), e.getMessage());
            store.save(s); // reported once; the store keeps working
            assertEquals(21, otherReplica.load("ctx-soon").orElseThrow().messages.size());
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "index limit {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {KafkaSessionStore.DEFAULT_INDEX_MAX_KEYS, 2})
    void aReplicaFindsEverySessionAnotherWroteAndNoneThatDoesNotExist(int indexMaxKeys) {
        // limit 2 switches the key index off part-way: loads must then scan and still be right
        String topic = sessionsTopic();
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        try (KafkaSessionStore writer = new KafkaSessionStore(bootstrap, topic);
                KafkaSessionStore reader = new KafkaSessionStore(bootstrap, topic, indexMaxKeys)) {
            assertTrue(reader.load("ctx-0").isEmpty(), "nothing written yet");
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 6; i++) {
                    Session s = new Session("ctx-" + i);
                    for (int m = 0; m <= round; m++) {
                        s.messages.add(new ChatMessage.User("ctx-" + i + " round " + m));
                    }
                    writer.save(s);
                }
                for (int i = 0; i < 6; i++) {
                    Session read = reader.load("ctx-" + i).orElseThrow();
                    assertEquals(round + 1, read.messages.size(), "the latest save of ctx-" + i + " in round " + round);
                }
                assertTrue(reader.load("ctx-never-written-" + round).isEmpty());
            }
            Session own = reader.load("ctx-3").orElseThrow();
            own.messages.add(new ChatMessage.User("written by the reader"));
            reader.save(own);
            assertEquals(3, reader.load("ctx-3").orElseThrow().messages.size(), "a replica reads its own save");
            assertEquals(3, writer.load("ctx-3").orElseThrow().messages.size(), "and the other replica sees it");
        }
    }
}
