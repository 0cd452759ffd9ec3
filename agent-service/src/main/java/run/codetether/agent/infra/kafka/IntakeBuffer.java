package run.codetether.agent.infra.kafka;

import java.util.Collection;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.loop.FairIntakeQueue;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskCommand;

/**
 * The commands the intake fetched ahead of free slots, in a {@link FairIntakeQueue} (round-robin across tenants),
 * and the parking of a flood deeper than that: past {@link #MAX_BUFFERED} commands or {@link #MAX_BUFFERED_BYTES}, a
 * tenant with commands waiting has its further ones parked by offset ({@link ParkedCommands}, read again when there
 * is room) while the intake reads on for other tenants; fetching pauses only at {@link #HARD_MAX_BUFFERED} or
 * {@link #MAX_PARKED} ({@link #full}). Not thread-safe: the intake calls it under its lock (from the poll thread, and
 * from runs that end and hand their slot on); only the poll thread passes the consumer.
 */
final class IntakeBuffer {
    private static final Logger LOG = Logger.getLogger(IntakeBuffer.class);

    /**
     * Commands fetched ahead of free slots so that the fair queue can pick across tenants: enough to see past one
     * client's in-flight cap at the gateway (500), small enough to cost little memory.
     */
    static final int MAX_BUFFERED = 1_000;
    /** Record bytes fetched ahead at most (a command can be as large as the gateway's 1 MiB body limit). */
    static final long MAX_BUFFERED_BYTES = 16L * 1024 * 1024;
    /**
     * Past {@link #MAX_BUFFERED}, a tenant with commands waiting has its further ones parked by offset (read again
     * when there is room) while the intake reads on for other tenants, whose commands are buffered up to twice the
     * bound: a flood deeper than the buffer does not hide another tenant's command behind it (issue 19).
     */
    static final int HARD_MAX_BUFFERED = 2 * MAX_BUFFERED;
    /** Parked offsets at most (about 100 bytes each); past it fetching pauses, as with a full buffer. */
    static final int MAX_PARKED = 100_000;

    private final FairIntakeQueue<FetchedCommand> queue = new FairIntakeQueue<>(HARD_MAX_BUFFERED,
            2 * MAX_BUFFERED_BYTES);
    private final ParkedCommands parked = new ParkedCommands();

    /** The commands waiting for a slot, by tenant. */
    FairIntakeQueue<FetchedCommand> queue() {
        return queue;
    }

    /** Fetching must pause: the buffer or the parked offsets hold their hard bound. */
    boolean full() {
        return queue.full() || parked.size() >= MAX_PARKED;
    }

    /** The buffer holds its bound: commands of tenants with some waiting are parked instead of buffered. */
    boolean crowded() {
        return queue.size() >= MAX_BUFFERED || queue.bytes() >= MAX_BUFFERED_BYTES;
    }

    /**
     * With room in the buffer again, each partition with parked commands is read again from its lowest parked
     * offset up to where the intake was ({@code offsets}' next).
     */
    void replayParked(KafkaConsumer<String, byte[]> c, IntakeOffsets offsets) {
        if (crowded()) {
            return;
        }
        for (TopicPartition tp : c.assignment()) {
            Long from = parked.replayFrom(tp);
            Long until = offsets.next(tp);
            if (from != null && until != null) {
                parked.replaying(tp, until);
                c.seek(tp, from);
            }
        }
    }

    /**
     * A record read again below where the intake was: a parked one goes to the buffer, any other was handled then.
     * When the buffer fills up again, the rest stays parked and reading goes on where it was ({@code sought}: the
     * rest of this batch of that partition comes again from there).
     *
     * @return true when the record was such a replayed one (nothing more to do with it)
     */
    boolean replayed(KafkaConsumer<String, byte[]> c, ConsumerRecord<String, byte[]> r, Set<TopicPartition> sought) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        Long until = parked.replayUntil(tp);
        if (until == null) {
            return false;
        }
        if (r.offset() >= until) {
            parked.replayed(tp);
            return false;
        }
        if (crowded()) {
            parked.replayed(tp);
            c.seek(tp, until);
            sought.add(tp);
        } else if (parked.unpark(tp, r.offset()) != null) {
            add(decode(r), false);
        }
        return true;
    }

    /**
     * Decodes a fetched record and queues it under its tenant, or parks it by offset: when the buffer holds its
     * bound and the tenant has commands waiting, or when an earlier command of its tenant or context is parked (the
     * order within a conversation is kept; a tenant's own commands start in partition order).
     */
    void add(FetchedCommand f, boolean mayPark) {
        String contextId = f.command() == null ? null : f.command().contextId();
        if (mayPark && (parked.holds(f.tenant(), contextId) || (crowded() && queue.waits(f.tenant())))) {
            parked.park(f.partition(), f.record().offset(), f.tenant(), contextId);
            return;
        }
        queue.add(f.tenant(), contextId, f, f.bytes());
    }

    /**
     * A fetched record with its command decoded (null when unreadable, logged): any thread, no state touched, so the
     * intake decodes a batch without holding its lock.
     */
    static FetchedCommand decode(ConsumerRecord<String, byte[]> r) {
        TaskCommand cmd;
        try {
            cmd = r.value() == null ? null : ContractJson.read(r.value(), TaskCommand.class);
        } catch (RuntimeException e) {
            LOG.warn("skipping unreadable command at " + r.topic() + "-" + r.partition() + "@" + r.offset() + ": "
                    + e.getMessage());
            cmd = null;
        }
        return new FetchedCommand(r, cmd, System.currentTimeMillis());
    }

    /** A command to run again ({@link EndRetries}) joins its tenant's queue. */
    void again(FetchedCommand f) {
        queue.add(f.tenant(), f.command().contextId(), f, f.bytes());
    }

    /** Partitions left: their buffered and parked commands are their next owner's. */
    void drop(Collection<TopicPartition> parts) {
        parked.drop(parts);
        queue.removeIf(f -> parts.contains(f.partition()));
    }
}
