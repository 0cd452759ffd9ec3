package run.codetether.agent.infra.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import run.codetether.contracts.events.TaskCommand;

/** A fetched record with its command (null when unreadable) and when the intake fetched it (epoch ms). */
record FetchedCommand(ConsumerRecord<String, byte[]> record, TaskCommand command, long fetchedAt) {
    TopicPartition partition() {
        return new TopicPartition(record.topic(), record.partition());
    }

    String tenant() {
        return command instanceof TaskCommand.StartTask s ? s.tenant() : null;
    }

    /** The record's key and value bytes: what it costs the buffer. */
    long bytes() {
        return Math.max(0, record.serializedValueSize()) + Math.max(0, record.serializedKeySize());
    }
}
